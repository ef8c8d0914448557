package io.bucketload.app.page;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The chart of a pipeline's runs as inline SVG, drawn on the server: rows loaded per run (bars)
 * above the run's duration (dots), over time, each coloured by the run's outcome, each with a
 * tooltip ({@code <title>}) that names the run. No script.
 */
final class RunChart {
  /** The most runs a chart shows: the newest. */
  static final int RUNS = 100;

  private static final int WIDTH = 720;
  private static final int LEFT = 78;
  private static final int RIGHT = WIDTH - 12;
  private static final int ROWS_TOP = 22;
  private static final int ROWS_BOTTOM = 112;
  private static final int DURATION_TOP = 146;
  private static final int DURATION_BOTTOM = 236;
  private static final int HEIGHT = 262;

  private RunChart() {}

  /**
   * The chart of {@code runs} (newest first, as pages list them); empty markup when there are none.
   */
  static String of(List<RunView> runs) {
    if (runs.isEmpty()) {
      return "";
    }
    List<RunView> shown = new ArrayList<>(runs.subList(0, Math.min(RUNS, runs.size())));
    java.util.Collections.reverse(shown);
    long first = shown.get(0).startedAt().toEpochMilli();
    long last = shown.get(shown.size() - 1).startedAt().toEpochMilli();
    long maxRows = Math.max(1, shown.stream().mapToLong(RunView::rowsLoaded).max().orElse(1));
    long maxDuration = Math.max(1, shown.stream().mapToLong(RunView::durationMs).max().orElse(1));
    Html svg = new Html();
    svg.raw(
            String.format(
                Locale.ROOT,
                "<svg class=\"chart\" viewBox=\"0 0 %d %d\" role=\"img\" aria-label=\"",
                WIDTH,
                HEIGHT))
        .text("Rows loaded and duration of the last " + shown.size() + " runs")
        .raw("\">");
    axis(svg, ROWS_TOP, ROWS_BOTTOM, "rows loaded", Html.count(maxRows));
    axis(svg, DURATION_TOP, DURATION_BOTTOM, "duration", Html.duration(maxDuration));
    for (int i = 0; i < shown.size(); i++) {
      RunView run = shown.get(i);
      double x = x(run.startedAt().toEpochMilli(), first, last, i, shown.size());
      String css = "o-" + run.outcome().cssClass();
      String title =
          Html.time(run.startedAt())
              + " · run "
              + run.runId()
              + " · "
              + run.outcome().label()
              + " · "
              + Html.count(run.rowsLoaded())
              + " rows · "
              + Html.duration(run.durationMs());
      double height = (ROWS_BOTTOM - ROWS_TOP) * (double) run.rowsLoaded() / maxRows;
      svg.raw(
              String.format(
                  Locale.ROOT,
                  "<rect class=\"%s\" x=\"%.1f\" y=\"%.1f\" width=\"4\" height=\"%.1f\"><title>",
                  css,
                  x - 2,
                  ROWS_BOTTOM - Math.max(1, height),
                  Math.max(1, height)))
          .text(title)
          .raw("</title></rect>");
      double y =
          DURATION_BOTTOM
              - (DURATION_BOTTOM - DURATION_TOP) * (double) run.durationMs() / maxDuration;
      svg.raw(
              String.format(
                  Locale.ROOT,
                  "<circle class=\"%s\" cx=\"%.1f\" cy=\"%.1f\" r=\"4\"><title>",
                  css,
                  x,
                  y))
          .text(title)
          .raw("</title></circle>");
    }
    svg.raw(String.format(Locale.ROOT, "<text class=\"tick\" x=\"%d\" y=\"%d\">", LEFT, HEIGHT - 6))
        .text(Html.time(shown.get(0).startedAt()))
        .raw("</text>");
    if (shown.size() > 1) {
      svg.raw(
              String.format(
                  Locale.ROOT,
                  "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                  RIGHT,
                  HEIGHT - 6))
          .text(Html.time(shown.get(shown.size() - 1).startedAt()))
          .raw("</text>");
    }
    return svg.raw("</svg>").toString();
  }

  private static void axis(Html svg, int top, int bottom, String name, String max) {
    svg.raw(
            String.format(
                Locale.ROOT,
                "<line class=\"axis\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>"
                    + "<line class=\"grid\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"/>",
                LEFT,
                bottom,
                RIGHT,
                bottom,
                LEFT,
                top,
                RIGHT,
                top))
        .raw(
            String.format(
                Locale.ROOT,
                "<text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">",
                LEFT - 6,
                top + 4))
        .text(max)
        .raw(
            String.format(
                Locale.ROOT,
                "</text><text class=\"tick\" x=\"%d\" y=\"%d\" text-anchor=\"end\">0</text>",
                LEFT - 6,
                bottom + 4))
        .raw(String.format(Locale.ROOT, "<text class=\"label\" x=\"%d\" y=\"%d\">", LEFT, top - 8))
        .text(name)
        .raw("</text>");
  }

  /** Where a run starts on the time axis; evenly spaced when all started at once. */
  private static double x(long at, long first, long last, int index, int count) {
    double span = RIGHT - LEFT - 8;
    if (last == first) {
      return LEFT + 4 + (count == 1 ? span / 2 : span * index / (count - 1));
    }
    return LEFT + 4 + span * (at - first) / (double) (last - first);
  }
}
