package rnn.lm.train;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import rnn.lm.checkpoint.CheckpointException;
import rnn.lm.checkpoint.Safetensors;

/**
 * The parts of a checkpoint that let a run resume inside an epoch, and its validations inside epochs:
 * kept apart from {@link ModelFile}'s epoch-level fields, and all optional, so files written before them
 * read as an epoch boundary with no step records.
 */
final class ProgressMetadata {

    static final String VAL_EVERY_STEPS = "val_every_steps";
    static final String VAL_MAX_TOKENS = "val_max_tokens";
    static final String STEP_HISTORY = "step_history";
    static final String POSITION = "position";
    /** Tensor names of the carried hidden state, numbered layer by layer and part by part. */
    static final String STATE_PREFIX = "carried_state.";

    static final Set<String> KEYS = Set.of(VAL_EVERY_STEPS, VAL_MAX_TOKENS, STEP_HISTORY, POSITION);

    private ProgressMetadata() {
    }

    static void write(Map<String, String> meta, Map<String, Safetensors.Tensor> tensors, TrainingConfig config,
                      Trainer.Progress progress) {
        meta.put(VAL_EVERY_STEPS, Long.toString(config.valEverySteps()));
        meta.put(VAL_MAX_TOKENS, Long.toString(config.valMaxTokens()));
        StringBuilder h = new StringBuilder();
        for (StepStats s : progress.steps()) {
            // Double.toString round-trips exactly, so resumed metrics are bit-identical.
            h.append(s.step()).append(',').append(s.epoch()).append(',').append(s.batch()).append(',')
                    .append(s.trainPerplexity()).append(',').append(s.valPerplexity()).append(',')
                    .append(s.tokensPerSecond()).append(';');
        }
        meta.put(STEP_HISTORY, h.toString());
        Trainer.Position p = progress.position();
        if (p != null) {
            meta.put(POSITION, p.epoch() + "," + p.nextBatch() + "," + p.lossSum() + "," + p.tokens() + ","
                    + p.skipped() + "," + p.nanos() + "," + p.badInARow());
            for (int i = 0; i < p.state().size(); i++) {
                float[] part = p.state().get(i);
                tensors.put(STATE_PREFIX + i, new Safetensors.Tensor(new int[] {part.length}, part));
            }
        }
    }

    static long valEverySteps(Map<String, String> meta) {
        return Long.parseLong(meta.getOrDefault(VAL_EVERY_STEPS, "0"));
    }

    static long valMaxTokens(Map<String, String> meta) {
        return Long.parseLong(meta.getOrDefault(VAL_MAX_TOKENS, "0"));
    }

    /** Whether a tensor of the file is carried state rather than a weight. */
    static boolean isState(String tensorName) {
        return tensorName.startsWith(STATE_PREFIX);
    }

    static List<StepStats> steps(Map<String, String> meta) {
        List<StepStats> out = new ArrayList<>();
        for (String e : meta.getOrDefault(STEP_HISTORY, "").split(";")) {
            if (e.isEmpty()) {
                continue;
            }
            String[] f = e.split(",", -1);
            if (f.length != 6) {
                throw new IllegalArgumentException("a step record has 6 fields, got '" + e + "'");
            }
            out.add(new StepStats(Long.parseLong(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]),
                    Double.parseDouble(f[3]), Double.parseDouble(f[4]), Double.parseDouble(f[5])));
        }
        return out;
    }

    /** The position inside an epoch, or null at an epoch boundary. */
    static Trainer.Position position(java.nio.file.Path file, Map<String, String> meta, long[] epochRng,
                                     Map<String, Safetensors.Tensor> tensors) throws CheckpointException {
        String p = meta.get(POSITION);
        List<float[]> state = new ArrayList<>();
        for (int i = 0; tensors.containsKey(STATE_PREFIX + i); i++) {
            state.add(tensors.get(STATE_PREFIX + i).data());
        }
        long stateTensors = tensors.keySet().stream().filter(ProgressMetadata::isState).count();
        if (stateTensors != state.size()) {
            throw new CheckpointException(file + ": carried-state tensors are not numbered 0.." + (stateTensors - 1));
        }
        if (p == null) {
            if (!state.isEmpty()) {
                throw new CheckpointException(file + ": carried state without a position inside an epoch");
            }
            return null;
        }
        String[] f = p.split(",", -1);
        if (f.length != 7) {
            throw new IllegalArgumentException("'" + POSITION + "' has 7 fields, got '" + p + "'");
        }
        return new Trainer.Position(Integer.parseInt(f[0]), epochRng, Integer.parseInt(f[1]), Double.parseDouble(f[2]),
                Long.parseLong(f[3]), Integer.parseInt(f[4]), Long.parseLong(f[5]), Integer.parseInt(f[6]), state);
    }
}
