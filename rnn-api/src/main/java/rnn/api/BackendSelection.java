package rnn.api;

import java.util.List;

/**
 * The outcome of choosing a backend: the chosen provider, why it was chosen, and every provider that
 * discovery saw (with problems of broken ones), so that a CLI can show all of it.
 *
 * @param chosen    the provider to create
 * @param reason    how it was chosen, e.g. {@code system property rnn.backend} or {@code highest priority}
 * @param available every provider found, highest priority first
 * @param problems  providers that failed to load ({@link java.util.ServiceConfigurationError} messages)
 */
public record BackendSelection(BackendProvider chosen, String reason, List<BackendInfo> available, List<String> problems) {

    public BackendSelection {
        available = List.copyOf(available);
        problems = List.copyOf(problems);
    }

    public Backend create(BackendOptions options) {
        return chosen.create(options);
    }
}
