/**
 * The front door: train, save, load, sample and evaluate a character-level language model from Java
 * with the types of this package alone, as the {@code rnn} command line does.
 *
 * <pre>{@code
 * CharModelConfig config = CharModelConfig.builder().optCell("gru").optHidden(64).optEpochs(20).build();
 * try (CharModel model = CharModel.train(TextSource.text(myText), config, epoch -> System.out.println(epoch))) {
 *     System.out.println(model.generate("the ", 50, Decode.sample(0.8)));
 *     model.save(Path.of("model.safetensors"));
 * }
 * try (CharModel model = CharModel.load(Path.of("model.safetensors"))) {
 *     System.out.println(model.perplexity(otherText));
 * }
 * }</pre>
 *
 * <ul>
 *   <li>{@link rnn.lm.TextSource}: a file, a string, or a dataset ({@code timemachine}, {@code markov:...});</li>
 *   <li>{@link rnn.lm.CharModelConfig}: the model's shape and the training run, built with {@code opt*};</li>
 *   <li>{@link rnn.lm.CharModel}: train, save, load, generate, perplexity;</li>
 *   <li>{@link rnn.lm.Decode}: greedy, temperature, top-k; {@link rnn.lm.Epoch}: what an epoch measured.</li>
 * </ul>
 *
 * The packages below this one ({@code rnn.lm.text}, {@code rnn.lm.train}, {@code rnn.lm.checkpoint}) are
 * the parts the front door is made of, for what it does not cover (resuming, custom optimizers, ...).
 */
package rnn.lm;
