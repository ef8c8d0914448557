package io.bucketload.app;

import io.bucketload.aws.provision.PipelineResources;
import io.bucketload.aws.provision.Teardown;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload teardown PIPELINE.yaml [--delete-data] [--yes NAME]}: removes what {@code
 * provision} made, after the user types the pipeline's name.
 */
@Command(
    name = "teardown",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Removes what provision made for the pipeline: the bucket's event notification, the queue and"
          + " its dead-letter queue, the topics. The bucket and the tables hold data and are kept"
          + " unless --delete-data is given; then every object version and delete marker goes"
          + " first. Resources provision did not make are never removed. Asks for the pipeline's"
          + " name first.",
      "Exit codes: 0 done; 2 configuration error or not confirmed; 3 AWS failed."
    })
final class TeardownCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(
      names = "--delete-data",
      description = "Also delete the bucket (every version of every object) and the tables.")
  boolean deleteData;

  @Option(
      names = "--yes",
      paramLabel = "NAME",
      description = "Confirm without asking, for scripts: the pipeline's name.")
  String yes;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    PrintWriter out = spec.commandLine().getOut();
    String name = pipelineSpec.name();
    String confirmation = yes;
    if (confirmation == null) {
      out.print(
          "This removes the AWS resources provision made for pipeline "
              + name
              + (deleteData ? ", and DELETES its bucket and tables with their data" : "")
              + ". Type the pipeline's name to go on: ");
      out.flush();
      String line =
          new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)).readLine();
      confirmation = line == null ? "" : line.trim();
      if (System.console() == null) {
        out.println();
      }
    }
    if (!confirmation.equals(name)) {
      throw new ConfigException(
          "not confirmed: '"
              + confirmation
              + "' is not the pipeline's name ("
              + name
              + "); nothing"
              + " was removed");
    }
    try {
      // Each line as it is done: a failure midway leaves what was removed said.
      new Teardown(PipelineResources.of(pipelineSpec))
          .teardown(
              deleteData,
              change -> {
                out.println(change.describe());
                out.flush();
              });
    } catch (software.amazon.awssdk.core.exception.SdkException e) {
      throw io.bucketload.aws.AwsFailures.of(
          "removing the AWS resources of " + pipeline, e, pipelineSpec::mask);
    }
    return ExitCode.OK.code();
  }
}
