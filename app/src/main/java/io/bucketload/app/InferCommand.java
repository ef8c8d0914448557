package io.bucketload.app;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.infer.DialectSniffer;
import io.bucketload.core.infer.InferredSchema;
import io.bucketload.core.infer.SchemaInferrer;
import io.bucketload.core.schema.ColumnSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;
import java.util.zip.GZIPInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code bucketload infer FILE [--key COL]}: prints a runnable pipeline for a file. */
@Command(
    name = "infer",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description =
        "Prints a runnable pipeline whose column types fit every row of FILE (the whole file is read).")
final class InferCommand implements Callable<Integer> {
  private static final Pattern PLAIN = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  @Parameters(
      index = "0",
      paramLabel = "FILE",
      description = "A CSV file (may be gzip-compressed).")
  Path file;

  @Option(
      names = "--key",
      paramLabel = "COL",
      split = ",",
      description = "Key column(s); the mode becomes upsert.")
  List<String> key = new ArrayList<>();

  @Option(
      names = "--delimiter",
      paramLabel = "TEXT",
      description =
          "Field delimiter, 1 to 16 characters (default: guessed from the first lines, with lines"
              + " above the header and a delimiter ending every line).")
  String delimiter;

  @Option(
      names = "--encoding",
      defaultValue = "UTF-8",
      description = "Character set. Default: ${DEFAULT-VALUE}.")
  Charset encoding;

  @Option(
      names = "--output",
      paramLabel = "PIPELINE.yaml",
      description = "Write the pipeline to a file instead of printing it.")
  Path output;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  private DialectSniffer.Guess sniffed;

  @Override
  public Integer call() throws IOException {
    if (!Files.isRegularFile(file)) {
      throw new picocli.CommandLine.ParameterException(spec.commandLine(), "no such file: " + file);
    }
    DialectSniffer.Guess guess =
        DialectSniffer.guess(
            firstLines(), Optional.ofNullable(delimiter).map(this::parseDelimiter), '"');
    sniffed = guess;
    CsvDialect dialect =
        new CsvDialect(
            guess.delimiter(),
            '"',
            true,
            encoding,
            CsvDialect.DEFAULT.nullValues(),
            CsvDialect.DEFAULT_MAX_FIELD_CHARS,
            CsvDialect.DEFAULT_MAX_RECORD_CHARS,
            CsvDialect.BareQuotes.REJECT,
            guess.trailingDelimiter(),
            guess.skipLines(),
            1);
    InferredSchema inferred;
    try {
      inferred =
          SchemaInferrer.infer(
              Files.newInputStream(file), file.getFileName().toString(), dialect, key);
    } catch (io.bucketload.core.error.DataException e) {
      if (e.getMessage().contains("(--key)")) {
        throw new picocli.CommandLine.ParameterException(spec.commandLine(), e.getMessage());
      }
      throw e;
    }
    String yaml = yaml(inferred);
    if (output != null) {
      Path parent = output.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      Files.writeString(output, yaml, StandardCharsets.UTF_8);
      spec.commandLine().getErr().println("bucketload: wrote " + output);
    } else {
      PrintWriter out = spec.commandLine().getOut();
      out.print(yaml);
      out.flush();
    }
    if (sniffed.skipLines() > 0) {
      spec.commandLine()
          .getErr()
          .println(
              "note: the header is on line "
                  + (sniffed.skipLines() + 1)
                  + "; the "
                  + sniffed.skipLines()
                  + " line(s) above it are skipped (format.skip_lines)");
    }
    for (String note : inferred.notes()) {
      spec.commandLine().getErr().println("note: " + note);
    }
    spec.commandLine().getErr().flush();
    return ExitCode.OK.code();
  }

  private String parseDelimiter(String text) {
    String decoded = text.equals("\\t") || text.equals("tab") ? "\t" : text;
    if (decoded.isEmpty() || decoded.length() > 16) {
      throw new picocli.CommandLine.ParameterException(
          spec.commandLine(), "--delimiter: expected 1 to 16 characters, found '" + text + "'");
    }
    return decoded;
  }

  /** The file's first lines, decoded, for guessing its dialect. */
  private List<String> firstLines() throws IOException {
    InputStream raw = Files.newInputStream(file);
    try (InputStream in = file.toString().endsWith(".gz") ? new GZIPInputStream(raw) : raw;
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, encoding))) {
      List<String> lines = new ArrayList<>();
      for (String line = reader.readLine(); line != null && lines.size() < 50; ) {
        lines.add(line);
        line = reader.readLine();
      }
      return lines;
    }
  }

  private String yaml(InferredSchema inferred) {
    String stem = file.getFileName().toString().replaceAll("(\\.csv)?(\\.gz)?$", "");
    String name = stem.replaceAll("[^A-Za-z0-9_.-]", "_").replaceAll("^[^A-Za-z0-9]+", "");
    if (name.isEmpty()) {
      name = "pipeline";
    }
    Path folder = file.toAbsolutePath().getParent();
    String sourcePath =
        output == null
            ? folder.toString()
            : relativeOrAbsolute(output.toAbsolutePath().getParent(), folder);
    StringBuilder out = new StringBuilder();
    out.append("# Inferred by `bucketload infer` from ")
        .append(file.getFileName())
        .append(" (")
        .append(inferred.rows())
        .append(" rows, every row read).\n");
    out.append("name: ").append(name).append('\n');
    out.append("source:\n");
    out.append("  path: ").append(quote(sourcePath)).append('\n');
    out.append("  match: ").append(quote(file.getFileName().toString())).append('\n');
    out.append("format:\n");
    out.append("  delimiter: ")
        .append(
            quote(
                inferred.dialect().delimiter().equals("\t")
                    ? "\\t"
                    : inferred.dialect().delimiter()))
        .append('\n');
    if (inferred.dialect().skipLines() > 0) {
      out.append("  skip_lines: ")
          .append(inferred.dialect().skipLines())
          .append("  # lines above the header\n");
    }
    if (inferred.dialect().trailingDelimiter()) {
      out.append("  trailing_delimiter: true  # every line ends with the delimiter\n");
    }
    out.append("  header: true\n");
    out.append("  encoding: ").append(inferred.dialect().encoding().name()).append('\n');
    out.append("schema:\n");
    if (!key.isEmpty()) {
      out.append("  key: [")
          .append(String.join(", ", key.stream().map(InferCommand::quote).toList()))
          .append("]\n");
    }
    out.append("  columns:\n");
    for (ColumnSpec column : inferred.columns()) {
      out.append("    - {name: ").append(quote(column.name()));
      out.append(", type: ").append(quote(column.typeName()));
      column.format().ifPresent(format -> out.append(", format: ").append(quote(format)));
      if (column.required()) {
        out.append(", required: true");
      }
      out.append("}\n");
    }
    out.append("target:\n");
    out.append("  type: duckdb\n");
    out.append("  path: bucketload.duckdb\n");
    out.append("  table: ").append(quote(name.replaceAll("[^A-Za-z0-9_]", "_"))).append('\n');
    out.append("  mode: ").append(key.isEmpty() ? "append" : "upsert").append('\n');
    out.append("rejects:\n");
    out.append("  max: 0\n");
    return out.toString();
  }

  private static String relativeOrAbsolute(Path from, Path to) {
    try {
      String relative = from.relativize(to).toString();
      return relative.isEmpty() ? "." : relative;
    } catch (IllegalArgumentException e) {
      return to.toString();
    }
  }

  static String quote(String value) {
    if (PLAIN.matcher(value).matches()
        && !List.of("true", "false", "null", "yes", "no", "on", "off", "y", "n")
            .contains(value.toLowerCase(Locale.ROOT))) {
      return value;
    }
    StringBuilder quoted = new StringBuilder("\"");
    for (char c : value.toCharArray()) {
      switch (c) {
        case '"' -> quoted.append("\\\"");
        case '\\' -> quoted.append("\\\\");
        case '\t' -> quoted.append("\\t");
        default -> {
          if (c < 0x20) {
            quoted.append(String.format(Locale.ROOT, "\\x%02x", (int) c));
          } else {
            quoted.append(c);
          }
        }
      }
    }
    return quoted.append('"').toString();
  }
}
