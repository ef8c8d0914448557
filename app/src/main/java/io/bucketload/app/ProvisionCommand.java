package io.bucketload.app;

import io.bucketload.aws.provision.Change;
import io.bucketload.aws.provision.PipelineResources;
import io.bucketload.aws.provision.Provisioner;
import io.bucketload.core.spec.PipelineSpec;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload provision PIPELINE.yaml [--dry-run]}: makes or updates the AWS resources the
 * pipeline names, and prints each with what was done.
 */
@Command(
    name = "provision",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Makes or updates what the pipeline needs in AWS, derived from its file: the source bucket"
          + " (versioned, encrypted, public access blocked, TLS only), the sqs trigger's queue and"
          + " dead-letter queue with the bucket's event notification, the DynamoDB tables and the"
          + " ledger table, the sns channels' topics. Prints each resource with what was done."
          + " Running it again changes nothing. A resource that exists, was not made for this"
          + " pipeline and does not fit is a conflict: then nothing is changed.",
      "Exit codes: 0 done; 2 configuration error or conflict; 3 AWS failed."
    })
final class ProvisionCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(names = "--dry-run", description = "Say what would be done; change nothing.")
  boolean dryRun;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    List<Change> changes = new Provisioner(PipelineResources.of(pipelineSpec)).provision(dryRun);
    PrintWriter out = spec.commandLine().getOut();
    if (changes.isEmpty()) {
      out.println(
          pipeline.getFileName()
              + " names no AWS resource (an s3:// source, an sqs trigger, a dynamodb target, an"
              + " sns channel)");
    }
    changes.forEach(change -> out.println(change.describe()));
    long changed =
        changes.stream().filter(change -> change.action() != Change.Action.UNCHANGED).count();
    if (!changes.isEmpty() && changed == 0) {
      out.println("nothing to change");
    }
    out.flush();
    return ExitCode.OK.code();
  }
}
