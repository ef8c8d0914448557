package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.trigger.Trigger;
import io.bucketload.core.trigger.TriggeredRuns;
import io.bucketload.core.trigger.Triggers;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A watch of an {@code s3://} prefix on the S3-compatible server: new objects load, once. */
class S3WatchIT {
  @TempDir Path folder;

  @Test
  void aWatchedPrefixLoadsNewObjectsAndDoesNotReadLoadedOnesAgain() throws Exception {
    AwsPipeline aws = new AwsPipeline(folder);
    String table = AwsPipeline.table("watched");
    aws.pipeline(
        "watched",
        """
        source:
          path: s3://${BUCKET}/landing/
          match: "*.csv"
          endpoint: ${S3_ENDPOINT}
          path_style: true
        schema:
          key: [id]
          columns:
            - {name: id, type: long}
            - {name: name, type: string}
        target: {type: dynamodb, endpoint: "${DYNAMODB_ENDPOINT}", table: TABLE, mode: upsert}
        trigger: {watch: 1s}
        """
            .replace("TABLE", table));
    aws.put("landing/a.csv", "id,name\n1,Ada\n2,Grace\n");
    aws.put("elsewhere/x.csv", "id,name\n9,Other\n");
    PipelineSpec spec = new PipelineSpecReader().read(aws.file());

    List<RunReport> first = new ArrayList<>();
    List<RunReport> second = new ArrayList<>();
    try (Pipeline pipeline = Pipeline.open(spec, LoadListener.NONE);
        Trigger watch =
            Triggers.factoryFor(spec.triggers().get(0)).open(spec.triggers().get(0), pipeline)) {
      TriggeredRuns runs = new TriggeredRuns(pipeline, TriggeredRuns.DEFAULT_BACKOFF);
      runs.serve(watch, true, first::add);
      aws.put("landing/b.csv", "id,name\n3,Linus\n");
      runs.serve(watch, true, second::add);
    }

    assertThat(first).hasSize(1);
    assertThat(first.get(0).files())
        .extracting(FileReport::file, FileReport::status)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("a.csv", FileStatus.LOADED));
    assertThat(second).hasSize(1);
    assertThat(second.get(0).files())
        .extracting(FileReport::file, FileReport::status, FileReport::rowsRead)
        .containsExactlyInAnyOrder(
            org.assertj.core.groups.Tuple.tuple("a.csv", FileStatus.SKIPPED, 0L),
            org.assertj.core.groups.Tuple.tuple("b.csv", FileStatus.LOADED, 1L));
  }
}
