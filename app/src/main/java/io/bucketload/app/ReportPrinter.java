package io.bucketload.app;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.OneLine;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.target.FileStatus;
import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;

/** Prints a run report for people: one block per file, then a summary line. */
final class ReportPrinter {
  private ReportPrinter() {}

  static void print(RunReport report, PrintWriter out) {
    out.printf(
        Locale.ROOT,
        "pipeline %s, run %s: %d file(s) in %s%n",
        report.pipeline(),
        report.runId(),
        report.files().size(),
        seconds(report.durationMs()));
    report.notes().forEach(note -> out.println("  note: " + OneLine.of(note)));
    for (FileReport file : report.files()) {
      out.printf(Locale.ROOT, "  %-8s %s%n", file.status().reportName(), OneLine.of(file.file()));
      switch (file.status()) {
        case LOADED, VALID -> {
          List<String> parts = new ArrayList<>();
          parts.add(
              String.format(
                  Locale.ROOT,
                  "%d %s read, %d %s, %d rejected%s",
                  file.rowsRead(),
                  file.rowsRead() == 1 ? "row" : "rows",
                  file.status() == FileStatus.VALID
                      ? file.rowsRead() - file.rowsRejected() - file.stats().rowsFiltered()
                      : file.rowsLoaded(),
                  file.status() == FileStatus.VALID ? "valid" : "loaded",
                  file.rowsRejected(),
                  file.stats().rowsFiltered() > 0
                      ? ", " + file.stats().rowsFiltered() + " filtered"
                      : ""));
          String counts = counts(file);
          if (!counts.isEmpty()) {
            parts.add(counts);
          }
          parts.add(seconds(file.durationMs()) + rate(file));
          out.println("           " + String.join("; ", parts));
        }
        case SKIPPED ->
            out.println("           " + OneLine.of(file.note().orElse("already loaded")));
        case WAITING -> out.println("           " + OneLine.of(file.note().orElse("waiting")));
        case FAILED -> {
          out.println("           error: " + OneLine.of(file.error().orElse("unknown")));
          if (file.rowsRead() > 0) {
            out.printf(
                Locale.ROOT,
                "           %d %s read, %d rejected, %s%n",
                file.rowsRead(),
                file.rowsRead() == 1 ? "row" : "rows",
                file.rowsRejected(),
                file.writesStay() ? "not recorded as loaded" : "nothing loaded");
          }
        }
      }
      file.rejectsPath().ifPresent(path -> out.println("           rejects: " + OneLine.of(path)));
      file.stats()
          .rejectReasons()
          .forEach(reason -> out.println("           rejected: " + reason.describe()));
      file.exports().forEach(path -> out.println("           export: " + path));
      file.warnings().forEach(warning -> out.println("           warning: " + OneLine.of(warning)));
    }
    out.printf(
        Locale.ROOT,
        "%d loaded, %d skipped, %d failed%s%s%n",
        report.count(FileStatus.LOADED),
        report.count(FileStatus.SKIPPED),
        report.count(FileStatus.FAILED),
        report.count(FileStatus.WAITING) > 0
            ? ", " + report.count(FileStatus.WAITING) + " waiting"
            : "",
        report.count(FileStatus.VALID) > 0
            ? ", " + report.count(FileStatus.VALID) + " valid (dry run)"
            : "");
    for (io.bucketload.core.notify.Delivered sent : report.notifications()) {
      out.println(
          sent.delivered()
              ? "notified " + sent.channel()
              : "notification to "
                  + sent.channel()
                  + " failed: "
                  + OneLine.of(sent.error().orElse("")));
    }
    out.flush();
  }

  private static String counts(FileReport file) {
    List<String> parts = new ArrayList<>();
    add(parts, "inserted", file.inserted());
    add(parts, "updated", file.updated());
    add(parts, "unchanged", file.unchanged());
    add(parts, "deleted", file.deleted());
    return String.join(", ", parts);
  }

  private static void add(List<String> parts, String name, OptionalLong value) {
    if (value.isPresent() && (value.getAsLong() > 0 || name.equals("inserted"))) {
      parts.add(value.getAsLong() + " " + name);
    }
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  private static String rate(FileReport file) {
    if (file.durationMs() < 200 || file.rowsRead() == 0) {
      return "";
    }
    return String.format(
        Locale.ROOT,
        " (%,.0f rows/s, %.1f MB/s)",
        file.rowsPerSecond(),
        file.bytes() / 1_000_000.0 / (file.durationMs() / 1000.0));
  }
}
