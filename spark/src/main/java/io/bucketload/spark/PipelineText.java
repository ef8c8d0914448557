package io.bucketload.spark;

import io.bucketload.core.run.PipelineSetup;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.Serializable;
import java.io.StringReader;
import java.nio.file.Path;

/**
 * A pipeline file as the driver read it, to be read again on an executor with the executor's
 * environment for its {@code ${VARIABLES}} (secrets never travel with the task).
 *
 * @param text the file's content
 * @param file its path, for messages
 * @param baseDirectory what relative paths in it are relative to
 */
record PipelineText(String text, String file, String baseDirectory) implements Serializable {
  private static final long serialVersionUID = 1L;

  /**
   * Reads and checks the pipeline.
   *
   * @throws io.bucketload.core.error.ConfigException naming what is wrong
   */
  PipelineSpec read() {
    return PipelineSetup.check(
        new PipelineSpecReader()
            .read(new StringReader(text), Path.of(file), Path.of(baseDirectory)));
  }
}
