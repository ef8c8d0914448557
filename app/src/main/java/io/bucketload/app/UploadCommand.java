package io.bucketload.app;

import io.bucketload.aws.provision.PipelineResources;
import io.bucketload.aws.provision.Uploader;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code bucketload upload PIPELINE.yaml FILE...}: puts files under the source prefix. */
@Command(
    name = "upload",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Puts files under the pipeline's s3:// source prefix, each with a SHA-256 checksum the store"
          + " verifies (in 16 MiB parts from 16 MiB on), so that the bucket's event notification"
          + " starts their load.",
      "Exit codes: 0 every file uploaded; 2 configuration error or a file that cannot be read; 3"
          + " AWS failed."
    })
final class UploadCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Parameters(index = "1..*", arity = "1..*", paramLabel = "FILE", description = "Files to put.")
  List<Path> files;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSpec pipelineSpec = Pipelines.read(pipeline);
    for (Path file : files) {
      if (Files.isDirectory(file)) {
        throw new ConfigException(file + ": a folder; name the files to upload");
      }
      if (!Files.isRegularFile(file)) {
        throw new ConfigException(file + ": no such file");
      }
    }
    PrintWriter out = spec.commandLine().getOut();
    try (Uploader uploader = new Uploader(PipelineResources.of(pipelineSpec))) {
      for (Path file : files) {
        Uploader.Uploaded put;
        try {
          put = uploader.upload(file);
        } catch (software.amazon.awssdk.core.exception.SdkException e) {
          throw io.bucketload.aws.AwsFailures.of(
              "uploading " + file + " to " + pipelineSpec.source().path(), e, pipelineSpec::mask);
        }
        out.println(
            "uploaded  "
                + put.file()
                + " -> "
                + put.uri()
                + "  ("
                + put.bytes()
                + " bytes"
                + (put.parts() > 1 ? " in " + put.parts() + " parts" : "")
                + (put.versionId() == null ? "" : ", version " + put.versionId())
                + ")");
        out.flush();
      }
    }
    return ExitCode.OK.code();
  }
}
