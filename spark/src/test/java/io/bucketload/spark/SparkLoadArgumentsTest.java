package io.bucketload.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The driver's command line, as spark-submit and as an AWS Glue job pass it. */
class SparkLoadArgumentsTest {
  @Test
  void aPipelineFilesAndOptionsAsSparkSubmitPassesThem() {
    SparkLoad.Arguments arguments =
        SparkLoad.Arguments.parse(
            new String[] {
              "p.yaml",
              "a.csv",
              "--report",
              "out.json",
              "b.csv",
              "--retry-failed",
              "--master",
              "local[4]"
            });

    assertThat(arguments.pipeline()).isEqualTo("p.yaml");
    assertThat(arguments.files()).containsExactly("a.csv", "b.csv");
    assertThat(arguments.report()).contains(Path.of("out.json"));
    assertThat(arguments.retryFailed()).isTrue();
    assertThat(arguments.master()).contains("local[4]");
    assertThat(arguments.help()).isFalse();
  }

  @Test
  void gluesParametersAreNamedPairsAmongGluesOwn() {
    SparkLoad.Arguments arguments =
        SparkLoad.Arguments.parse(
            new String[] {
              "--JOB_ID",
              "j_1",
              "--JOB_RUN_ID",
              "jr_1",
              "--pipeline",
              "s3://b/p.yaml",
              "--job-bookmark-option",
              "job-bookmark-disable",
              "--files",
              "raw/a.csv, raw/b.csv",
              "--JOB_NAME",
              "load-raw",
              "--TempDir",
              "s3://b/tmp",
              "--retry-failed",
              "true"
            });

    assertThat(arguments.pipeline()).isEqualTo("s3://b/p.yaml");
    assertThat(arguments.files()).containsExactly("raw/a.csv", "raw/b.csv");
    assertThat(arguments.report()).isEmpty();
    assertThat(arguments.retryFailed()).isTrue();
    assertThat(arguments.master()).isEqualTo(Optional.empty());
    assertThat(SparkLoad.Arguments.parse(new String[] {"--JOB_NAME", "x", "--pipeline", "p.yaml"}))
        .isEqualTo(
            new SparkLoad.Arguments(
                "p.yaml", List.of(), Optional.empty(), false, Optional.empty(), false));
  }

  @Test
  void mistakesAreNamed() {
    assertThatThrownBy(() -> SparkLoad.Arguments.parse(new String[] {}))
        .hasMessage("the pipeline file is missing");
    assertThatThrownBy(() -> SparkLoad.Arguments.parse(new String[] {"p.yaml", "--force"}))
        .hasMessage("unknown option --force");
    assertThatThrownBy(() -> SparkLoad.Arguments.parse(new String[] {"p.yaml", "--report"}))
        .hasMessage("--report needs a value");
    assertThatThrownBy(() -> SparkLoad.Arguments.parse(new String[] {"--JOB_NAME", "x"}))
        .hasMessageContaining("--pipeline (the pipeline file) is missing");
    assertThat(SparkLoad.Arguments.parse(new String[] {"--help"}).help()).isTrue();
  }

  @Test
  void thePartSizeIsASizeWithinBounds() {
    assertThat(SparkLoad.partBytes(Optional.empty())).isEqualTo(16 << 20);
    assertThat(SparkLoad.partBytes(Optional.of("128k"))).isEqualTo(128 << 10);
    assertThat(SparkLoad.partBytes(Optional.of("64MB"))).isEqualTo(64 << 20);
    assertThat(SparkLoad.partBytes(Optional.of("1048576"))).isEqualTo(1 << 20);
    assertThatThrownBy(() -> SparkLoad.partBytes(Optional.of("1g")))
        .hasMessage(SparkLoad.PART_BYTES + ": expected 64k to 256m, found '1g'");
    assertThatThrownBy(() -> SparkLoad.partBytes(Optional.of("lots")))
        .hasMessage(SparkLoad.PART_BYTES + ": expected a size such as 16m, found 'lots'");
  }

  @Test
  void theStageWritersAreANumberWithinBounds() {
    assertThat(SparkLoad.stageWriters(Optional.empty())).isEqualTo(16);
    assertThat(SparkLoad.stageWriters(Optional.of(" 64 "))).isEqualTo(64);
    for (String bad : List.of("0", "1025", "-1", "many", "99999")) {
      assertThatThrownBy(() -> SparkLoad.stageWriters(Optional.of(bad)))
          .hasMessage(
              SparkLoad.STAGE_WRITERS + ": expected a number from 1 to 1024, found '" + bad + "'");
    }
  }

  @Test
  void faultInjectionSettingsAreCheckedWhenRead() {
    assertThat(FaultInjection.parse("")).isEqualTo(FaultInjection.NONE);
    assertThat(FaultInjection.parse("after_rows:10")).isEqualTo(new FaultInjection(10, false));
    assertThat(FaultInjection.parse("after_commit")).isEqualTo(new FaultInjection(0, true));
    assertThatThrownBy(() -> FaultInjection.parse("after_rows:0"))
        .hasMessageContaining(
            "expected after_rows:N (N > 0) or after_commit, found 'after_rows:0'");
    assertThatThrownBy(() -> FaultInjection.parse("sometimes"))
        .hasMessageContaining(FaultInjection.SETTING);
  }
}
