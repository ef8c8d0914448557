package io.bucketload.core.spec;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.transform.TransformStep;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A validated pipeline file. Immutable; obtained from {@link PipelineSpecReader}.
 *
 * @param name the pipeline's name, which keys its ledger entries
 * @param file the pipeline file
 * @param source where files come from
 * @param format how they are written
 * @param schema their columns and key
 * @param transforms transforms applied to each row, in order
 * @param target where rows go
 * @param rejects how many rejects a file may have and still load
 * @param secrets values that came from the environment, masked wherever text is shown
 */
public record PipelineSpec(
    String name,
    Path file,
    SourceSpec source,
    CsvDialect format,
    SchemaSpec schema,
    List<TransformStep> transforms,
    TargetSpec target,
    RejectLimit rejects,
    Set<String> secrets) {
  /** Checks and copies the fields. */
  public PipelineSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rejects, "rejects");
    transforms = List.copyOf(transforms);
    secrets = Set.copyOf(secrets);
  }

  /** Replaces every secret value in {@code text} with {@code ****}. */
  public String mask(String text) {
    return mask(text, secrets);
  }

  /**
   * Replaces each of {@code secrets} (values of 4 characters or more; shorter ones would mask
   * ordinary words) in {@code text} with {@code ****}, longest first.
   */
  static String mask(String text, Set<String> secrets) {
    if (text == null || secrets.isEmpty()) {
      return text;
    }
    String masked = text;
    for (String secret :
        secrets.stream().sorted(Comparator.comparingInt(String::length).reversed()).toList()) {
      if (secret.length() >= 4) {
        masked = masked.replace(secret, "****");
      }
    }
    return masked;
  }
}
