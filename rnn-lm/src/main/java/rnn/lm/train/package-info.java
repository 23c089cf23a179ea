/** The language model: training with truncated BPTT, perplexity, and sampling from a prefix. */
package rnn.lm.train;
