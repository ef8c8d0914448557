package io.bucketload.app;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.notify.Notifier;
import io.bucketload.core.notify.Notifiers;
import io.bucketload.core.run.FileOutcome;
import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.FileStats;
import io.bucketload.core.run.RejectReason;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LoadCounts;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload notify-test PIPELINE.yaml}: sends a sample notification through every channel
 * of the pipeline, whatever their {@code on}, so that the wiring is checked before the first file.
 */
@Command(
    name = "notify-test",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Sends a sample notification (one file loaded with rejected rows, one failed) through every"
          + " channel of the pipeline's notify list, whatever their on:, and says what became of"
          + " each. Nothing is loaded.",
      "Exit codes: 0 every channel delivered; 2 configuration error; 3 a channel failed."
    })
final class NotifyTestCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    if (pipelineSpec.channels().isEmpty()) {
      throw new ConfigException(
          pipeline.getFileName()
              + ": no notify section; add one, e.g. notify: [{webhook: {url:"
              + " \"${SLACK_WEBHOOK_URL}\"}}]");
    }
    PrintWriter out = spec.commandLine().getOut();
    RunReport sample = sample(pipelineSpec.name());
    int failed = 0;
    List<Notifier> channels = Notifiers.open(pipelineSpec);
    try {
      for (Notifier channel : channels) {
        try {
          channel.runFinished(sample);
          out.println("delivered  " + channel.describe());
        } catch (RuntimeException e) {
          failed++;
          out.println(
              "failed     "
                  + channel.describe()
                  + ": "
                  + pipelineSpec.mask(String.valueOf(e.getMessage())));
        }
        out.flush();
      }
    } finally {
      channels.forEach(Notifier::close);
    }
    return failed == 0 ? ExitCode.OK.code() : ExitCode.SYSTEM.code();
  }

  /** A run as a real one would look: a file loaded with rejects, and one that failed. */
  static RunReport sample(String pipeline) {
    Instant now = Instant.now();
    String runId =
        DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC).format(now)
            + "-test00";
    FileReport loaded =
        new FileReport(
            "sample/orders_2026-11-20.csv",
            Optional.of("sha256:0000"),
            new FileOutcome.Loaded(LoadCounts.exact(998, 990, 8, 0, 0), List.of()),
            new FileStats(
                1000,
                2,
                48_213,
                310,
                Optional.of("sample/rejected/orders_2026-11-20.rejects.csv"),
                List.of(
                    new RejectReason("order_date", "not a date (yyyy-MM-dd)", 1, 17),
                    new RejectReason("total_price", "not a decimal(12,2)", 1, 342))),
            List.of());
    FileReport failedFile =
        new FileReport(
            "sample/customers.csv",
            Optional.of("sha256:0001"),
            new FileOutcome.FailedOnData(
                "sample/customers.csv line 1: missing column 'customer_id' (schema.key)",
                Optional.empty()),
            new FileStats(0, 0, 1_024, 4, Optional.empty()),
            List.of());
    return new RunReport(
        pipeline,
        runId,
        now,
        List.of(loaded, failedFile),
        330,
        List.of("This is a test notification from bucketload notify-test: nothing was loaded."),
        "bucketload notify-test");
  }
}
