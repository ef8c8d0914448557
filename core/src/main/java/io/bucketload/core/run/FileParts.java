package io.bucketload.core.run;

import io.bucketload.core.schema.BoundSchema;
import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.LocalFileBytes;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LoadPlan;
import io.bucketload.core.target.RowLimit;
import io.bucketload.core.target.TargetColumn;
import io.bucketload.core.target.Targets;
import io.bucketload.core.transform.FileContext;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import java.io.IOException;
import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Objects;

/**
 * What a process other than the loading one needs to read parts of a file as the loading process
 * would: the pipeline's input, the file's header as read, where the file is (and which version),
 * and the run. The pipeline itself travels apart (it is read again where the parts are read, with
 * that place's environment).
 *
 * @param runId the run loading the file
 * @param input the name of the pipeline's input the file belongs to
 * @param header the field names the file's first part gave
 * @param headerLine the line the header was on
 * @param objectKey the file's key, for messages and {@code file_key()}
 * @param objectName the file's name, for {@code file_name()}
 * @param location the file's location, for messages
 * @param started when the file's load started, for {@code now()}
 * @param path the local file, as the reading process sees it; empty for an object of a store that
 *     reads ranges, read through the pipeline's source
 * @param size the file's size in bytes
 * @param pin what pins the version read in the source ({@link FileBytes#pin()}), empty for a local
 *     file
 * @param charset the file's encoding as its start showed it
 * @param rowLimit whether the target's row limit applies (not when rows go to a sql step's
 *     workspace)
 */
public record FileParts(
    String runId,
    String input,
    List<String> header,
    long headerLine,
    String objectKey,
    String objectName,
    String location,
    Instant started,
    String path,
    long size,
    String pin,
    String charset,
    boolean rowLimit)
    implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Checks and copies the fields. */
  public FileParts {
    Objects.requireNonNull(runId, "runId");
    Objects.requireNonNull(input, "input");
    header = List.copyOf(header);
    Objects.requireNonNull(objectKey, "objectKey");
    Objects.requireNonNull(objectName, "objectName");
    Objects.requireNonNull(location, "location");
    Objects.requireNonNull(started, "started");
    Objects.requireNonNull(path, "path");
    Objects.requireNonNull(pin, "pin");
    Objects.requireNonNull(charset, "charset");
  }

  /**
   * A reader of the file's parts under {@code spec} (the loading process's pipeline, read again):
   * records converted, transformed and checked as the loading process does.
   *
   * @param source the pipeline's source as opened where the parts are read: what reads the ranges
   *     of an object; asked for only then (a local file is read by its path)
   * @throws IllegalStateException when the pipeline no longer fits the file as the loading process
   *     found it (it was changed between the two readings)
   * @throws IOException when the file cannot be looked at
   */
  public PartReader reader(PipelineSpec spec, java.util.function.Supplier<Source> source)
      throws IOException {
    FileBytes bytes;
    if (path.isEmpty()) {
      bytes =
          source
              .get()
              .bytes(new SourceObject(objectKey, location, size), pin)
              .orElseThrow(
                  () -> new IllegalStateException(location + ": the source cannot read its parts"));
    } else {
      bytes = new LocalFileBytes(Path.of(path));
    }
    InputSpec in =
        spec.inputs().stream()
            .filter(candidate -> candidate.name().equals(input))
            .findFirst()
            .orElseThrow(
                () -> new IllegalStateException("the pipeline has no input named " + input));
    BoundSchema bound =
        BoundSchema.bind(header, in.schema(), objectKey, FileReading.defaulted(in), headerLine);
    RowShape shape;
    try {
      shape =
          RowShape.compile(
              bound.columns(), in.transforms(), in.schema().key(), !in.schema().declaresColumns());
    } catch (ShapeException e) {
      throw new IllegalStateException(objectKey + ": " + e.getMessage(), e);
    }
    List<TargetColumn> columns = shape.columns().stream().map(TargetColumn::of).toList();
    RowLimit limit = RowLimit.NONE;
    if (rowLimit) {
      LoadPlan plan =
          new LoadPlan(
              spec.name(),
              runId,
              new FileVersion(objectKey, 0, ""),
              in.table(),
              in.mode(),
              columns,
              in.schema().key(),
              in.schema().declaresColumns(),
              "");
      limit = Targets.factoryFor(spec).rowLimit(plan);
    }
    RowPreparer preparer =
        new RowPreparer(
            header,
            bound,
            shape,
            limit,
            new FileContext(
                objectKey, objectName, LocalDateTime.ofInstant(started, ZoneOffset.UTC)),
            in.format().maxFieldChars(),
            in.format().maxRecordChars());
    return new PartReader(
        bytes, objectKey, location, in.format(), Charset.forName(charset), preparer, columns);
  }
}
