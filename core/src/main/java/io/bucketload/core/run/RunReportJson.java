package io.bucketload.core.run;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Optional;
import java.util.OptionalLong;

/**
 * The JSON form of a {@link RunReport}: {@code {"pipeline", "run_id", "started_at", "duration_ms",
 * "trigger", "files": [{"file", "version", "status", "rows_read", "rows_loaded", "rows_rejected",
 * "rows_filtered", "inserted", "updated", "unchanged", "deleted", "rejects_path", "reject_reasons":
 * [{"column", "reason", "rows", "first_line"}], "error", "note", "repeats_run", "fault", "bytes",
 * "duration_ms", "warnings", "exports"}]}}. {@code repeats_run} is the run whose data failure a
 * failed file repeats without being read again (the same version, the same definition), or, for a
 * system failure, the run whose notifications told of it when this outage began, so a consumer can
 * tell a new failure from one already reported. Counts a target cannot tell, and absent paths and
 * errors, are {@code null}.
 */
public final class RunReportJson {
  private static final ObjectMapper MAPPER =
      new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

  private RunReportJson() {}

  /** The report as a JSON tree. */
  public static ObjectNode toJson(RunReport report) {
    ObjectNode root = MAPPER.createObjectNode();
    root.put("pipeline", report.pipeline());
    root.put("run_id", report.runId());
    root.put("started_at", report.startedAt().toString());
    root.put("duration_ms", report.durationMs());
    root.put("trigger", report.trigger());
    ArrayNode notes = root.putArray("notes");
    report.notes().forEach(notes::add);
    ArrayNode files = root.putArray("files");
    for (FileReport file : report.files()) {
      ObjectNode node = files.addObject();
      node.put("file", file.file());
      put(node, "version", file.version());
      node.put("status", file.status().reportName());
      node.put("rows_read", file.rowsRead());
      node.put("rows_loaded", file.rowsLoaded());
      node.put("rows_rejected", file.rowsRejected());
      node.put("rows_filtered", file.stats().rowsFiltered());
      put(node, "inserted", file.inserted());
      put(node, "updated", file.updated());
      put(node, "unchanged", file.unchanged());
      put(node, "deleted", file.deleted());
      put(node, "rejects_path", file.rejectsPath());
      ArrayNode reasons = node.putArray("reject_reasons");
      for (RejectReason reason : file.stats().rejectReasons()) {
        ObjectNode item = reasons.addObject();
        item.put("column", reason.column());
        item.put("reason", reason.reason());
        item.put("rows", reason.rows());
        item.put("first_line", reason.firstLine());
      }
      put(node, "error", file.error());
      put(node, "note", file.note());
      put(node, "repeats_run", file.outcome().repeats());
      put(
          node,
          "fault",
          file.fault().map(fault -> fault.name().toLowerCase(java.util.Locale.ROOT)));
      node.put("bytes", file.bytes());
      node.put("duration_ms", file.durationMs());
      ArrayNode warnings = node.putArray("warnings");
      file.warnings().forEach(warnings::add);
      ArrayNode exports = node.putArray("exports");
      file.exports().forEach(exports::add);
    }
    ArrayNode notifications = root.putArray("notifications");
    for (io.bucketload.core.notify.Delivered sent : report.notifications()) {
      ObjectNode item = notifications.addObject();
      item.put("channel", sent.channel());
      item.put("delivered", sent.delivered());
      put(item, "error", sent.error());
    }
    return root;
  }

  /** Writes the report as indented JSON; does not close the stream. */
  public static void write(RunReport report, OutputStream out) throws IOException {
    MAPPER
        .writer()
        .without(com.fasterxml.jackson.core.JsonGenerator.Feature.AUTO_CLOSE_TARGET)
        .writeValue(out, toJson(report));
  }

  private static void put(ObjectNode node, String field, Optional<String> value) {
    if (value.isPresent()) {
      node.put(field, value.get());
    } else {
      node.putNull(field);
    }
  }

  private static void put(ObjectNode node, String field, OptionalLong value) {
    if (value.isPresent()) {
      node.put(field, value.getAsLong());
    } else {
      node.putNull(field);
    }
  }
}
