package rnn.api;

import java.util.Optional;

/**
 * What discovery found about one provider.
 *
 * @param name          provider name
 * @param priority      provider priority
 * @param description   what it is here, or empty when unusable
 * @param unusableReason why it cannot run, or empty when usable
 */
public record BackendInfo(String name, int priority, Optional<String> description, Optional<String> unusableReason) {

    public boolean usable() {
        return unusableReason.isEmpty();
    }

    static BackendInfo of(BackendProvider p) {
        Optional<String> reason = p.unusableReason();
        return new BackendInfo(p.name(), p.priority(),
                reason.isEmpty() ? Optional.of(p.description()) : Optional.empty(), reason);
    }
}
