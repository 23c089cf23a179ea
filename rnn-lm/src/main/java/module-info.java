/**
 * The character- and word-level language models of d2l's recurrent chapter, on the backend SPI only: a
 * front door for applications ({@code rnn.lm}: train, save, load, generate, perplexity), and its parts:
 * text and datasets ({@code rnn.lm.text}), checkpoints ({@code rnn.lm.checkpoint}), and training,
 * evaluation and sampling ({@code rnn.lm.train}).
 */
module rnn.lm {
    requires transitive rnn.api;
    requires java.net.http;

    exports rnn.lm;
    exports rnn.lm.text;
    exports rnn.lm.checkpoint;
    exports rnn.lm.train;
}
