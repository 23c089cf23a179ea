package rnn.lm.train;

import java.util.Locale;

import rnn.api.optim.LearningRateSchedule;

/**
 * Learning-rate schedules as one-line specs, for flags and checkpoints:
 * {@code constant}, {@code step:RATE:AFTER} (char-rnn: multiply by RATE each epoch after AFTER),
 * {@code cosine:EPOCHS:MIN_LR}, and {@code warmup:STEPS:<spec>}.
 */
public final class Schedules {

    private Schedules() {
    }

    public static String format(LearningRateSchedule s) {
        return switch (s) {
            case LearningRateSchedule.Constant c -> "constant";
            case LearningRateSchedule.StepDecay d -> "step:" + d.rate() + ":" + d.afterEpochs();
            case LearningRateSchedule.Cosine c -> "cosine:" + c.totalEpochs() + ":" + c.minLr();
            case LearningRateSchedule.Warmup w -> "warmup:" + w.steps() + ":" + format(w.inner());
        };
    }

    public static LearningRateSchedule parse(String spec) {
        String s = spec.strip().toLowerCase(Locale.ROOT);
        String[] p = s.split(":", 3);
        try {
            switch (p[0]) {
                case "constant":
                    if (p.length == 1) {
                        return new LearningRateSchedule.Constant();
                    }
                    break;
                case "step":
                    if (p.length == 3) {
                        return new LearningRateSchedule.StepDecay(Double.parseDouble(p[1]), Integer.parseInt(p[2]));
                    }
                    break;
                case "cosine":
                    if (p.length == 3) {
                        return new LearningRateSchedule.Cosine(Integer.parseInt(p[1]), Double.parseDouble(p[2]));
                    }
                    break;
                case "warmup":
                    if (p.length == 3) {
                        return new LearningRateSchedule.Warmup(Long.parseLong(p[1]), parse(p[2]));
                    }
                    break;
                default:
                    break;
            }
        } catch (NumberFormatException e) {
            // falls through to the message below
        }
        throw new IllegalArgumentException("bad learning-rate schedule '" + spec
                + "'; use constant, step:RATE:AFTER_EPOCHS, cosine:EPOCHS:MIN_LR or warmup:STEPS:<schedule>");
    }
}
