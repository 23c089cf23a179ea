package rnn.lm.text;

import java.io.IOException;

/** Where encoded token ids go, a chunk at a time: an array on the heap or a token cache file. */
interface IdSink {

    /** Appends {@code ids[0, n)}. */
    void put(int[] ids, int n) throws IOException;
}
