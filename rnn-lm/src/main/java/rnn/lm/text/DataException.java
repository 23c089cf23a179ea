package rnn.lm.text;

import java.io.Serial;

/**
 * Bad data or an unusable file: a corpus that is missing, binary, not UTF-8 or empty, or a dataset
 * that cannot be downloaded or fails its checksum. The message is one line that names the path.
 */
public final class DataException extends RuntimeException {

    @Serial private static final long serialVersionUID = 1L;

    public DataException(String message) {
        super(message);
    }

    public DataException(String message, Throwable cause) {
        super(message, cause);
    }
}
