package rnn.cli;

import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;

import rnn.lm.text.Baselines;
import rnn.lm.train.EpochStats;

/** Train and validation perplexity by epoch as a standalone SVG, like d2l's plots, with the baselines. */
final class PerplexityPlot {

    private static final int W = 640, H = 400, LEFT = 60, RIGHT = 150, TOP = 20, BOTTOM = 45;

    private PerplexityPlot() {
    }

    static String svg(List<EpochStats> history, Baselines baselines, Double optimum) {
        double maxY = 0;
        for (EpochStats s : history) {
            maxY = Math.max(maxY, finite(s.trainPerplexity()));
            maxY = Math.max(maxY, finite(s.valPerplexity()));
        }
        maxY = Math.max(maxY, baselines.bigram());
        maxY = niceCeil(maxY * 1.05);
        int epochs = Math.max(1, history.size());
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, pw, ph));
        for (int i = 0; i <= 5; i++) {
            double v = maxY * i / 5;
            double y = TOP + ph - ph * v / maxY;
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", LEFT, LEFT + pw, y, y, LEFT - 6, y + 4, label(v)));
            int e = (int) Math.round((double) epochs * i / 5);
            double x = LEFT + pw * (double) e / epochs;
            sb.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, TOP + ph + 16, e));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">epoch</text>%n", LEFT + pw / 2, H - 8));
        sb.append(String.format(Locale.ROOT, "<text x=\"14\" y=\"%d\" transform=\"rotate(-90 14 %d)\" text-anchor=\"middle\">perplexity</text>%n",
                TOP + ph / 2, TOP + ph / 2));
        double finalMaxY = maxY;
        int legend = 0;
        legend = series(sb, history, EpochStats::trainPerplexity, "#1f77b4", "", "train", epochs, finalMaxY, legend);
        legend = series(sb, history, EpochStats::valPerplexity, "#ff7f0e", "6,3", "validation", epochs, finalMaxY, legend);
        legend = hline(sb, baselines.bigram(), "#2ca02c", "bigram", finalMaxY, legend);
        legend = hline(sb, baselines.unigram(), "#9467bd", "unigram", finalMaxY, legend);
        if (optimum != null) {
            hline(sb, optimum, "#d62728", "optimum", finalMaxY, legend);
        }
        return sb.append("</svg>\n").toString();
    }

    private static int series(StringBuilder sb, List<EpochStats> history, ToDoubleFunction<EpochStats> f, String color,
                              String dash, String name, int epochs, double maxY, int legend) {
        StringBuilder pts = new StringBuilder();
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        for (EpochStats s : history) {
            double v = f.applyAsDouble(s);
            if (Double.isFinite(v)) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", LEFT + pw * (double) s.epoch() / epochs,
                        TOP + ph - ph * Math.min(v, maxY) / maxY));
            }
        }
        if (pts.isEmpty()) {
            return legend;
        }
        sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"%s\"/>%n",
                color, dash, pts.toString().strip()));
        return legendEntry(sb, color, dash, name, legend);
    }

    private static int hline(StringBuilder sb, double v, String color, String name, double maxY, int legend) {
        if (!Double.isFinite(v) || v > maxY) {
            return legend;
        }
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;
        double y = TOP + ph - ph * v / maxY;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"%s\" stroke-dasharray=\"2,3\"/>%n",
                LEFT, LEFT + pw, y, y, color));
        return legendEntry(sb, color, "2,3", name + " " + label(v), legend);
    }

    private static int legendEntry(StringBuilder sb, String color, String dash, String name, int legend) {
        int x = W - RIGHT + 12, y = TOP + 14 + 18 * legend;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, x + 22, y - 4, y - 4, color, dash, x + 28, y, name));
        return legend + 1;
    }

    private static double finite(double v) {
        return Double.isFinite(v) ? v : 0;
    }

    private static double niceCeil(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v) {
        return v >= 10 ? String.format(Locale.ROOT, "%.0f", v) : String.format(Locale.ROOT, "%.2f", v);
    }
}
