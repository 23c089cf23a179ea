package rnn.api.optim;

/**
 * The learning rate as a function of training progress: {@code epoch} is the 0-based index of the
 * current epoch (= epochs completed), {@code step} the 0-based count of optimizer steps taken so far.
 * A trainer calls {@code optimizer.setLearningRate(schedule.learningRate(base, epoch, step))} before
 * each step.
 */
public sealed interface LearningRateSchedule {

    double learningRate(double base, int epoch, long step);

    /** The base rate throughout. */
    record Constant() implements LearningRateSchedule {
        @Override
        public double learningRate(double base, int epoch, long step) {
            return base;
        }
    }

    /**
     * char-rnn's decay: at the end of every epoch from epoch {@code afterEpochs} on, the rate is
     * multiplied by {@code rate}. So epochs {@code 0 .. afterEpochs−1} use the base rate and epoch
     * {@code e ≥ afterEpochs} uses {@code base·rate^(e − afterEpochs + 1)} (char-rnn: 0.97 after 10).
     */
    record StepDecay(double rate, int afterEpochs) implements LearningRateSchedule {
        public StepDecay {
            if (!(rate > 0 && rate <= 1)) {
                throw new IllegalArgumentException("decay rate must be in (0, 1], got " + rate);
            }
            if (afterEpochs < 0) {
                throw new IllegalArgumentException("decay start must be at least 0 epochs, got " + afterEpochs);
            }
        }

        @Override
        public double learningRate(double base, int epoch, long step) {
            int decays = Math.max(0, epoch - afterEpochs + 1);
            return base * Math.pow(rate, decays);
        }
    }

    /**
     * Cosine annealing over {@code totalEpochs} (no restarts):
     * {@code min + (base − min)·(1 + cos(π·e/total))/2}, then {@code minLr} from epoch {@code total} on.
     */
    record Cosine(int totalEpochs, double minLr) implements LearningRateSchedule {
        public Cosine {
            if (totalEpochs < 1) {
                throw new IllegalArgumentException("cosine schedule needs at least 1 epoch, got " + totalEpochs);
            }
            if (!(minLr >= 0) || Double.isInfinite(minLr)) {
                throw new IllegalArgumentException("minimum rate must be non-negative and finite, got " + minLr);
            }
        }

        @Override
        public double learningRate(double base, int epoch, long step) {
            double progress = Math.min(epoch, totalEpochs) / (double) totalEpochs;
            return minLr + (base - minLr) * (1 + Math.cos(Math.PI * progress)) / 2;
        }
    }

    /**
     * Linear warm-up: step {@code s < steps} uses {@code (s + 1)/steps} of what {@code inner} gives,
     * later steps {@code inner}'s rate unchanged.
     */
    record Warmup(long steps, LearningRateSchedule inner) implements LearningRateSchedule {
        public Warmup {
            if (steps < 1) {
                throw new IllegalArgumentException("warm-up needs at least 1 step, got " + steps);
            }
            if (inner == null) {
                throw new IllegalArgumentException("warm-up needs an inner schedule");
            }
        }

        @Override
        public double learningRate(double base, int epoch, long step) {
            double r = inner.learningRate(base, epoch, step);
            return step < steps ? r * (step + 1) / steps : r;
        }
    }
}
