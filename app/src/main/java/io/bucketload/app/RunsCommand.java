package io.bucketload.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.bucketload.core.error.TargetException;
import io.bucketload.core.run.OneLine;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.Targets;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.OptionalLong;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload runs PIPELINE.yaml [--json | --html OUT.html]}: the run history from the
 * ledger, as a table, JSON, or the pipeline's history page written as one file.
 */
@Command(
    name = "runs",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = "Shows the pipeline's load history from its ledger, newest first.")
final class RunsCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(names = "--json", description = "Print JSON instead of a table.")
  boolean json;

  @Option(
      names = "--html",
      paramLabel = "OUT.html",
      description =
          "Write the pipeline's history page to this file instead: its runs with a chart, the"
              + " files that failed, and each run's files, rejects and notifications; one"
              + " self-contained HTML file (no script, nothing fetched), to attach or publish.")
  Path html;

  @Option(
      names = "--limit",
      defaultValue = "50",
      description = "How many attempts to show. Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      description =
          "How long to wait while another bucketload run holds the DuckDB file (e.g. 10s, 2m, 0)."
              + " Default: ${DEFAULT-VALUE}. DuckDB lets one process open a file while it loads:"
              + " then runs says which run holds it and exits with code 4.",
      defaultValue = "2s")
  String waitFor;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (json && html != null) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--json and --html are alternatives: give one");
    }
    if (html != null) {
      // Told before the history is read: the page could not be written where it is asked for.
      Path folder = html.toAbsolutePath().getParent();
      if (java.nio.file.Files.isDirectory(html)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--html: " + html + " is a folder; give a file, e.g. history.html");
      }
      if (folder != null && !java.nio.file.Files.isDirectory(folder)) {
        throw new picocli.CommandLine.ParameterException(
            spec.commandLine(), "--html: no such folder " + folder + " to write " + html + " in");
      }
    }
    PipelineSpec pipelineSpec =
        Pipelines.withWait(Pipelines.readWithoutNotifying(pipeline), waitFor);
    List<LedgerEntry> entries = List.of();
    java.util.Map<String, List<io.bucketload.core.notify.Delivered>> notified = java.util.Map.of();
    java.util.Set<String> notificationsRead = java.util.Set.of();
    String targetDescription =
        pipelineSpec.target().type() + ", table " + pipelineSpec.target().table();
    if (Pipelines.targetExists(pipelineSpec)) {
      try (Target target = Pipelines.openTarget(pipelineSpec)) {
        targetDescription =
            pipelineSpec.mask(target.describe()) + ", table " + pipelineSpec.target().table();
        entries = target.ledger().history(pipelineSpec.name(), limit);
        List<String> runIds = entries.stream().map(LedgerEntry::runId).distinct().toList();
        notified = target.ledger().notifications(pipelineSpec.name(), runIds);
        notificationsRead = java.util.Set.copyOf(runIds);
      } catch (TargetException e) {
        if (!e.isBusy()) {
          throw e;
        }
        // Another run holds the file: its last committed history, said to be so.
        entries =
            Targets.factoryFor(pipelineSpec)
                .committedHistory(pipelineSpec.target().settings(), pipelineSpec.name(), limit)
                .orElseThrow(() -> e);
        spec.commandLine()
            .getErr()
            .println(
                "bucketload: "
                    + e.getMessage().replaceAll("; try again.*$", "")
                    + "; showing the history as of its last commit");
        spec.commandLine().getErr().flush();
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    if (html != null) {
      int runs =
          HistoryFile.write(
              pipelineSpec, targetDescription, entries, limit, notified, notificationsRead, html);
      out.println(
          "wrote the history of " + runs + " run(s) of " + pipelineSpec.name() + " to " + html);
    } else if (json) {
      ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
      ArrayNode array = mapper.createArrayNode();
      for (LedgerEntry entry : entries) {
        ObjectNode node = array.addObject();
        node.put("run_id", entry.runId());
        node.put("file", entry.file().key());
        node.put("version", entry.file().checksum());
        node.put("size", entry.file().size());
        node.put("status", entry.status().reportName());
        node.put("started_at", entry.startedAt().toString());
        node.put("finished_at", entry.finishedAt().toString());
        node.put("trigger", entry.trigger());
        node.put("rows_read", entry.rowsRead());
        node.put("rows_loaded", entry.counts().loaded());
        node.put("rows_rejected", entry.rowsRejected());
        put(node, "inserted", entry.counts().inserted());
        put(node, "updated", entry.counts().updated());
        put(node, "unchanged", entry.counts().unchanged());
        put(node, "deleted", entry.counts().deleted());
        if (entry.error().isPresent()) {
          node.put("error", entry.error().get());
        } else {
          node.putNull("error");
        }
        if (entry.fault().isPresent()) {
          node.put("fault", entry.fault().get().name().toLowerCase(Locale.ROOT));
        } else {
          node.putNull("fault");
        }
        ArrayNode sent = node.putArray("notifications");
        for (io.bucketload.core.notify.Delivered one :
            notified.getOrDefault(entry.runId(), List.of())) {
          ObjectNode item = sent.addObject();
          item.put("channel", one.channel());
          item.put("delivered", one.delivered());
          if (one.error().isPresent()) {
            item.put("error", one.error().get());
          } else {
            item.putNull("error");
          }
        }
      }
      out.println(mapper.writeValueAsString(array));
    } else if (entries.isEmpty()) {
      out.println("no runs recorded for pipeline " + pipelineSpec.name());
    } else {
      out.printf(
          Locale.ROOT,
          "%-20s  %-23s  %-7s  %9s  %8s  %s%n",
          "started (UTC)",
          "run",
          "status",
          "loaded",
          "rejected",
          "file");
      for (int i = 0; i < entries.size(); i++) {
        LedgerEntry entry = entries.get(i);
        out.printf(
            Locale.ROOT,
            "%-20s  %-23s  %-7s  %9d  %8d  %s%s%n",
            entry.startedAt().toString().replaceAll("\\.\\d+Z$", "Z"),
            entry.runId(),
            entry.status().reportName(),
            entry.counts().loaded(),
            entry.rowsRejected(),
            OneLine.of(entry.file().key()),
            entry
                .error()
                .map(error -> "\n" + " ".repeat(22) + errorLabel(entry) + ": " + OneLine.of(error))
                .orElse(""));
        boolean lastOfRun =
            i + 1 == entries.size() || !entries.get(i + 1).runId().equals(entry.runId());
        if (lastOfRun) {
          for (io.bucketload.core.notify.Delivered one :
              notified.getOrDefault(entry.runId(), List.of())) {
            out.println(
                " ".repeat(22)
                    + (one.delivered()
                        ? "notified " + one.channel()
                        : "notification to "
                            + one.channel()
                            + " failed: "
                            + OneLine.of(one.error().orElse(""))));
          }
        }
      }
    }
    out.flush();
    return ExitCode.OK.code();
  }

  /** Says whether a failure was the file's (final until it or the pipeline changes). */
  private static String errorLabel(LedgerEntry entry) {
    if (entry.failedOnData()) {
      return "error (the file's data; final until the file or the pipeline changes)";
    }
    return entry
        .fault()
        .map(fault -> "error (" + fault.name().toLowerCase(Locale.ROOT) + ")")
        .orElse("error");
  }

  private static void put(ObjectNode node, String field, OptionalLong value) {
    if (value.isPresent()) {
      node.put(field, value.getAsLong());
    } else {
      node.putNull(field);
    }
  }
}
