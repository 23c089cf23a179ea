package rnn.lm.train;

import java.util.Locale;

import rnn.api.optim.Clipping;

/** How gradients are clipped before each update. */
public enum ClipMode {
    /** d2l's {@code grad_clipping}: rescale all gradients together to global norm ≤ θ. */
    NORM,
    /** Clamp every gradient element to [−θ, θ] (char-rnn's {@code grad_clip}). */
    VALUE;

    public Clipping create(double theta) {
        return this == NORM ? new Clipping.GlobalNorm(theta) : new Clipping.Value(theta);
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static ClipMode parse(String name) {
        for (ClipMode m : values()) {
            if (m.id().equalsIgnoreCase(name.strip())) {
                return m;
            }
        }
        throw new IllegalArgumentException("unknown clip mode '" + name + "'; choose norm or value");
    }
}
