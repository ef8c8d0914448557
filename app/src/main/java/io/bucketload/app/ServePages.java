package io.bucketload.app;

import com.sun.net.httpserver.HttpExchange;
import io.bucketload.app.page.FileView;
import io.bucketload.app.page.HistoryPages;
import io.bucketload.app.page.PipelineView;
import io.bucketload.app.page.RunRejects;
import io.bucketload.app.page.RunView;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.trigger.Trigger;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The run-history pages of {@code serve --listen}: {@code /} (every pipeline), {@code
 * /pipelines/NAME} (its runs, {@code ?page=N}) and {@code /pipelines/NAME/runs/RUN} (one run). Each
 * pipeline's runs are read from its ledger when it opens, then kept from the reports of the runs
 * that follow: the latest {@value #KEPT_RUNS}, and fewer when they hold more than {@value
 * #KEPT_FILES} files. A run's rejects are read from the pipeline's output store when its page is
 * asked for. Thread-safe.
 */
final class ServePages implements AutoCloseable {
  /** How many runs of each pipeline the pages keep. */
  static final int KEPT_RUNS = 500;

  /** How many files the kept runs of a pipeline may hold; the oldest runs go first. */
  static final int KEPT_FILES = 20_000;

  /** How many ledger entries a pipeline's history starts from. */
  static final int LEDGER_ENTRIES = 2000;

  /** Of how many of the latest runs read from the ledger the notifications are read too. */
  static final int NOTIFIED_RUNS = 100;

  /** What the pages show of the service's own view of a pipeline. */
  interface Status {
    /** The problems of the pipeline's source, target and triggers; empty when healthy. */
    List<String> problems(String pipeline);

    /** How many files wait to load. */
    int waiting(String pipeline);
  }

  /**
   * A pipeline once opened: what it is and what it did before the service started.
   *
   * @param source its source, for people
   * @param target its target, for people
   * @param triggers its triggers, opened
   * @param runs the runs its ledger recorded, newest first
   * @param allRuns whether those are all the runs its ledger recorded
   */
  record Opened(
      String source, String target, List<Trigger> triggers, List<RunView> runs, boolean allRuns) {
    /** Copies the lists. */
    Opened {
      triggers = List.copyOf(triggers);
      runs = List.copyOf(runs);
    }
  }

  private final Map<String, Served> pipelines = new LinkedHashMap<>();
  private final Status status;

  ServePages(List<PipelineSpec> specs, Status status) {
    this.status = status;
    for (PipelineSpec spec : specs) {
      pipelines.put(spec.name(), new Served(spec));
    }
  }

  /** The pipeline opened: its descriptions, triggers and the runs its ledger recorded. */
  void opened(String pipeline, Opened opened) {
    Served served = pipelines.get(pipeline);
    if (served == null) {
      return;
    }
    synchronized (served) {
      served.source = opened.source();
      served.target = opened.target();
      served.triggers = opened.triggers();
      served.runs.clear();
      served.files = 0;
      served.dropped = !opened.allRuns();
      opened.runs().forEach(run -> served.add(run, false));
    }
  }

  /** A run finished: kept when it tried to load a file, as the ledger keeps it. */
  void record(RunReport report) {
    Served served = pipelines.get(report.pipeline());
    if (served == null) {
      return;
    }
    RunView.of(report)
        .ifPresent(
            run -> {
              synchronized (served) {
                served.add(run, true);
              }
            });
  }

  /** Masks the secrets of every pipeline served in {@code text}. */
  String mask(String text) {
    String masked = text;
    for (Served served : pipelines.values()) {
      masked = served.spec.mask(masked);
    }
    return masked;
  }

  /** Answers a request for a page. */
  void handle(HttpExchange exchange) throws IOException {
    String path = exchange.getRequestURI().getPath();
    Instant now = Instant.now();
    String[] parts = path.split("/", -1);
    if (path.equals("/")) {
      List<PipelineView> views = new ArrayList<>();
      for (String name : pipelines.keySet()) {
        views.add(view(name));
      }
      html(exchange, 200, HistoryPages.overview(views, now));
    } else if (parts.length == 3 && parts[1].equals("pipelines") && known(parts[2])) {
      html(
          exchange,
          200,
          HistoryPages.pipeline(view(parts[2]), page(exchange), now, HistoryPages.SERVED));
    } else if (parts.length == 5
        && parts[1].equals("pipelines")
        && known(parts[2])
        && parts[3].equals("runs")) {
      PipelineView view = view(parts[2]);
      Optional<RunView> run = view.run(parts[4]);
      if (run.isEmpty()) {
        html(
            exchange,
            404,
            HistoryPages.notFound(
                "Pipeline " + view.name() + " has no run " + parts[4] + " in the runs kept."));
        return;
      }
      Served served = pipelines.get(parts[2]);
      RunRejects rejects =
          new RunRejects(
              served.outputs(), served.spec.source().rejectedFolder(), served.spec::mask);
      html(
          exchange,
          200,
          HistoryPages.run(
              view,
              run.get(),
              (RunView shown, FileView file) -> rejects.of(view, shown, file),
              HistoryPages.SERVED));
    } else {
      html(exchange, 404, HistoryPages.notFound("Nothing is served at " + path + "."));
    }
  }

  private boolean known(String name) {
    return pipelines.containsKey(name);
  }

  private static int page(HttpExchange exchange) {
    String query = Optional.ofNullable(exchange.getRequestURI().getQuery()).orElse("");
    for (String pair : query.split("&")) {
      if (pair.startsWith("page=") && pair.substring(5).matches("\\d{1,6}")) {
        return Math.max(1, Integer.parseInt(pair.substring(5)));
      }
    }
    return 1;
  }

  private PipelineView view(String name) {
    Served served = pipelines.get(name);
    synchronized (served) {
      Optional<Instant> next =
          served.triggers.stream()
              .map(Trigger::nextRun)
              .flatMap(Optional::stream)
              .min(Instant::compareTo);
      return new PipelineView(
          name,
          served.source,
          served.target,
          HistoryFile.triggers(served.spec),
          next,
          Optional.of(status.problems(name)),
          Optional.of(status.waiting(name)),
          new ArrayList<>(served.runs),
          served.dropped && !served.runs.isEmpty()
              ? Optional.of(served.runs.getLast().startedAt())
              : Optional.empty());
    }
  }

  @Override
  public void close() {
    for (Served served : pipelines.values()) {
      synchronized (served) {
        if (served.outputs != null) {
          served.outputs.close();
          served.outputs = null;
        }
      }
    }
  }

  private static void html(HttpExchange exchange, int code, String body) throws IOException {
    ServeEndpoints.respond(exchange, code, "text/html; charset=utf-8", body);
  }

  /** One served pipeline's state. Guarded by itself. */
  private static final class Served {
    final PipelineSpec spec;
    String source;
    String target;
    List<Trigger> triggers = List.of();
    final Deque<RunView> runs = new ArrayDeque<>();
    int files;
    boolean dropped;
    OutputStore outputs;

    Served(PipelineSpec spec) {
      this.spec = spec;
      this.source = spec.mask(spec.source().describe());
      this.target = spec.target().type() + ", table " + spec.target().table();
    }

    /** Keeps a run, as the newest or as the oldest; lets the oldest go beyond the limits. */
    void add(RunView run, boolean newest) {
      if (newest) {
        runs.addFirst(run);
      } else {
        runs.addLast(run);
      }
      files += run.files().size();
      while (runs.size() > 1 && (runs.size() > KEPT_RUNS || files > KEPT_FILES)) {
        files -= runs.removeLast().files().size();
        dropped = true;
      }
    }

    /** The pipeline's output store, opened on first use and kept. */
    synchronized OutputStore outputs() {
      if (outputs == null) {
        outputs = Sources.outputs(spec.source());
      }
      return outputs;
    }
  }
}
