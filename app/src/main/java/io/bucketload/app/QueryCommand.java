package io.bucketload.app;

import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CsvReader;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.SqlSession;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.Targets;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code bucketload query PIPELINE.yaml "SQL" [--csv] [--limit N]}: runs a query against the
 * pipeline's target and prints the result. The query runs in a transaction that is rolled back, so
 * nothing it does is kept.
 */
@Command(
    name = "query",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    description = {
      "Runs SQL against the pipeline's target (DuckDB or PostgreSQL) and prints the result as a"
          + " table, or as CSV with --csv. Nothing the SQL does is kept: its transaction is rolled"
          + " back.",
      "Exit codes: 0 printed; 2 usage error, a target without SQL, a DuckDB file that does not exist"
          + " yet, SQL the database rejects; 3 system failure; 4 another run holds the DuckDB file."
    })
final class QueryCommand implements Callable<Integer> {
  @Parameters(index = "0", paramLabel = "PIPELINE.yaml", description = "The pipeline file.")
  Path pipeline;

  @Parameters(index = "1", paramLabel = "SQL", description = "One query, e.g. \"SELECT ...\".")
  String sql;

  @Option(
      names = "--csv",
      description = "Print every row as CSV (header first) instead of a table.")
  boolean csv;

  @Option(
      names = "--limit",
      defaultValue = "100",
      description = "Rows shown in the table (not with --csv). Default: ${DEFAULT-VALUE}.")
  int limit;

  @Option(
      names = "--wait",
      paramLabel = "DURATION",
      defaultValue = "2s",
      description =
          "How long to wait while a run holds the DuckDB file. Default: ${DEFAULT-VALUE}; then"
              + " exit code 4.")
  String waitFor;

  @picocli.CommandLine.Spec picocli.CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws IOException {
    PipelineSpec pipelineSpec =
        Pipelines.withWait(Pipelines.readWithoutNotifying(pipeline), waitFor);
    if (!Targets.factoryFor(pipelineSpec).runsSql()) {
      throw new ConfigException(
          "target type "
              + pipelineSpec.target().type()
              + " does not run SQL; read its table with the database's own tools");
    }
    if (!Pipelines.targetExists(pipelineSpec)) {
      throw new ConfigException(
          pipeline
              + ": the database "
              + pipelineSpec.target().settings().path("path", "")
              + " does not exist yet; run the pipeline first");
    }
    PrintWriter out = spec.commandLine().getOut();
    if (csv) {
      OutputStream stdout = new BufferedOutputStream(System.out);
      query(pipelineSpec, stdout);
      stdout.flush();
      return ExitCode.OK.code();
    }
    Path result = Files.createTempFile("bucketload-query", ".csv");
    try {
      long rows;
      try (OutputStream file = Files.newOutputStream(result)) {
        rows = query(pipelineSpec, file);
      }
      printTable(result, rows, out);
    } finally {
      Files.deleteIfExists(result);
    }
    return ExitCode.OK.code();
  }

  /** Runs the query in a transaction that is rolled back; returns the rows written as CSV. */
  private long query(PipelineSpec pipelineSpec, OutputStream out) {
    // Several statements are refused before they run, saying so, where the query is run.
    Optional<String> statement =
        io.bucketload.core.spec.SqlStatements.count(sql) > 1
            ? Optional.empty()
            : io.bucketload.core.spec.SqlStatements.notAQuery(sql);
    if (statement.isPresent()) {
      // Refused before it runs: the rollback undoes what it does in the database, not a file it
      // writes (COPY ... TO, EXPORT DATABASE) or a database it attaches.
      throw new ConfigException(
          "the command line: "
              + (statement.get().isEmpty() ? "this statement" : statement.get())
              + " is not a query; query runs one SELECT (or WITH, FROM, VALUES, TABLE, DESCRIBE,"
              + " SHOW, SUMMARIZE, EXPLAIN), and nothing that writes outside the database");
    }
    try (Target target = Pipelines.openTarget(pipelineSpec);
        LoadTransaction transaction = target.begin()) {
      Optional<SqlSession> session = transaction.sql();
      if (session.isEmpty()) {
        throw new ConfigException(target.describe() + " does not run SQL");
      }
      long rows;
      try {
        rows = session.get().query(new SqlStep(sql, SqlStep.COMMAND_LINE), out);
      } catch (io.bucketload.core.error.TargetException e) {
        // What a load calls the data's failure (a division by zero, a value that does not cast)
        // is here the SQL's: the person's to change, as a syntax error is.
        if (e.fault() == io.bucketload.core.error.Fault.DATA) {
          throw new ConfigException(e.getMessage(), e);
        }
        throw e;
      }
      transaction.abort();
      return rows;
    }
  }

  /**
   * Prints the first {@link #limit} rows of the CSV result as an aligned table, NULL as {@code
   * NULL}.
   */
  private void printTable(Path result, long rows, PrintWriter out) throws IOException {
    List<String[]> shown = new ArrayList<>();
    String[] header;
    try (CsvReader<String[]> reader =
        CsvReader.builder()
            .skipEmptyLines(false)
            .build(new ResultRows(), Files.newBufferedReader(result, StandardCharsets.UTF_8))) {
      Iterator<String[]> records = reader.iterator();
      header = records.next();
      while (records.hasNext() && shown.size() < Math.max(0, limit)) {
        shown.add(records.next());
      }
    }
    TextTable.lines(header, shown).forEach(out::println);
    out.println(
        "("
            + rows
            + (rows == 1 ? " row" : " rows")
            + (rows > shown.size()
                ? "; first " + shown.size() + " shown, see --limit or --csv"
                : "")
            + ")");
    out.flush();
  }

  /**
   * The records of the exported result, with an unquoted empty field (and an empty line, a row of
   * one NULL) as {@code null} and a quoted one as the empty text.
   */
  private static final class ResultRows extends AbstractBaseCsvCallbackHandler<String[]> {
    private final List<String> fields = new ArrayList<>();

    @Override
    protected void handleBegin(long startingLineNumber) {
      fields.clear();
    }

    @Override
    protected void handleField(int fieldIdx, char[] buf, int offset, int len, boolean quoted) {
      fields.add(len == 0 && !quoted ? null : new String(buf, offset, len));
    }

    @Override
    protected void handleEmpty() {
      fields.clear();
      fields.add(null);
    }

    @Override
    protected String[] buildRecord() {
      return fields.toArray(String[]::new);
    }
  }
}
