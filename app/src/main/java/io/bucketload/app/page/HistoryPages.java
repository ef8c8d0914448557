package io.bucketload.app.page;

import io.bucketload.core.notify.Delivered;
import io.bucketload.core.run.RejectsFile;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.function.BiFunction;

/**
 * Renders the run-history pages: all pipelines, one pipeline's runs, one run. Each page is one HTML
 * document with its CSS inline and its chart as SVG, readable without script and on a phone.
 * Stateless; thread-safe.
 */
public final class HistoryPages {
  /** Runs per page of a pipeline. */
  public static final int RUNS_PER_PAGE = 50;

  /** Failed files a pipeline's page lists. */
  static final int FAILED_FILES = 20;

  /** Where the pages link to: other pages of a server, or places in one file. */
  public interface Links {
    /** The page of all pipelines, empty when there is none. */
    java.util.Optional<String> home();

    /** A pipeline's page of runs, page 1 the newest. */
    String pipeline(String name, int page);

    /** A run's page (or place). */
    String run(String pipeline, String runId);
  }

  /** Links between the pages {@code serve --listen} serves. */
  public static final Links SERVED =
      new Links() {
        @Override
        public java.util.Optional<String> home() {
          return java.util.Optional.of("/");
        }

        @Override
        public String pipeline(String name, int page) {
          return "/pipelines/" + Html.segment(name) + (page > 1 ? "?page=" + page : "");
        }

        @Override
        public String run(String pipeline, String runId) {
          return "/pipelines/" + Html.segment(pipeline) + "/runs/" + Html.segment(runId);
        }
      };

  /** Links within one file: each run is a section of the pipeline's page. */
  public static final Links ONE_FILE =
      new Links() {
        @Override
        public java.util.Optional<String> home() {
          return java.util.Optional.empty();
        }

        @Override
        public String pipeline(String name, int page) {
          return "#runs";
        }

        @Override
        public String run(String pipeline, String runId) {
          return "#" + anchor(runId);
        }
      };

  private HistoryPages() {}

  /** The page of all pipelines: the ones that need attention first. */
  public static String overview(List<PipelineView> pipelines, Instant now) {
    List<PipelineView> sorted = new ArrayList<>(pipelines);
    sorted.sort(
        Comparator.comparing((PipelineView view) -> !view.needsAttention())
            .thenComparing(PipelineView::name));
    long attention = sorted.stream().filter(PipelineView::needsAttention).count();
    Html page = start("bucketload: pipelines");
    page.raw("<header><h1>Pipelines</h1><p class=\"sub\">")
        .text(
            sorted.size()
                + (sorted.size() == 1 ? " pipeline" : " pipelines")
                + (attention == 0
                    ? ", all healthy"
                    : ", " + attention + " " + (attention == 1 ? "needs" : "need") + " attention")
                + " · as of "
                + Html.time(now))
        .raw("</p></header>");
    page.raw(
        "<div class=\"table\"><table><thead><tr><th>Pipeline</th><th>Health</th><th>Last run</th>"
            + "<th>Next run</th><th class=\"n\">Loaded 24 h</th><th class=\"n\">Failed 24 h</th>"
            + "<th class=\"n\">Waiting</th></tr></thead><tbody>");
    Instant dayAgo = now.minus(Duration.ofDays(1));
    for (PipelineView view : sorted) {
      page.raw(view.needsAttention() ? "<tr class=\"attention\">" : "<tr>");
      page.raw("<td class=\"pipeline\"><strong>")
          .link(SERVED.pipeline(view.name(), 1), view.name())
          .raw("</strong><br>")
          .element("span", "muted", view.source() + " → " + view.target())
          .raw("<br>")
          .element("span", "muted", triggers(view))
          .raw("</td><td>");
      health(page, view);
      page.raw("</td><td>");
      if (view.runs().isEmpty()) {
        page.element("span", "muted", "no run yet");
      } else {
        RunView last = view.runs().get(0);
        outcome(page, last.outcome());
        page.raw(" ")
            .link(SERVED.run(view.name(), last.runId()), Html.ago(last.startedAt(), now))
            .raw("<br>")
            .element("span", "muted", Html.time(last.startedAt()));
      }
      page.raw("</td><td>");
      if (view.nextRun().isPresent()) {
        page.text(Html.until(view.nextRun().get(), now))
            .raw("<br>")
            .element("span", "muted", Html.time(view.nextRun().get()));
      } else {
        page.element("span", "muted", unscheduled(view));
      }
      page.raw("</td>");
      String atLeast = view.coversSince(dayAgo) ? "" : "≥ ";
      page.raw("<td class=\"n\">")
          .text(atLeast + Html.count(view.filesSince(dayAgo, "loaded")))
          .raw("</td>");
      long failed = view.filesSince(dayAgo, "failed");
      page.raw(failed > 0 ? "<td class=\"n bad\">" : "<td class=\"n\">")
          .text(atLeast + Html.count(failed))
          .raw("</td>");
      page.raw("<td class=\"n\">")
          .text(view.waiting().map(count -> Html.count(count)).orElse("–"))
          .raw("</td></tr>");
    }
    page.raw("</tbody></table></div>");
    return finish(page);
  }

  /**
   * A pipeline's page: what it is, the chart of its runs, the files that failed, and its runs
   * newest first, {@link #RUNS_PER_PAGE} a page.
   *
   * @param pageNumber the page, 1 the newest runs
   */
  public static String pipeline(PipelineView view, int pageNumber, Instant now, Links links) {
    Html page = start("bucketload: " + view.name());
    pipelineBody(page, view, pageNumber, now, links);
    return finish(page);
  }

  /**
   * A pipeline's page as one file: every run of {@code view} on it, each followed by its details
   * (the run's page) further down, for {@code runs --html}.
   *
   * @param rejects what to show of a file's rejects in a run
   */
  public static String oneFile(
      PipelineView view, Instant now, BiFunction<RunView, FileView, RejectsShown> rejects) {
    Html page = start("bucketload: " + view.name());
    pipelineBody(page, view, 0, now, ONE_FILE);
    page.raw("<h2>Runs in detail</h2>");
    for (RunView run : view.runs()) {
      page.raw("<section class=\"run\" id=\"").text(anchor(run.runId())).raw("\">");
      runBody(page, view, run, rejects, ONE_FILE, 3);
      page.raw("<p><a href=\"#runs\">Back to the runs</a></p></section>");
    }
    return finish(page);
  }

  /**
   * A run's page: each file with its version, status and counts, the most frequent reject reasons
   * and the first rejected rows, the error of a failed file, and the notifications sent.
   *
   * @param rejects what to show of a file's rejects
   */
  public static String run(
      PipelineView view,
      RunView run,
      BiFunction<RunView, FileView, RejectsShown> rejects,
      Links links) {
    Html page = start("bucketload: " + view.name() + " run " + run.runId());
    page.raw("<nav>");
    links.home().ifPresent(home -> page.link(home, "Pipelines").raw(" › "));
    page.link(links.pipeline(view.name(), 1), view.name()).raw(" › run</nav>");
    runBody(page, view, run, rejects, links, 1);
    return finish(page);
  }

  /** The page for an address that names nothing known. */
  public static String notFound(String what) {
    Html page = start("bucketload: not found");
    page.raw("<nav>").link("/", "Pipelines").raw("</nav><h1>Not found</h1><p>").text(what);
    page.raw("</p>");
    return finish(page);
  }

  private static void pipelineBody(
      Html page, PipelineView view, int pageNumber, Instant now, Links links) {
    links.home().ifPresent(home -> page.raw("<nav>").link(home, "Pipelines").raw("</nav>"));
    page.raw("<header><h1>").text(view.name()).raw("</h1><p class=\"sub\">");
    if (view.runs().isEmpty()) {
      page.text("no run recorded yet");
    } else {
      RunView last = view.runs().get(0);
      page.text("last run ");
      outcome(page, last.outcome());
      page.text(" " + Html.ago(last.startedAt(), now) + " · as of " + Html.time(now));
    }
    page.raw("</p></header><dl class=\"facts\">");
    fact(page, "Source", view.source());
    fact(page, "Target", view.target());
    fact(page, "Triggers", triggers(view));
    view.nextRun()
        .ifPresent(
            next -> fact(page, "Next run", Html.time(next) + " (" + Html.until(next, now) + ")"));
    if (view.health().isPresent()) {
      page.raw("<dt>Health</dt><dd>");
      health(page, view);
      page.raw("</dd>");
    }
    Instant dayAgo = now.minus(Duration.ofDays(1));
    fact(
        page,
        "Last 24 h",
        (view.coversSince(dayAgo) ? "" : "at least ")
            + Html.count(view.filesSince(dayAgo, "loaded"))
            + (view.filesSince(dayAgo, "loaded") == 1 ? " file loaded, " : " files loaded, ")
            + Html.count(view.filesSince(dayAgo, "failed"))
            + " failed"
            + view.waiting().map(count -> ", " + count + " waiting now").orElse(""));
    page.raw("</dl>");
    if (!view.runs().isEmpty()) {
      page.raw("<h2>Rows loaded and duration per run</h2>")
          .raw(RunChart.of(view.runs()))
          .raw("<p class=\"legend\">");
      for (RunView.Outcome outcome : RunView.Outcome.values()) {
        page.raw("<span class=\"key o-").text(outcome.cssClass()).raw("\"></span>");
        page.text(outcome.label()).raw(" ");
      }
      page.raw("</p>");
    }
    failedFiles(page, view, links);
    page.raw("<h2 id=\"runs\">Runs</h2>");
    List<RunView> runs = view.runs();
    int pages = Math.max(1, (runs.size() + RUNS_PER_PAGE - 1) / RUNS_PER_PAGE);
    int shownPage = Math.min(Math.max(1, pageNumber), pages);
    List<RunView> shown =
        pageNumber <= 0
            ? runs
            : runs.subList(
                (shownPage - 1) * RUNS_PER_PAGE, Math.min(runs.size(), shownPage * RUNS_PER_PAGE));
    if (runs.isEmpty()) {
      page.element("p", "muted", "No run recorded yet.");
      return;
    }
    page.raw(
        "<div class=\"table\"><table><thead><tr><th>Started</th><th>Run</th><th>Trigger</th>"
            + "<th class=\"n\">Files</th><th class=\"n\">Rows loaded</th>"
            + "<th class=\"n\">Rejected</th><th>Outcome</th><th class=\"n\">Duration</th>"
            + "<th class=\"n\">Rows/s</th></tr></thead><tbody>");
    for (RunView run : shown) {
      page.raw("<tr><td>").text(Html.time(run.startedAt())).raw("</td><td>");
      page.link(links.run(view.name(), run.runId()), run.runId()).raw("</td><td class=\"wrap\">");
      page.text(run.trigger().isEmpty() ? "–" : run.trigger()).raw("</td>");
      number(page, run.files().size());
      number(page, run.rowsLoaded());
      page.raw(run.rowsRejected() > 0 ? "<td class=\"n warn\">" : "<td class=\"n\">")
          .text(Html.count(run.rowsRejected()))
          .raw("</td><td>");
      outcome(page, run.outcome());
      page.raw("</td><td class=\"n\">").text(Html.duration(run.durationMs())).raw("</td>");
      number(page, run.rowsPerSecond());
      page.raw("</tr>");
    }
    page.raw("</tbody></table></div>");
    if (pageNumber > 0 && pages > 1) {
      page.raw("<p class=\"pager\">");
      if (shownPage > 1) {
        page.link(links.pipeline(view.name(), shownPage - 1), "‹ Newer").raw(" ");
      }
      page.text("page " + shownPage + " of " + pages);
      if (shownPage < pages) {
        page.raw(" ").link(links.pipeline(view.name(), shownPage + 1), "Older ›");
      }
      page.raw("</p>");
    }
  }

  private static void failedFiles(Html page, PipelineView view, Links links) {
    List<String[]> failed = new ArrayList<>();
    for (RunView run : view.runs()) {
      for (FileView file : run.files()) {
        if (file.failed() && failed.size() < FAILED_FILES) {
          failed.add(
              new String[] {
                Html.time(run.startedAt()), run.runId(), file.file(), reason(file),
              });
        }
      }
    }
    if (failed.isEmpty()) {
      return;
    }
    page.raw("<h2>Files that failed</h2><div class=\"table\"><table><thead><tr><th>When</th>")
        .raw("<th>Run</th><th>File</th><th>Reason</th></tr></thead><tbody>");
    for (String[] row : failed) {
      page.raw("<tr><td>").text(row[0]).raw("</td><td>");
      page.link(links.run(view.name(), row[1]), row[1]).raw("</td><td class=\"wrap\">");
      page.text(row[2]).raw("</td><td class=\"wrap\">").text(row[3]).raw("</td></tr>");
    }
    page.raw("</tbody></table></div>");
  }

  private static String reason(FileView file) {
    String fault =
        file.fault()
            .map(
                value ->
                    switch (value) {
                      case DATA -> "the file's data";
                      case CONFIG -> "the pipeline's configuration";
                      case SYSTEM -> "the system (tried again)";
                    })
            .orElse("");
    return (fault.isEmpty() ? "" : fault + ": ") + file.error().orElse("no reason recorded");
  }

  private static void runBody(
      Html page,
      PipelineView view,
      RunView run,
      BiFunction<RunView, FileView, RejectsShown> rejects,
      Links links,
      int level) {
    String h = "h" + level;
    String h2 = "h" + (level + 1);
    page.raw("<" + h + ">Run ").text(run.runId()).raw("</" + h + "><p class=\"sub\">");
    outcome(page, run.outcome());
    page.raw("</p><dl class=\"facts\">");
    fact(page, "Pipeline", view.name());
    fact(page, "Started", Html.time(run.startedAt()));
    fact(page, "Trigger", run.trigger().isEmpty() ? "not recorded" : run.trigger());
    fact(page, "Duration", Html.duration(run.durationMs()));
    fact(
        page,
        "Rows",
        Html.count(run.rowsLoaded())
            + " loaded, "
            + Html.count(run.rowsRejected())
            + " rejected"
            + (run.rowsPerSecond() > 0 ? ", " + Html.count(run.rowsPerSecond()) + " rows/s" : ""));
    page.raw("</dl><" + h2 + ">Files</" + h2 + ">");
    if (run.files().isEmpty()) {
      page.element("p", "muted", "No file: the run found nothing to load.");
    } else {
      page.raw(
          "<div class=\"table\"><table><thead><tr><th>File</th><th>Version</th><th>Status</th>"
              + "<th class=\"n\">Read</th><th class=\"n\">Inserted</th><th class=\"n\">Updated</th>"
              + "<th class=\"n\">Unchanged</th><th class=\"n\">Deleted</th>"
              + "<th class=\"n\">Loaded</th><th class=\"n\">Rejected</th></tr></thead><tbody>");
      for (FileView file : run.files()) {
        page.raw("<tr><td class=\"wrap\">").text(file.file()).raw("</td><td class=\"version\">");
        page.text(file.version()).raw("</td><td>");
        page.element("span", "pill s-" + file.status(), file.status()).raw("</td>");
        number(page, file.rowsRead());
        optional(page, file.counts().inserted());
        optional(page, file.counts().updated());
        optional(page, file.counts().unchanged());
        optional(page, file.counts().deleted());
        number(page, file.counts().loaded());
        page.raw(file.rowsRejected() > 0 ? "<td class=\"n warn\">" : "<td class=\"n\">")
            .text(Html.count(file.rowsRejected()))
            .raw("</td></tr>");
      }
      page.raw("</tbody></table></div>");
    }
    for (FileView file : run.files()) {
      if (file.failed()) {
        page.raw("<div class=\"error\"><strong>").text(file.file()).raw(" failed</strong><p>");
        page.text(reason(file)).raw("</p></div>");
      }
    }
    for (FileView file : run.files()) {
      if (file.rowsRejected() > 0) {
        page.raw("<" + h2 + ">Rejects of ").text(file.file()).raw("</" + h2 + ">");
        rejects(page, rejects.apply(run, file), file);
      }
    }
    page.raw("<" + h2 + ">Notifications</" + h2 + ">");
    if (run.notifications().isEmpty()) {
      page.element(
          "p",
          "muted",
          "Not read for a run this old; bucketload runs PIPELINE.yaml --json lists them.");
    } else if (run.notifications().get().isEmpty()) {
      page.element("p", "muted", "None sent for this run.");
    } else {
      page.raw("<ul class=\"notifications\">");
      for (Delivered sent : run.notifications().get()) {
        page.raw("<li>");
        page.element(
            "span",
            sent.delivered() ? "pill s-loaded" : "pill s-failed",
            sent.delivered() ? "delivered" : "not delivered");
        page.raw(" ").text(sent.channel());
        sent.error().ifPresent(error -> page.raw(": ").text(error));
        page.raw("</li>");
      }
      page.raw("</ul>");
    }
  }

  private static void rejects(Html page, RejectsShown shown, FileView file) {
    if (shown instanceof RejectsShown.Unavailable unavailable) {
      page.raw("<p class=\"muted\">")
          .text(
              Html.count(file.rowsRejected())
                  + (file.rowsRejected() == 1 ? " row rejected; " : " rows rejected; ")
                  + unavailable.why()
                  + ".")
          .raw("</p>");
      return;
    }
    RejectsShown.Summed summed = (RejectsShown.Summed) shown;
    RejectsFile.Summary summary = summed.summary();
    page.raw("<p class=\"muted\">")
        .text(
            (summary.complete()
                    ? Html.count(summary.rows()) + " rows in "
                    : "the first " + Html.count(summary.rows()) + " rows counted of ")
                + summed.location())
        .raw("</p>");
    summed.note().ifPresent(note -> page.element("p", "warn", note));
    page.raw("<div class=\"table\"><table><thead><tr><th>Column</th><th>Reason</th>")
        .raw("<th class=\"n\">Rows</th></tr></thead><tbody>");
    int shownReasons = 0;
    for (RejectsFile.ReasonCount reason : summary.reasons()) {
      if (shownReasons++ == 10) {
        break;
      }
      page.raw("<tr><td>")
          .text(reason.reason().column().isEmpty() ? "–" : reason.reason().column());
      page.raw("</td><td class=\"wrap\">").text(reason.reason().reason()).raw("</td>");
      number(page, reason.count());
      page.raw("</tr>");
    }
    long others =
        summary.otherReasons()
            + summary.reasons().stream().skip(10).mapToLong(RejectsFile.ReasonCount::count).sum();
    if (others > 0) {
      page.raw("<tr><td>–</td><td class=\"muted\">other reasons</td>");
      number(page, others);
      page.raw("</tr>");
    }
    page.raw("</tbody></table></div>");
    page.raw("<p>First rejected rows</p><div class=\"table\"><table><thead><tr>")
        .raw("<th class=\"n\">Line</th><th>Column</th><th>Value</th><th>Reason</th>")
        .raw("</tr></thead><tbody>");
    for (RejectsFile.Rejected row : summary.first()) {
      page.raw("<tr>");
      number(page, row.line());
      page.raw("<td>").text(row.column().isEmpty() ? "–" : row.column());
      page.raw("</td><td class=\"value\">").text(row.value());
      page.raw("</td><td class=\"wrap\">").text(row.reason()).raw("</td></tr>");
    }
    page.raw("</tbody></table></div>");
  }

  private static void health(Html page, PipelineView view) {
    if (view.health().isEmpty()) {
      page.element("span", "muted", "not known");
    } else if (view.health().get().isEmpty()) {
      page.element("span", "pill s-loaded", "ok");
    } else {
      page.element("span", "pill s-failed", "unhealthy");
      for (String problem : view.health().get()) {
        page.raw("<br>").element("span", "problem", problem);
      }
    }
  }

  /** What starts a pipeline's runs when no schedule does. */
  private static String unscheduled(PipelineView view) {
    if (view.triggers().stream().anyMatch(trigger -> trigger.startsWith("watch"))) {
      return "when files change";
    }
    if (view.triggers().stream().anyMatch(trigger -> trigger.startsWith("sqs"))) {
      return "on events";
    }
    return view.triggers().isEmpty() ? "by hand" : "–";
  }

  private static String triggers(PipelineView view) {
    return view.triggers().isEmpty() ? "by hand" : String.join("; ", view.triggers());
  }

  private static void outcome(Html page, RunView.Outcome outcome) {
    page.element("span", "pill o-" + outcome.cssClass(), outcome.label());
  }

  private static void fact(Html page, String name, String value) {
    page.raw("<dt>").text(name).raw("</dt><dd>").text(value).raw("</dd>");
  }

  private static void number(Html page, long value) {
    page.raw("<td class=\"n\">").text(Html.count(value)).raw("</td>");
  }

  private static void optional(Html page, OptionalLong value) {
    page.raw("<td class=\"n\">")
        .text(value.isPresent() ? Html.count(value.getAsLong()) : "–")
        .raw("</td>");
  }

  /** The id of a run's section in one file. */
  static String anchor(String runId) {
    return "run-" + runId.replaceAll("[^A-Za-z0-9_-]", "_");
  }

  private static Html start(String title) {
    Html page = new Html();
    page.raw("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">")
        .raw("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">")
        .raw("<title>")
        .text(title)
        .raw("</title><style>")
        .raw(CSS)
        .raw("</style></head><body><main>");
    return page;
  }

  private static String finish(Html page) {
    return page.raw("<footer>bucketload</footer></main></body></html>").toString();
  }

  private static final String CSS =
      String.join(
          "",
          ":root{color-scheme:light;--bad:#b3261e;--warn:#8a5a00;--good:#1e6b34;--muted:#5f6368}",
          "body{margin:0;font:15px/1.45 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif;",
          "color:#1f2328;background:#f6f7f9}",
          "main{max-width:1180px;margin:0 auto;padding:16px}",
          "h1{font-size:1.5em;margin:.2em 0}h2{font-size:1.15em;margin:1.4em 0 .5em}",
          "h3{font-size:1.05em;margin:1.2em 0 .4em}h4{font-size:1em;margin:1em 0 .4em}",
          "p{overflow-wrap:anywhere}a{color:#0b57d0}nav{margin-bottom:8px}.sub{margin:0 0 12px;color:var(--muted)}",
          ".table{overflow-x:auto;background:#fff;border:1px solid #d8dce0;border-radius:6px}",
          "table{border-collapse:collapse;width:100%}",
          "th,td{padding:6px 10px;text-align:left;vertical-align:top;",
          "border-bottom:1px solid #eceff1;white-space:nowrap}",
          "th{font-weight:600;background:#f1f3f5;font-size:.9em}",
          "td.n,th.n{text-align:right;font-variant-numeric:tabular-nums}",
          "td.wrap,td.value,td.pipeline{white-space:normal;overflow-wrap:anywhere;min-width:10em}",
          "td.pipeline{max-width:28em}",
          "td.value{font-family:ui-monospace,monospace;font-size:.9em}",
          "td.version{font-family:ui-monospace,monospace;font-size:.85em;max-width:14em;",
          "overflow:hidden;text-overflow:ellipsis}",
          "tr.attention td{background:#fff4f2}",
          ".muted{color:var(--muted)}.bad{color:var(--bad);font-weight:600}",
          ".warn{color:var(--warn);font-weight:600}.problem{color:var(--bad)}",
          ".pill{display:inline-block;padding:0 8px;border-radius:10px;font-size:.85em;",
          "font-weight:600;color:#fff;background:#6b7280}",
          ".pill.o-failed,.pill.s-failed{background:var(--bad)}",
          ".pill.o-rejects{background:#b26a00}.pill.o-loaded,.pill.s-loaded{background:var(--good)}",
          ".pill.s-waiting{background:#3b6fb6}",
          "dl.facts{display:grid;grid-template-columns:max-content 1fr;gap:4px 16px;margin:0;",
          "background:#fff;border:1px solid #d8dce0;border-radius:6px;padding:10px 14px}",
          "dl.facts dt{color:var(--muted)}dl.facts dd{margin:0;overflow-wrap:anywhere}",
          ".error{background:#fff4f2;border:1px solid #f1c6c1;border-radius:6px;",
          "padding:8px 12px;margin:10px 0;overflow-wrap:anywhere}.error p{margin:4px 0 0}",
          "svg.chart{width:100%;height:auto;background:#fff;border:1px solid #d8dce0;",
          "border-radius:6px}",
          "svg .axis{stroke:#9aa0a6}svg .grid{stroke:#eceff1}",
          "svg .tick,svg .label{font-size:11px;fill:#5f6368}",
          ".o-failed{fill:#b3261e;background:#b3261e}.o-rejects{fill:#e6a100;background:#e6a100}",
          ".o-loaded{fill:#2e8b57;background:#2e8b57}.o-nothing{fill:#9aa0a6;background:#9aa0a6}",
          ".legend .key{display:inline-block;width:10px;height:10px;border-radius:2px;",
          "margin:0 4px 0 8px}",
          "section.run{border-top:2px solid #d8dce0;margin-top:24px}",
          ".pager{text-align:center}footer{margin-top:24px;color:var(--muted);font-size:.85em}",
          "ul.notifications{padding-left:18px}",
          "@media (max-width:640px){main{padding:8px}dl.facts{grid-template-columns:1fr}",
          "dl.facts dt{font-weight:600}th,td{padding:5px 6px}}");
}
