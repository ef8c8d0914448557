package io.bucketload.core.spec;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.transform.TransformStep;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A validated pipeline file. Immutable; obtained from {@link PipelineSpecReader}.
 *
 * @param name the pipeline's name, which keys its ledger entries
 * @param file the pipeline file
 * @param source where files come from
 * @param format how they are written (the default of each input)
 * @param schema their columns and key (of a pipeline without {@code inputs})
 * @param transforms transforms applied to each row, in order (the default of each input)
 * @param target where rows go
 * @param rejects how many rejects a file may have and still load (the default of each input)
 * @param inputs the kinds of file loaded: one for a plain pipeline, several for a file set
 * @param afterLoad SQL run after the files of a transaction are loaded, before it commits
 * @param exports queries written as CSV to the source's store before the transaction commits
 * @param query the {@code sql} transform step whose result loads into the target, if any: then the
 *     inputs load into its workspace, not into the target
 * @param triggers what starts runs without a person (an SQS queue of object events, a schedule, a
 *     watch of the source), none for a pipeline only run by hand
 * @param channels the notification channels told of every run ({@code notify}) (email, webhooks,
 *     SNS topics)
 * @param secrets values that came from the environment, masked wherever text is shown
 * @param digest what identifies this definition of the pipeline (a hash of the file's text): a file
 *     that failed on its data is tried again under a changed definition
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
    List<InputSpec> inputs,
    List<SqlStep> afterLoad,
    List<ExportSpec> exports,
    Optional<QuerySpec> query,
    List<TriggerSpec> triggers,
    List<NotifySpec> channels,
    Set<String> secrets,
    String digest) {
  /** Checks and copies the fields. */
  public PipelineSpec {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(file, "file");
    Objects.requireNonNull(source, "source");
    Objects.requireNonNull(format, "format");
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(target, "target");
    Objects.requireNonNull(rejects, "rejects");
    Objects.requireNonNull(digest, "digest");
    Objects.requireNonNull(query, "query");
    transforms = List.copyOf(transforms);
    inputs = List.copyOf(inputs);
    afterLoad = List.copyOf(afterLoad);
    exports = List.copyOf(exports);
    triggers = List.copyOf(triggers);
    channels = List.copyOf(channels);
    secrets = Set.copyOf(secrets);
    if (inputs.isEmpty()) {
      throw new IllegalArgumentException("a pipeline has at least one input");
    }
  }

  /**
   * Whether the pipeline loads file sets: several inputs whose files load together, in one
   * transaction, once every input has its file.
   */
  public boolean fileSet() {
    return inputs.size() > 1;
  }

  /**
   * Every mode the pipeline loads its target with: its inputs' modes, or the {@code sql} step's
   * when its result is what loads.
   */
  public Set<LoadMode> modes() {
    Set<LoadMode> modes = java.util.EnumSet.noneOf(LoadMode.class);
    if (query.isPresent()) {
      modes.add(query.get().mode());
    } else {
      inputs.forEach(input -> modes.add(input.mode()));
    }
    return modes;
  }

  /** Whether the pipeline runs SQL of its own (after-load statements or exports). */
  public boolean runsSql() {
    return !afterLoad.isEmpty() || !exports.isEmpty();
  }

  /** Replaces every secret value in {@code text} with {@code ****}. */
  public String mask(String text) {
    return mask(text, secrets);
  }

  /**
   * Replaces each of {@code secrets} (values of 4 characters or more; shorter ones would mask
   * ordinary words) in {@code text} with {@code ****}, longest first.
   */
  public static String mask(String text, Set<String> secrets) {
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

  /** The same pipeline without its notification channels, for commands that notify no one. */
  public PipelineSpec withoutChannels() {
    return with(target, List.of());
  }

  /**
   * The same pipeline with one {@code target} setting overridden, as a command-line option such as
   * {@code --wait} does.
   */
  public PipelineSpec withTargetSetting(String key, String value) {
    TargetSpec changed =
        new TargetSpec(
            target.type(),
            target.table(),
            target.mode(),
            target.settings().with(key, value),
            target.line(),
            target.allowEmpty());
    return with(changed, channels);
  }

  private PipelineSpec with(TargetSpec target, List<NotifySpec> channels) {
    return new PipelineSpec(
        name,
        file,
        source,
        format,
        schema,
        transforms,
        target,
        rejects,
        inputs,
        afterLoad,
        exports,
        query,
        triggers,
        channels,
        secrets,
        digest);
  }
}
