package rnn.lm.train;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import rnn.api.optim.OptimizerProvider;
import rnn.api.optim.Optimizers;
import rnn.lm.checkpoint.CheckpointException;

/**
 * How a model file names its optimizer, in the safetensors metadata: {@code optimizer} (the provider's
 * name) and {@code optimizer_hyperparameters}, a JSON object of every hyperparameter's value, e.g.
 * {@code {"beta1":0.9,"beta2":0.999,"eps":1.0E-8,"weight_decay":0.0}}. The optimizer's state is stored
 * as tensors beside the weights. Files written before optimizers were plug-ins have {@code optimizer}
 * and {@code weight_decay} only; their other settings were the defaults, so they read the same.
 */
final class OptimizerMetadata {

    static final String NAME = "optimizer";
    static final String VALUES = "optimizer_hyperparameters";
    /** Present when the trainer was given an optimizer instance in code: its class. */
    static final String INSTANCE = "optimizer_class";
    static final String LEGACY_WEIGHT_DECAY = "weight_decay";


    private OptimizerMetadata() {
    }

    static void write(Map<String, String> meta, TrainingConfig config, Trainer trainer) {
        meta.put(NAME, config.optimizer());
        meta.put(VALUES, SettingsJson.write(config.optimizerValues()));
        if (!trainer.optimizerFromConfig()) {
            meta.put(INSTANCE, trainer.optimizer().getClass().getName());
        }
    }

    /** An optimizer's name and the hyperparameter values a file gives (the others take their defaults). */
    record Read(String name, Map<String, Double> values) {
    }

    /**
     * The optimizer's name and hyperparameters as stored; the provider must be installed.
     *
     * @throws IllegalArgumentException if no module here provides it: the file is fine, the module path lacks a module
     */
    static Read read(Path file, Map<String, String> meta) throws CheckpointException {
        String name = meta.get(NAME);
        if (name == null) {
            throw new CheckpointException(file + ": model metadata lacks '" + NAME + "'");
        }
        Optional<OptimizerProvider> provider = Optimizers.find(name);
        if (provider.isEmpty()) {
            throw new IllegalArgumentException(file + ": trained with optimizer '" + name + "', which is not installed"
                    + " (available: " + String.join(", ", Optimizers.names()) + "); put its module on the module path: "
                    + "RNN_PLUGIN_PATH=path/to/its.jar ./rnn ...");
        }
        String values = meta.get(VALUES);
        if (values != null) {
            return new Read(name, SettingsJson.read(file, VALUES, values));
        }
        String legacy = meta.get(LEGACY_WEIGHT_DECAY);
        if (legacy == null) {
            throw new CheckpointException(file + ": model metadata lacks '" + VALUES + "'");
        }
        double wd = Double.parseDouble(legacy);
        if (TrainingConfig.hasWeightDecay(provider.get())) {
            return new Read(name, Map.of(TrainingConfig.WEIGHT_DECAY, wd));
        }
        if (wd != 0) {
            throw new CheckpointException(file + ": model metadata gives weight decay " + wd + " to optimizer " + name
                    + ", which has none");
        }
        return new Read(name, Map.of()); // before plug-ins every optimizer accepted a weight decay of 0
    }

}
