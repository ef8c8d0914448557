package io.bucketload.app;

import io.bucketload.aws.provision.PipelineResources;
import io.bucketload.aws.provision.TemplateWriter;
import io.bucketload.core.spec.PipelineSpec;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload template PIPELINE.yaml [--consumer lambda|service]}: a CloudFormation template.
 */
@Command(
    name = "template",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Writes an AWS CloudFormation template (SAM, for the Lambda consumer) for the whole pipeline"
          + " to standard output: bucket, queue and dead-letter queue, the bucket's event"
          + " notification, tables, topics, and the Lambda function or a service's role, with a"
          + " least-privilege IAM policy.",
      "Exit codes: 0 written; 2 configuration error."
    })
final class TemplateCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Option(
      names = "--consumer",
      paramLabel = "lambda|service",
      description = "What loads the files: the Lambda function (default) or a service's role.")
  String consumer = "lambda";

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    TemplateWriter.Consumer which =
        switch (consumer) {
          case "lambda" -> TemplateWriter.Consumer.LAMBDA;
          case "service" -> TemplateWriter.Consumer.SERVICE;
          default ->
              throw new io.bucketload.core.error.ConfigException(
                  "--consumer: expected lambda or service, found '" + consumer + "'");
        };
    spec.commandLine()
        .getOut()
        .print(new TemplateWriter(pipelineSpec, PipelineResources.of(pipelineSpec)).write(which));
    spec.commandLine().getOut().flush();
    return ExitCode.OK.code();
  }
}
