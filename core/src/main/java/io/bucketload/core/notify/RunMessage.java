package io.bucketload.core.notify;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.OneLine;
import io.bucketload.core.run.RejectReason;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.run.RunReportJson;
import io.bucketload.core.spec.NotifyOn;
import io.bucketload.core.target.FileStatus;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.Set;

/**
 * What a notification says of a run, the same facts on every channel: a subject that reads at a
 * glance ({@code [bucketload] orders: 2 loaded, 1 failed (missing column 'customer_id')}), a plain
 * text and an HTML body, and a webhook payload ({@code text}, Slack {@code blocks}, {@code data}:
 * the JSON report). Per file: status, rows read / loaded / rejected, what the target changed,
 * duration and rows/s, the rejects file, the three most frequent reject reasons with a line each,
 * and a failed file's error. Files skipped as already loaded, and failures already reported for the
 * same version, are counted but not listed: they are not news. Immutable.
 */
public final class RunMessage {
  private static final ObjectMapper JSON = new ObjectMapper();

  /** Slack refuses a message of more blocks than this. */
  private static final int MAX_BLOCKS = 50;

  /** The most characters of the payload's {@code text}: Slack cuts it at 40,000. */
  private static final int MAX_TEXT = 39_000;

  private final RunReport report;
  private final List<FileReport> news;
  private final int notNews;

  private RunMessage(RunReport report) {
    this.report = report;
    List<FileReport> listed = new ArrayList<>();
    int quiet = 0;
    for (FileReport file : report.files()) {
      if (isNews(file)) {
        listed.add(file);
      } else {
        quiet++;
      }
    }
    // Failures first: a long message is cut (Slack's blocks after 50, its text after 40,000
    // characters), and what failed must not be in the part that is cut.
    listed.sort(java.util.Comparator.comparing(file -> file.status() != FileStatus.FAILED));
    this.news = List.copyOf(listed);
    this.notNews = quiet;
  }

  /** The message of a run. */
  public static RunMessage of(RunReport report) {
    return new RunMessage(report);
  }

  /** The run the message is about. */
  public RunReport report() {
    return report;
  }

  private static boolean isNews(FileReport file) {
    if (file.status() == FileStatus.SKIPPED) {
      return false;
    }
    // A redelivered event for a file that failed on its data: told once, when it failed. A file
    // that fails on the system again in the same outage (a retry while the database is down): told
    // once, when the outage began.
    return file.outcome().repeats().isEmpty();
  }

  /** What kind of run this is, for {@code notify[].on}: never empty ({@code always} at least). */
  public Set<NotifyOn> events() {
    Set<NotifyOn> events = EnumSet.of(NotifyOn.ALWAYS);
    boolean failed = news.stream().anyMatch(file -> file.status() == FileStatus.FAILED);
    boolean loaded = news.stream().anyMatch(file -> file.status() == FileStatus.LOADED);
    if (failed) {
      events.add(NotifyOn.FAILURE);
    } else if (loaded) {
      events.add(NotifyOn.SUCCESS);
    }
    if (news.stream()
        .anyMatch(file -> file.status() == FileStatus.LOADED && file.rowsRejected() > 0)) {
      events.add(NotifyOn.REJECTS);
    }
    return events;
  }

  /** Whether a channel told of {@code on} hears of this run. */
  public boolean wanted(Set<NotifyOn> on) {
    return events().stream().anyMatch(on::contains);
  }

  /** The counts of the run: {@code 2 loaded, 1 failed, 3 already loaded}. */
  public String counts() {
    List<String> parts = new ArrayList<>();
    for (FileStatus status : FileStatus.values()) {
      long count = news.stream().filter(file -> file.status() == status).count();
      if (count > 0) {
        parts.add(count + " " + status.reportName());
      }
    }
    if (notNews > 0) {
      parts.add(notNews + " already handled");
    }
    return parts.isEmpty() ? "no files" : String.join(", ", parts);
  }

  /**
   * The subject: {@code [bucketload] orders: 2 loaded, 1 failed (missing column 'customer_id')}; at
   * most {@code 100} characters.
   */
  public String subject() {
    String subject = "[bucketload] " + report.pipeline() + ": " + counts();
    String reason =
        news.stream()
            .filter(file -> file.status() == FileStatus.FAILED)
            .findFirst()
            .flatMap(FileReport::error)
            .map(error -> shortReason(error))
            .orElse("");
    if (!reason.isEmpty()) {
      subject += " (" + reason + ")";
    }
    return subject.length() <= 100 ? subject : subject.substring(0, 99) + "…";
  }

  /** An error without the file's name in front, on one line. */
  private static String shortReason(String error) {
    String line = error.lines().findFirst().orElse(error);
    int colon = line.indexOf(": ");
    String reason = colon > 0 && colon < 80 ? line.substring(colon + 2) : line;
    return reason.length() <= 60 ? reason : reason.substring(0, 59) + "…";
  }

  /** The plain text body. */
  public String text() {
    StringBuilder text = new StringBuilder();
    text.append("Pipeline ")
        .append(report.pipeline())
        .append(", run ")
        .append(report.runId())
        .append('\n')
        .append("Started ")
        .append(started())
        .append(" by ")
        .append(report.trigger())
        .append(", ")
        .append(seconds(report.durationMs()))
        .append('\n')
        .append(counts())
        .append("\n");
    for (FileReport file : news) {
      text.append('\n')
          .append(
              String.format(
                  Locale.ROOT, "%-8s %s%n", file.status().reportName(), OneLine.of(file.file())));
      for (String line : details(file)) {
        text.append("         ").append(line).append('\n');
      }
    }
    report.notes().forEach(note -> text.append('\n').append(note).append('\n'));
    return text.toString();
  }

  /** The HTML body: the same facts as {@link #text()}, every value escaped. */
  public String html() {
    StringBuilder html = new StringBuilder();
    html.append("<!DOCTYPE html><html><body style=\"font-family:sans-serif\">")
        .append("<h2>")
        .append(escape(report.pipeline()))
        .append(": ")
        .append(escape(counts()))
        .append("</h2><p>Run <code>")
        .append(escape(report.runId()))
        .append("</code>, started ")
        .append(escape(started().toString()))
        .append(" by ")
        .append(escape(report.trigger()))
        .append(", ")
        .append(escape(seconds(report.durationMs())))
        .append("</p>");
    if (!news.isEmpty()) {
      html.append("<table cellpadding=\"4\" style=\"border-collapse:collapse\">")
          .append("<tr><th align=\"left\">Status</th><th align=\"left\">File</th>")
          .append("<th align=\"left\">What happened</th></tr>");
      for (FileReport file : news) {
        html.append("<tr style=\"border-top:1px solid #ccc\"><td valign=\"top\"><b>")
            .append(escape(file.status().reportName()))
            .append("</b></td><td valign=\"top\">")
            .append(escape(OneLine.of(file.file())))
            .append("</td><td>");
        html.append(String.join("<br>", details(file).stream().map(RunMessage::escape).toList()));
        html.append("</td></tr>");
      }
      html.append("</table>");
    }
    for (String note : report.notes()) {
      html.append("<p>").append(escape(note)).append("</p>");
    }
    return html.append("</body></html>").toString();
  }

  /**
   * The webhook payload: {@code text} (the subject and the files, for any chat tool), Slack {@code
   * blocks}, and {@code data}, the run's JSON report ({@code --report}'s shape).
   */
  public ObjectNode webhookPayload() {
    ObjectNode payload = JSON.createObjectNode();
    // Slack reads <...> in text as links and mentions: file names and errors come from untrusted
    // files, so every value is escaped (the header block is plain text).
    payload.put("text", clip(slack(subject() + "\n" + text()), MAX_TEXT));
    ArrayNode blocks = payload.putArray("blocks");
    ObjectNode header = blocks.addObject();
    header.put("type", "header");
    header.putObject("text").put("type", "plain_text").put("text", clip(subject(), 150));
    section(
        blocks,
        "Run `"
            + slack(report.runId())
            + "` started "
            + started()
            + " by "
            + slack(report.trigger())
            + ", "
            + seconds(report.durationMs()));
    for (int i = 0; i < news.size(); i++) {
      FileReport file = news.get(i);
      boolean lastBlock = blocks.size() == MAX_BLOCKS - 1;
      if (lastBlock && i < news.size() - 1) {
        section(blocks, "… and " + (news.size() - i) + " more files: see the report in `data`.");
        break;
      }
      section(
          blocks,
          "*"
              + file.status().reportName()
              + "* "
              + code(OneLine.of(file.file()))
              + "\n"
              + slack(String.join("\n", details(file))));
    }
    payload.set("data", RunReportJson.toJson(report));
    return payload;
  }

  /** Text made safe for Slack's mrkdwn and message text: {@code & < >} escaped. */
  static String slack(String text) {
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
  }

  /**
   * A name as Slack code ({@code `orders.csv`}); a name with a backquote, which would end the code
   * early, as plain text.
   */
  private static String code(String name) {
    return name.indexOf('`') < 0 ? "`" + slack(name) + "`" : slack(name);
  }

  /** When the run started, to the second. */
  private java.time.Instant started() {
    return report.startedAt().truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
  }

  private static void section(ArrayNode blocks, String markdown) {
    ObjectNode section = blocks.addObject();
    section.put("type", "section");
    section.putObject("text").put("type", "mrkdwn").put("text", clip(markdown, 3000));
  }

  private static String clip(String text, int length) {
    return text.length() <= length ? text : text.substring(0, length - 1) + "…";
  }

  /** The lines that say what happened to a file. */
  private static List<String> details(FileReport file) {
    List<String> lines = new ArrayList<>();
    if (file.status() == FileStatus.LOADED || file.rowsRead() > 0) {
      StringBuilder rows =
          new StringBuilder()
              .append(file.rowsRead())
              .append(file.rowsRead() == 1 ? " row read, " : " rows read, ")
              .append(file.rowsLoaded())
              .append(" loaded, ")
              .append(file.rowsRejected())
              .append(" rejected");
      if (file.stats().rowsFiltered() > 0) {
        rows.append(", ").append(file.stats().rowsFiltered()).append(" filtered");
      }
      List<String> changes = new ArrayList<>();
      change(changes, "inserted", file.inserted());
      change(changes, "updated", file.updated());
      change(changes, "unchanged", file.unchanged());
      change(changes, "deleted", file.deleted());
      if (!changes.isEmpty()) {
        rows.append("; ").append(String.join(", ", changes));
      }
      rows.append("; ").append(seconds(file.durationMs()));
      if (file.durationMs() > 0 && file.rowsRead() > 0) {
        rows.append(
            String.format(
                Locale.ROOT, " (%,d rows/s)", file.rowsRead() * 1000 / file.durationMs()));
      }
      lines.add(rows.toString());
    }
    file.rejectsPath().ifPresent(path -> lines.add("rejects: " + OneLine.of(path)));
    for (RejectReason reason : file.stats().rejectReasons()) {
      lines.add("rejected: " + reason.describe());
    }
    file.error().ifPresent(error -> lines.add("error: " + OneLine.of(error)));
    file.note().ifPresent(note -> lines.add(OneLine.of(note)));
    for (String warning : file.warnings()) {
      lines.add("warning: " + OneLine.of(warning));
    }
    return lines;
  }

  private static void change(List<String> changes, String name, OptionalLong count) {
    if (count.isPresent()) {
      changes.add(count.getAsLong() + " " + name);
    }
  }

  private static String seconds(long millis) {
    return String.format(Locale.ROOT, "%.2f s", millis / 1000.0);
  }

  /** Text made safe for HTML element content and attribute values. */
  static String escape(String text) {
    StringBuilder out = new StringBuilder(text.length() + 16);
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '<' -> out.append("&lt;");
        case '>' -> out.append("&gt;");
        case '&' -> out.append("&amp;");
        case '"' -> out.append("&quot;");
        case '\'' -> out.append("&#39;");
        default -> out.append(c);
      }
    }
    return out.toString();
  }
}
