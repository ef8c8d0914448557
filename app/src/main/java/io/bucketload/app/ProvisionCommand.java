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
    List<Change> changes;
    try {
      changes =
          new java.util.ArrayList<>(
              new Provisioner(PipelineResources.of(pipelineSpec)).provision(dryRun));
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw io.bucketload.aws.AwsFailures.of(
          "provisioning the AWS resources of " + pipeline, e, pipelineSpec::mask);
    }
    if (pipelineSpec.target().type().equals("postgres")) {
      changes.add(postgresSchema(pipelineSpec));
    }
    PrintWriter out = spec.commandLine().getOut();
    if (changes.isEmpty()) {
      out.println(
          pipeline.getFileName()
              + " names nothing to provision (an s3:// source, an sqs trigger, a dynamodb or"
              + " postgres target, an sns channel)");
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

  /**
   * The PostgreSQL target's schema and its ledger, made when the login may create them; what a load
   * would otherwise make on first use.
   */
  private Change postgresSchema(PipelineSpec pipelineSpec) {
    io.bucketload.core.spec.Settings settings = pipelineSpec.target().settings();
    String schema = settings.get("schema").orElse("public");
    boolean exists = new io.bucketload.jdbc.postgres.PostgresTargetFactory().schemaExists(settings);
    if (dryRun) {
      return new Change(
          "schema", schema, exists ? Change.Action.UNCHANGED : Change.Action.WOULD_CREATE, "");
    }
    // Opening the target makes the schema and the ledger when missing, as a load would.
    Pipelines.openTarget(pipelineSpec).close();
    return new Change(
        "schema",
        schema,
        exists ? Change.Action.UNCHANGED : Change.Action.CREATED,
        exists ? "" : "with its ledger table");
  }
}
