package rnn.lm.checkpoint;

import java.io.IOException;
import java.io.Serial;

/**
 * A model or checkpoint file that cannot be used: unreadable, malformed, or not matching the model it
 * is loaded into. The message is one line naming the file and what is wrong with it.
 */
public final class CheckpointException extends IOException {

    @Serial
    private static final long serialVersionUID = 1L;

    public CheckpointException(String message) {
        super(message);
    }

    public CheckpointException(String message, Throwable cause) {
        super(message, cause);
    }
}
