package rnn.api;

import java.util.Optional;

/**
 * A backend as {@link java.util.ServiceLoader} sees it: a cheap descriptor, separate from the backend it
 * creates. Implementations must keep their class initialisation trivial: capability checks belong in
 * {@link #unusableReason()}, which runs only when asked, so that a missing module or CPU feature can be
 * reported instead of failing class loading.
 */
public interface BackendProvider {

    /** Short, lower-case, unique name used to select the backend, e.g. {@code vector}. */
    String name();

    /** Higher wins when nothing is chosen explicitly. */
    int priority();

    /** Why this backend cannot run in this JVM, with what to do about it; empty when it can. */
    Optional<String> unusableReason();

    default boolean isUsable() {
        return unusableReason().isEmpty();
    }

    /** One line on what this backend is here, e.g. {@code FloatVector 256-bit}. Only called when usable. */
    String description();

    /** Creates a backend. Only called when usable. */
    Backend create(BackendOptions options);
}
