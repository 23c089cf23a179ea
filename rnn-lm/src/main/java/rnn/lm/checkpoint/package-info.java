/**
 * Model files: safetensors weights (readable by the Python {@code safetensors} package) with the
 * metadata needed to resume or sample, written atomically and read defensively.
 */
package rnn.lm.checkpoint;
