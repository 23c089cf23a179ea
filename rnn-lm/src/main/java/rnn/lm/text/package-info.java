/**
 * Text in, token ids out: tokenizers (characters or words), the vocabulary, the dataset registry with its verified
 * downloads, the synthetic Markov source, d2l's minibatch iterators and the n-gram baselines.
 */
package rnn.lm.text;
