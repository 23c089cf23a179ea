package rnn.backend.naive;

import java.util.Optional;

import rnn.api.Backend;
import rnn.api.BackendOptions;
import rnn.api.BackendProvider;

/** Provides the plain-Java reference backend; always usable, lowest priority. */
public final class NaiveProvider implements BackendProvider {

    @Override
    public String name() {
        return "naive";
    }

    @Override
    public int priority() {
        return 0;
    }

    @Override
    public Optional<String> unusableReason() {
        return Optional.empty();
    }

    @Override
    public String description() {
        return "plain Java loops, reference, single-threaded";
    }

    @Override
    public Backend create(BackendOptions options) {
        return new NaiveBackend();
    }
}
