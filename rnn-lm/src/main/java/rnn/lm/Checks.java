package rnn.lm;

import java.util.Objects;

/** Argument checks the front door shares: one clear exception per misuse, naming the argument. */
final class Checks {

    private Checks() {
    }

    /** @throws NullPointerException if null; IllegalArgumentException if empty or only white space */
    static String notBlank(String value, String what) {
        Objects.requireNonNull(value, what);
        if (value.isBlank()) {
            throw new IllegalArgumentException(what + " is blank");
        }
        return value;
    }
}
