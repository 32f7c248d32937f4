package io.ipcarc.bench;

import java.util.List;
import java.util.Locale;

/**
 * A self-contained SVG with two panels on logarithmic axes: the cost of each single-process
 * operation (ns/op, with its error) and the latency percentiles of the cross-process
 * contention harness.
 */
public final class SvgChart {
    private static final int WIDTH = 1040;
    private static final int LABEL_W = 480;
    private static final int BAR_H = 18;
    private static final int GAP = 6;

    /**
     * One bar.
     *
     * @param label the text left of it
     * @param value its length, in ns (log scale)
     * @param error half-width of the error whisker, or NaN
     * @param baseline whether it is a baseline (drawn grey)
     */
    public record Bar(String label, double value, double error, boolean baseline) {
    }

    private SvgChart() {
    }

    /**
     * Returns the SVG document.
     *
     * @param title chart title
     * @param ops the operation panel
     * @param latencyTitle title of the latency panel
     * @param latency the latency panel (may be empty)
     * @return the SVG document
     */
    public static String render(String title, List<Bar> ops, String latencyTitle, List<Bar> latency) {
        return render(title, ops, "ns", latencyTitle, latency, "ns");
    }

    /**
     * Returns the SVG document.
     *
     * @param title chart title
     * @param first the first panel
     * @param firstUnit the unit printed after the first panel's values
     * @param secondTitle title of the second panel
     * @param second the second panel (may be empty)
     * @param secondUnit the unit printed after the second panel's values
     * @return the SVG document
     */
    public static String render(String title, List<Bar> first, String firstUnit, String secondTitle, List<Bar> second,
                                String secondUnit) {
        List<Bar> ops = first;
        String latencyTitle = secondTitle;
        List<Bar> latency = second;
        int h1 = ops.size() * (BAR_H + GAP);
        int h2 = latency.isEmpty() ? 0 : latency.size() * (BAR_H + GAP) + 50;
        int height = 60 + h1 + 40 + h2 + 20;
        StringBuilder s = new StringBuilder();
        s.append(String.format(Locale.ROOT, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
                + "font-family=\"sans-serif\" font-size=\"11\">%n", WIDTH, height));
        s.append("<rect width=\"100%\" height=\"100%\" fill=\"white\"/>\n");
        text(s, 10, 22, title, "font-size=\"15\" font-weight=\"bold\"");
        panel(s, 50, ops, firstUnit);
        if (!latency.isEmpty()) {
            int y = 50 + h1 + 40;
            text(s, 10, y - 8, latencyTitle, "font-weight=\"bold\"");
            panel(s, y + 10, latency, secondUnit);
        }
        s.append("</svg>\n");
        return s.toString();
    }

    private static void panel(StringBuilder s, int top, List<Bar> bars, String unit) {
        double max = 10;
        for (Bar b : bars) {
            if (!Double.isNaN(b.value)) {
                max = Math.max(max, b.value + (Double.isNaN(b.error) ? 0 : b.error));
            }
        }
        double decades = Math.ceil(Math.log10(max));
        double plotW = WIDTH - LABEL_W - 80;
        int y = top;
        for (Bar b : bars) {
            text(s, 10, y + 13, b.label, "");
            if (Double.isNaN(b.value)) {
                text(s, LABEL_W, y + 13, "not measured", "fill=\"#999\"");
            } else {
                double w = x(b.value, decades, plotW);
                s.append(String.format(Locale.ROOT, "<rect x=\"%d\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>%n",
                        LABEL_W, y, w, BAR_H, b.baseline ? "#9e9e9e" : "#1f77b4"));
                if (!Double.isNaN(b.error) && b.error > 0) {
                    double lo = x(Math.max(1, b.value - b.error), decades, plotW);
                    double hi = x(b.value + b.error, decades, plotW);
                    s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"black\"/>%n",
                            LABEL_W + lo, LABEL_W + hi, y + BAR_H / 2, y + BAR_H / 2));
                }
                text(s, (int) (LABEL_W + w + 6), y + 13, Floors.fmt(b.value) + " " + unit, "");
            }
            y += BAR_H + GAP;
        }
        for (int d = 0; d <= decades; d++) {
            double gx = LABEL_W + plotW * d / decades;
            s.append(String.format(Locale.ROOT, "<line x1=\"%.1f\" x2=\"%.1f\" y1=\"%d\" y2=\"%d\" stroke=\"#ddd\"/>%n",
                    gx, gx, top - 4, y));
            text(s, (int) gx - 8, y + 12, d == 0 ? "1" : "1e" + d, "fill=\"#666\" font-size=\"10\"");
        }
    }

    private static double x(double v, double decades, double plotW) {
        return plotW * Math.max(0, Math.log10(Math.max(v, 1))) / decades;
    }

    private static void text(StringBuilder s, int x, int y, String t, String attrs) {
        s.append("<text x=\"").append(x).append("\" y=\"").append(y).append("\" ").append(attrs).append('>')
                .append(t.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")).append("</text>\n");
    }
}
