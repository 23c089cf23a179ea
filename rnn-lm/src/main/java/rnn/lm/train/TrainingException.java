package rnn.lm.train;

/** Training cannot go on (for example, too many non-finite losses in a row); the message says why. */
public final class TrainingException extends RuntimeException {

    public TrainingException(String message) {
        super(message);
    }
}
