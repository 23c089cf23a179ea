package rnn.cli;

import java.util.List;
import java.util.Locale;

/**
 * The gradient-decay plot as a standalone SVG: distance back in time on x, a log scale on y (decades),
 * per model ‖∂ℓ_T/∂h_t‖ solid and ‖∂h_T/∂h_t‖_F dashed in the model's colour, with a legend.
 */
final class DecayPlot {

    private static final int W = 720, H = 440, LEFT = 70, RIGHT = 190, TOP = 30, BOTTOM = 45;
    private static final String[] COLORS = {"#d62728", "#1f77b4", "#2ca02c", "#9467bd", "#ff7f0e", "#8c564b"};
    private static final double LN10 = Math.log(10);

    private DecayPlot() {
    }

    static String svg(List<DiagnoseCommand.Measured> results) {
        int steps = 1;
        double lo = Double.POSITIVE_INFINITY, hi = Double.NEGATIVE_INFINITY;
        for (DiagnoseCommand.Measured m : results) {
            steps = Math.max(steps, m.curve().steps());
            for (double[] logs : new double[][] {m.curve().logGradient(), m.curve().logJacobian()}) {
                for (double l : logs) {
                    if (Double.isFinite(l)) {
                        lo = Math.min(lo, l / LN10);
                        hi = Math.max(hi, l / LN10);
                    }
                }
            }
        }
        if (!(lo <= hi)) {
            lo = -1;
            hi = 0;
        }
        int yMin = (int) Math.floor(lo), yMax = (int) Math.ceil(hi);
        if (yMax == yMin) {
            yMax++;
        }
        int decades = yMax - yMin;
        int tickEvery = 1;
        for (int step : new int[] {1, 2, 5, 10, 20, 50, 100, 200, 500}) {
            tickEvery = step;
            if (decades / step <= 10) {
                break;
            }
        }
        yMin = Math.floorDiv(yMin, tickEvery) * tickEvery;
        yMax = -Math.floorDiv(-yMax, tickEvery) * tickEvery;
        int pw = W - LEFT - RIGHT, ph = H - TOP - BOTTOM;

        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" font-family=\"sans-serif\" font-size=\"12\">%n", W, H));
        sb.append(String.format(Locale.ROOT, "<rect width=\"%d\" height=\"%d\" fill=\"white\"/>%n", W, H));
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"18\" text-anchor=\"middle\" font-size=\"13\">"
                + "BPTT: gradient of the last step's loss by distance back in time</text>%n", LEFT + pw / 2));
        sb.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#444\"/>%n",
                LEFT, TOP, pw, ph));
        for (int e = yMin; e <= yMax; e += tickEvery) {
            double y = y(e, yMin, yMax);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%.1f\" y2=\"%.1f\" stroke=\"#ddd\"/>"
                    + "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">1e%d</text>%n", LEFT, LEFT + pw, y, y, LEFT - 6, y + 4, e));
        }
        int xTick = niceStep(steps);
        for (int d = 0; d <= steps; d += xTick) {
            double x = x(d, steps);
            sb.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#444\"/>"
                    + "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%d</text>%n", x, x, TOP + ph, TOP + ph + 4, x, TOP + ph + 17, d));
        }
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">distance back in time d = T − t (steps)</text>%n",
                LEFT + pw / 2, H - 8));
        sb.append(String.format(Locale.ROOT, "<text x=\"16\" y=\"%d\" transform=\"rotate(-90 16 %d)\" text-anchor=\"middle\">norm (log scale)</text>%n",
                TOP + ph / 2, TOP + ph / 2));
        int legend = 0;
        for (int i = 0; i < results.size(); i++) {
            DiagnoseCommand.Measured m = results.get(i);
            String color = COLORS[i % COLORS.length];
            line(sb, m.curve().logGradient(), steps, yMin, yMax, color, "");
            line(sb, m.curve().logJacobian(), steps, yMin, yMax, color, "6,4");
            legend = legendEntry(sb, color, "", m.name() + " ‖∂ℓ_T/∂h_t‖", legend);
            legend = legendEntry(sb, color, "6,4", m.name() + " ‖∂h_T/∂h_t‖_F", legend);
            legend = legendText(sb, String.format(Locale.ROOT, "   ×%.3g per step (g)", m.curve().gradientRate().factor()), legend);
        }
        return sb.append("</svg>\n").toString();
    }

    private static void line(StringBuilder sb, double[] logs, int steps, int yMin, int yMax, String color, String dash) {
        StringBuilder pts = new StringBuilder();
        for (int d = 1; d <= logs.length; d++) {
            double l = logs[d - 1];
            if (Double.isFinite(l)) {
                pts.append(String.format(Locale.ROOT, "%.1f,%.1f ", x(d, steps), y(l / LN10, yMin, yMax)));
            }
        }
        if (!pts.isEmpty()) {
            sb.append(String.format(Locale.ROOT, "<polyline fill=\"none\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\" points=\"%s\"/>%n",
                    color, dash, pts.toString().strip()));
        }
    }

    private static int legendEntry(StringBuilder sb, String color, String dash, String name, int legend) {
        int x = W - RIGHT + 12, y = TOP + 14 + 18 * legend;
        sb.append(String.format(Locale.ROOT, "<line x1=\"%d\" x2=\"%d\" y1=\"%d\" y2=\"%d\" stroke=\"%s\" stroke-width=\"2\" stroke-dasharray=\"%s\"/>"
                + "<text x=\"%d\" y=\"%d\">%s</text>%n", x, x + 22, y - 4, y - 4, color, dash, x + 28, y, name));
        return legend + 1;
    }

    private static int legendText(StringBuilder sb, String text, int legend) {
        int x = W - RIGHT + 12, y = TOP + 14 + 18 * legend;
        sb.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" fill=\"#555\" xml:space=\"preserve\">%s</text>%n", x + 28, y, text.strip()));
        return legend + 1;
    }

    private static double x(double d, int steps) {
        return LEFT + (W - LEFT - RIGHT) * d / steps;
    }

    private static double y(double log10, int yMin, int yMax) {
        int ph = H - TOP - BOTTOM;
        return TOP + ph - ph * (log10 - yMin) / (yMax - yMin);
    }

    private static int niceStep(int steps) {
        for (int s : new int[] {1, 2, 5, 10, 20, 25, 50, 100, 200, 250, 500, 1000}) {
            if (steps / s <= 10) {
                return s;
            }
        }
        return Math.max(1, steps / 10);
    }
}
