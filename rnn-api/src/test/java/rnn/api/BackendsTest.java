package rnn.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Optional;
import java.util.ServiceConfigurationError;

import org.junit.jupiter.api.Test;

/** The selection rule: explicit name > system property > environment > highest usable priority. */
class BackendsTest {

    record Fake(String name, int priority, String unusable) implements BackendProvider {
        @Override
        public Optional<String> unusableReason() {
            return Optional.ofNullable(unusable);
        }

        @Override
        public String description() {
            return "fake " + name;
        }

        @Override
        public Backend create(BackendOptions options) {
            throw new UnsupportedOperationException("not needed");
        }
    }

    static final Fake FAST = new Fake("fast", 100, null);
    static final Fake SLOW = new Fake("slow", 0, null);
    static final Fake BROKEN = new Fake("simd", 200, "module jdk.incubator.vector is not in this JVM: add --add-modules");

    static BackendSelection select(List<BackendProvider> ps, String flag, String prop, String env) {
        return Backends.select(ps, flag, prop, env);
    }

    @Test
    void highestPriorityUsableWinsWhenNothingIsChosen() {
        BackendSelection s = select(List.of(SLOW, FAST), null, null, null);
        assertEquals("fast", s.chosen().name());
        assertEquals("highest priority", s.reason());
        assertEquals(List.of("fast", "slow"), s.available().stream().map(BackendInfo::name).toList());
    }

    @Test
    void unusableHigherPriorityIsSkippedWithItsReason() {
        BackendSelection s = select(List.of(SLOW, BROKEN, FAST), null, null, null);
        assertEquals("fast", s.chosen().name());
        BackendInfo simd = s.available().get(0);
        assertEquals("simd", simd.name());
        assertTrue(simd.unusableReason().orElseThrow().contains("--add-modules"));
    }

    @Test
    void explicitBeatsPropertyBeatsEnvironment() {
        List<BackendProvider> ps = List.of(SLOW, FAST);
        assertEquals("slow", select(ps, "slow", "fast", "fast").chosen().name());
        assertEquals("explicit choice", select(ps, "slow", "fast", "fast").reason());
        assertEquals("slow", select(ps, null, "slow", "fast").chosen().name());
        assertEquals("system property rnn.backend", select(ps, null, "slow", "fast").reason());
        assertEquals("slow", select(ps, null, null, "slow").chosen().name());
        assertEquals("environment variable RNN_BACKEND", select(ps, null, "", "slow").reason());
        assertEquals("slow", select(ps, " SLOW ", null, null).chosen().name(), "names are trimmed and case-insensitive");
    }

    @Test
    void aPreferredBackendWinsOnlyWhenNothingIsNamedAndItIsUsable() {
        List<BackendProvider> ps = List.of(SLOW, FAST);
        BackendSelection s = Backends.select(ps, null, null, null, "slow");
        assertEquals("slow", s.chosen().name());
        assertEquals("preferred for this work", s.reason());
        assertEquals(List.of("fast", "slow"), s.available().stream().map(BackendInfo::name).toList());
        assertEquals("fast", Backends.select(ps, "fast", null, null, "slow").chosen().name());
        assertEquals("fast", Backends.select(ps, null, "fast", null, "slow").chosen().name());
        assertEquals("fast", Backends.select(ps, null, null, "fast", "slow").chosen().name());
        assertEquals("fast", Backends.select(List.of(SLOW, FAST, BROKEN), null, null, null, "simd").chosen().name(),
                "an unusable preferred backend falls back to the usual rule");
        assertEquals("fast", Backends.select(ps, null, null, null, "gpu").chosen().name(), "an absent one too");
    }

    @Test
    void unknownNameFailsListingWhatIsAvailable() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> select(List.of(SLOW, BROKEN, FAST), null, "gpu", null));
        assertEquals("unknown backend 'gpu' (from system property rnn.backend); available: simd (not usable), fast, slow",
                e.getMessage());
    }

    @Test
    void explicitUnusableFailsWithTheReason() {
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> select(List.of(SLOW, BROKEN), "simd", null, null));
        assertTrue(e.getMessage().contains("cannot run here: module jdk.incubator.vector"), e.getMessage());
    }

    @Test
    void brokenProviderIsReportedButDoesNotHideTheOthers() {
        // A loader whose second provider fails to instantiate, as ServiceLoader reports it.
        Iterable<BackendProvider> loader = () -> new Iterator<>() {
            final List<Object> items = new ArrayList<>(List.of(SLOW,
                    new ServiceConfigurationError("rnn.api.BackendProvider: Provider x.Bad could not be instantiated"), FAST));

            @Override
            public boolean hasNext() {
                return !items.isEmpty();
            }

            @Override
            public BackendProvider next() {
                if (items.isEmpty()) {
                    throw new NoSuchElementException();
                }
                Object o = items.remove(0);
                if (o instanceof ServiceConfigurationError e) {
                    throw e;
                }
                return (BackendProvider) o;
            }
        };
        BackendSelection s = Backends.select(loader, null, null, null);
        assertEquals("fast", s.chosen().name());
        assertEquals(2, s.available().size());
        assertEquals(1, s.problems().size());
        assertTrue(s.problems().get(0).contains("x.Bad"));
    }

    @Test
    void noUsableBackendFailsClearly() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> select(List.of(BROKEN), null, null, null));
        assertTrue(e.getMessage().startsWith("no usable backend; found: simd (not usable)"), e.getMessage());
    }
}
