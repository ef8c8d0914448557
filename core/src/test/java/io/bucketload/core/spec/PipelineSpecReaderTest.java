package io.bucketload.core.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.bucketload.core.error.ConfigException;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.transform.TransformStep;
import io.bucketload.core.transform.ValueExpression;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class PipelineSpecReaderTest {
  private static final Path FILE = Path.of("/pipelines/pipeline.yaml");

  private static PipelineSpec read(String yaml) {
    return read(yaml, Map.of());
  }

  private static PipelineSpec read(String yaml, Map<String, String> environment) {
    return new PipelineSpecReader(environment::get)
        .read(new StringReader(yaml), FILE, FILE.getParent());
  }

  @Test
  void readsTheFullShapeWithDefaults() {
    PipelineSpec spec =
        read(
            """
            name: customers
            source: {path: ./landing}
            schema:
              key: [customer_id]
              columns:
                - {name: customer_id, type: long, required: true}
                - {name: balance, type: "decimal(12,2)"}
                - {name: born, type: date, format: dd-MM-yyyy}
                - nickname
            transform:
              - rename: {nickname: alias}
              - add: {loaded_at: now(), source_file: source.key, batch: 7}
            target: {table: customers, mode: upsert}
            rejects: {max: 5%}
            """);
    assertThat(spec.name()).isEqualTo("customers");
    assertThat(spec.source().localFolder()).isEqualTo(Path.of("/pipelines/landing"));
    assertThat(spec.source().match()).isEqualTo(SourceSpec.DEFAULT_MATCH);
    assertThat(spec.format().delimiter()).isEqualTo(",");
    assertThat(spec.format().header()).isTrue();
    assertThat(spec.format().nullValues()).containsExactly("");
    assertThat(spec.schema().columns()).hasSize(4);
    assertThat(spec.schema().columns().get(1).type()).isEqualTo(ColumnType.DECIMAL);
    assertThat(spec.schema().columns().get(1).precision()).isEqualTo(12);
    assertThat(spec.schema().columns().get(1).scale()).isEqualTo(2);
    assertThat(spec.schema().columns().get(3).type()).isEqualTo(ColumnType.STRING);
    assertThat(spec.transforms()).hasSize(2);
    TransformStep.Add add = (TransformStep.Add) spec.transforms().get(1);
    assertThat(add.columns().get("loaded_at")).isInstanceOf(ValueExpression.Now.class);
    assertThat(add.columns().get("batch"))
        .isEqualTo(new ValueExpression.Constant(7L, ColumnType.LONG));
    assertThat(spec.target().type()).isEqualTo("duckdb");
    assertThat(spec.target().mode()).isEqualTo(LoadMode.UPSERT);
    assertThat(spec.rejects().percent()).isTrue();
    assertThat(spec.rejects().maxPercent()).isEqualTo(5.0);
  }

  @Test
  void readThreadsLeaveTheWriterACoreUnlessNothingIsWritten() {
    int cores = Runtime.getRuntime().availableProcessors();
    SourceSpec unset = read("name: p\nsource: {path: in}\n").source();
    assertThat(unset.readThreads()).isEqualTo(Math.max(1, Math.min(cores - 1, 8)));
    assertThat(unset.readThreads(true)).isEqualTo(unset.readThreads());
    assertThat(unset.readThreads(false)).isEqualTo(Math.max(1, Math.min(cores, 8)));
    SourceSpec set = read("name: p\nsource: {path: in, read_threads: 3}\n").source();
    assertThat(set.readThreads(true)).isEqualTo(3);
    assertThat(set.readThreads(false)).isEqualTo(3);
  }

  @Test
  void readsFormatSettings() {
    PipelineSpec spec =
        read(
            """
            name: p
            source: {path: in}
            format: {delimiter: ";", quote: "'", header: false, encoding: ISO-8859-1, null: ["", NA]}
            """);
    assertThat(spec.format().delimiter()).isEqualTo(";");
    assertThat(spec.format().quote()).isEqualTo('\'');
    assertThat(spec.format().header()).isFalse();
    assertThat(spec.format().encoding()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(spec.format().nullValues()).containsExactlyInAnyOrder("", "NA");
  }

  @Test
  void tabDelimiterIsWrittenAsBackslashT() {
    assertThat(
            read("name: p\nsource: {path: in}\nformat: {delimiter: \"\\\\t\"}\n")
                .format()
                .delimiter())
        .isEqualTo("\t");
  }

  @Test
  void inputsInheritTheTopLevelDefaultsAndOverrideThem() {
    PipelineSpec spec =
        read(
            """
            name: shop
            source: {path: in}
            format: {delimiter: ";"}
            rejects: {max: 3}
            target: {mode: upsert}
            inputs:
              - name: orders
                match: "orders*.csv"
                schema: {key: [id], columns: [id]}
              - name: reviews
                match: "reviews*.csv"
                table: review_log
                mode: append
                format: {header: false}
                rejects: {max: 5%}
            after_load:
              - "SELECT 1"
              - {sql: "SELECT 2"}
            exports:
              - {name: e, query: "SELECT 3", folder: out}
            """);
    assertThat(spec.fileSet()).isTrue();
    assertThat(spec.source().match()).isEqualTo("**");
    InputSpec orders = spec.inputs().get(0);
    assertThat(orders.table()).isEqualTo("orders");
    assertThat(orders.mode()).isEqualTo(LoadMode.UPSERT);
    assertThat(orders.format().delimiter()).isEqualTo(";");
    assertThat(orders.rejects().maxCount()).isEqualTo(3);
    InputSpec reviews = spec.inputs().get(1);
    assertThat(reviews.table()).isEqualTo("review_log");
    assertThat(reviews.mode()).isEqualTo(LoadMode.APPEND);
    assertThat(reviews.format().delimiter()).isEqualTo(";");
    assertThat(reviews.format().header()).isFalse();
    assertThat(reviews.rejects().percent()).isTrue();
    assertThat(spec.afterLoad())
        .extracting(SqlStep::sql, SqlStep::origin)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("SELECT 1", "pipeline.yaml line 17"),
            org.assertj.core.groups.Tuple.tuple("SELECT 2", "pipeline.yaml line 18"));
    assertThat(spec.exports())
        .containsExactly(
            new ExportSpec("e", new SqlStep("SELECT 3", "pipeline.yaml line 20"), "out"));
  }

  @Test
  void interpolatesEnvironmentVariablesAndMasksThem() {
    PipelineSpec spec =
        read(
            "name: p\nsource: {path: \"${LANDING}\"}\ntarget: {path: \"db-${SECRET_TOKEN}.duckdb\"}\n",
            Map.of("LANDING", "/data/in", "SECRET_TOKEN", "hunter2-secret"));
    assertThat(spec.source().path()).isEqualTo("/data/in");
    assertThat(spec.target().settings().get("path")).contains("db-hunter2-secret.duckdb");
    assertThat(spec.mask("failed to open db-hunter2-secret.duckdb"))
        .isEqualTo("failed to open db-****.duckdb");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          missing name                | source: {path: in}                                                   | pipeline.yaml line 1: missing required key 'name'
          unknown top-level key       | name: p\\nsource: {path: in}\\nfromat: {header: true}                 | pipeline.yaml line 3: fromat: unknown key; expected one of after_load, exports, format, inputs, name, notify, rejects, schema, source, target, transform, trigger
          unquoted decimal in { }     | name: p\\nsource: {path: in}\\nschema:\\n  columns:\\n    - {name: a, type: decimal(10,2)} | pipeline.yaml line 5: schema.columns[0].2): unknown key; expected one of format, name, required, type (inside { }, a comma ends a value: quote one that holds a comma, such as type: "decimal(10,2)")
          notify on nothing           | name: p\\nsource: {path: in}\\nnotify:\\n  - webhook: {url: "https://h/x"}\\n    on: [] | pipeline.yaml line 5: notify[0].on: lists no run; leave on out for the default, or list success, failure, rejects or always
          bad name                    | name: "a b"\\nsource: {path: in}                                      | pipeline.yaml line 1: name: 'a b' is not a valid name
          missing source path         | name: p\\nsource: {match: x}                                          | pipeline.yaml line 2: source: missing required key 'path'
          read threads not a number   | name: p\\nsource:\\n  path: in\\n  read_threads: all                 | pipeline.yaml line 4: source.read_threads: expected a whole number from 1 to 64, found 'all'
          read threads zero           | name: p\\nsource: {path: in, read_threads: 0}                        | pipeline.yaml line 2: source.read_threads: expected a whole number from 1 to 64, found '0'
          unknown mode                | name: p\\nsource: {path: in}\\ntarget:\\n  mode: upsertt              | pipeline.yaml line 4: target.mode: unknown value 'upsertt'; expected one of append, upsert, replace, insert_new
          upsert without key          | name: p\\nsource: {path: in}\\ntarget:\\n  mode: upsert               | pipeline.yaml line 4: target.mode: upsert needs schema.key
          unknown type                | name: p\\nsource: {path: in}\\nschema:\\n  columns:\\n    - {name: a, type: integer} | pipeline.yaml line 5: schema.columns[0].type: unknown value 'integer'; expected one of string, int, long, decimal, double, boolean, date, timestamp
          bad decimal                 | name: p\\nsource: {path: in}\\nschema:\\n  columns:\\n    - {name: a, type: \"decimal(40,2)\"} | pipeline.yaml line 5: schema.columns[0].type: decimal(precision,scale) needs 1 <= precision <= 38
          format on an int            | name: p\\nsource: {path: in}\\nschema:\\n  columns:\\n    - {name: a, type: int, format: x} | pipeline.yaml line 5: schema.columns[0].format: a format applies to date and timestamp columns only
          bad date pattern            | name: p\\nsource: {path: in}\\nschema:\\n  columns:\\n    - {name: a, type: date, format: \"dd-MM-yyyy{\"} | pipeline.yaml line 5: schema.columns[0].format: not a valid date/time pattern
          duplicate column            | name: p\\nsource: {path: in}\\nschema:\\n  columns: [a, A]             | pipeline.yaml line 4: schema.columns[1]: column 'A' is declared twice
          key not among columns       | name: p\\nsource: {path: in}\\nschema:\\n  key: [id]\\n  columns: [a] | pipeline.yaml line 4: schema.key: column 'id' is neither declared in schema.columns nor added by a transform
          rename of unknown column    | name: p\\nsource: {path: in}\\nschema:\\n  columns: [a]\\ntransform:\\n  - rename: {b: c} | pipeline.yaml line 6: transform[0].rename: no column 'b'; columns at this step: a
          two actions in one step     | name: p\\nsource: {path: in}\\ntransform:\\n  - {drop: a, add: {b: c}} | pipeline.yaml line 4: transform[0]: each transform step has exactly one of rename, drop, add
          bad rejects                 | name: p\\nsource: {path: in}\\nrejects: {max: lots}                     | pipeline.yaml line 3: rejects.max: expected a count (e.g. 10) or a percentage (e.g. 5%), found 'lots'
          percent over 100            | name: p\\nsource: {path: in}\\nrejects: {max: 150%}                     | pipeline.yaml line 3: rejects.max: a percentage cannot be over 100%
          unknown encoding            | name: p\\nsource: {path: in}\\nformat: {encoding: UTF-9}               | pipeline.yaml line 3: format.encoding: unknown encoding 'UTF-9'
          long delimiter              | name: p\\nsource: {path: in}\\nformat: {delimiter: '12345678901234567'} | pipeline.yaml line 3: format: the delimiter has 1 to 16 characters
          same delimiter and quote    | name: p\\nsource: {path: in}\\nformat: {delimiter: '\"', quote: '\"'} | pipeline.yaml line 3: format: the delimiter cannot contain the quote character
          bad bare_quotes             | name: p\\nsource: {path: in}\\nformat: {bare_quotes: drop}          | pipeline.yaml line 3: format.bare_quotes: unknown value 'drop'; expected one of reject, keep
          too many header rows        | name: p\\nsource: {path: in}\\nformat: {header_rows: 20}           | pipeline.yaml line 3: format.header_rows: must be between 1 and 16, found 20
          header not a boolean        | name: p\\nsource: {path: in}\\nformat: {header: yes}                   | pipeline.yaml line 3: format.header: expected true or false, found 'yes'
          unset variable              | name: p\\nsource: {path: \"${NOPE}\"}                                  | pipeline.yaml line 2: source.path: environment variable NOPE is not set
          duplicate key               | name: p\\nname: q\\nsource: {path: in}                                 | pipeline.yaml line 2: name: duplicate key
          not yaml                    | name: [p\\nsource: {path: in}                                          | pipeline.yaml line
          source is a list            | name: p\\nsource: [in]                                                 | pipeline.yaml line 2: source: expected a mapping
          schema beside inputs        | name: p\\nsource: {path: in}\\nschema: {columns: [a]}\\ninputs:\\n  - {name: a, match: x}          | pipeline.yaml line 3: schema: with inputs, each input declares its own schema
          table beside inputs         | name: p\\nsource: {path: in}\\ntarget: {table: t}\\ninputs:\\n  - {name: a, match: x}               | pipeline.yaml line 3: target.table: with inputs, each input names its own table
          match beside inputs         | name: p\\nsource: {path: in, match: x}\\ninputs:\\n  - {name: a, match: x}                    | pipeline.yaml line 2: source.match: with inputs, each input has its own match
          input without match         | name: p\\nsource: {path: in}\\ninputs:\\n  - {name: a}                                    | pipeline.yaml line 4: inputs[0]: missing required key 'match'
          input declared twice        | name: p\\nsource: {path: in}\\ninputs:\\n  - {name: a, match: x}\\n  - {name: a, match: y} | pipeline.yaml line 5: inputs[1].name: input 'a' is declared twice
          two inputs into one table   | name: p\\nsource: {path: in}\\ninputs:\\n  - {name: a, match: x}\\n  - {name: b, match: y, table: a} | pipeline.yaml line 5: inputs[1].table: inputs 'a' and 'b' both load table a
          input upsert without key    | name: p\\nsource: {path: in}\\ntarget: {mode: upsert}\\ninputs:\\n  - {name: a, match: x}         | pipeline.yaml line 5: inputs[0]: upsert needs schema.key
          bad input glob              | name: p\\nsource: {path: in}\\ninputs:\\n  - {name: a, match: \"x{y\"}                     | pipeline.yaml line 4: inputs[0].match: '{' without '}'
          after_load file missing     | name: p\\nsource: {path: in}\\nafter_load:\\n  - file: nope.sql                            | pipeline.yaml line 4: after_load[0].file: no such file
          after_load sql and file     | name: p\\nsource: {path: in}\\nafter_load:\\n  - {sql: x, file: y}                          | pipeline.yaml line 4: after_load[0]: give exactly one of sql (inline SQL) and file (a .sql file)
          export without query        | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e}                                   | pipeline.yaml line 4: exports[0]: give exactly one of query (inline SQL) and file (a .sql file)
          export folder outside       | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e, query: x, folder: ../up}           | pipeline.yaml line 4: exports[0].folder: a folder beside the loaded files
          commit in after_load        | name: p\\nsource: {path: in}\\nafter_load:\\n  - "UPDATE t SET a = 1; COMMIT"             | pipeline.yaml line 4: after_load[0]: the SQL holds COMMIT: it runs inside the load's transaction, which bucketload commits or rolls back with the ledger entry; remove COMMIT
          begin in an export          | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e, query: " begin"}                 | pipeline.yaml line 4: exports[0].query: the SQL holds BEGIN: it runs inside the load's transaction, which bucketload commits or rolls back with the ledger entry; remove BEGIN
          key listed twice            | name: p\\nsource: {path: in}\\nschema: {key: [k, k]}                                   | pipeline.yaml line 3: schema.key: column 'k' is listed twice
          export of two statements    | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e, query: "SELECT 1; SELECT 2"}     | pipeline.yaml line 4: exports[0]: export 'e': the query holds 2 statements; an export writes the rows of one query (run the others in after_load)
          export that writes          | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e, query: "INSERT INTO t VALUES (1) RETURNING *"} | pipeline.yaml line 4: exports[0]: export 'e': INSERT is not a query; an export writes the rows of a SELECT (or WITH, FROM, VALUES, TABLE, ...): change data in after_load
          export that copies out      | name: p\\nsource: {path: in}\\nexports:\\n  - {name: e, query: "COPY t TO 'x.csv'"}     | pipeline.yaml line 4: exports[0]: export 'e': COPY is not a query; an export writes the rows of a SELECT (or WITH, FROM, VALUES, TABLE, ...): change data in after_load
          no trigger kind             | name: p\\nsource: {path: in}\\ntrigger: {min_interval: 1 day}               | pipeline.yaml line 3: trigger: name at least one trigger: schedule, sqs, watch
          key of another kind         | name: p\\nsource: {path: in}\\ntrigger: {watch: 30s, timezone: UTC}           | pipeline.yaml line 3: trigger.timezone: belongs to a schedule trigger, and this section has none
          unknown trigger key         | name: p\\nsource: {path: in}\\ntrigger: {watch: 30s, every: 1m}               | pipeline.yaml line 3: trigger.every: unknown key for this trigger; expected one of min_interval, settle, watch
          bad rate in a combination   | name: p\\nsource: {path: in}\\ntrigger: {watch: 30s, schedule: rate(2 day)}   | pipeline.yaml line 3: trigger.schedule: 'rate(2 day)'
          watch settle twice          | name: p\\nsource: {path: in, settle: 1s}\\ntrigger: {watch: {every: 30s, settle: 5s}} | pipeline.yaml line 3: trigger: settle is given twice
          watch without every         | name: p\\nsource: {path: in}\\ntrigger: {watch: {settle: 5s}}                 | pipeline.yaml line 3: trigger.watch: missing required key 'every'
          bad watch settle            | name: p\\nsource: {path: in}\\ntrigger:\\n  watch: {every: 30s, settle: soon} | pipeline.yaml line 4: trigger.settle:
          bad min_interval            | name: p\\nsource: {path: in}\\ntrigger: {watch: 30s, min_interval: often}     | pipeline.yaml line 3: trigger.min_interval
          bucketload's staging table  | name: p\\nsource: {path: in}\\ntarget: {table: __bucketload_stage}           | pipeline.yaml line 3: target.table: '__bucketload_stage' is a name bucketload uses for its own tables
          bucketload's ledger table   | name: p\\nsource: {path: in}\\ntarget: {table: Bucketload_Ledger}            | pipeline.yaml line 3: target.table: 'Bucketload_Ledger' is a name bucketload uses for its own tables
          the ledger by the name      | name: bucketload_ledger\\nsource: {path: in}                                 | pipeline.yaml line 1: name: 'bucketload_ledger' is a name bucketload uses for its own tables
          an input's own table        | name: p\\nsource: {path: in}\\ninputs:\\n  - {name: a, match: x, table: bucketload_stage_1} | pipeline.yaml line 4: inputs[0].table: 'bucketload_stage_1' is a name bucketload uses
          """)
  void reportsConfigurationErrorsWithFileLineAndKey(String title, String yaml, String message) {
    assertThatThrownBy(() -> read(yaml.replace("\\n", "\n")))
        .as(title)
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aTriggerSectionMayCombineKindsEachWithItsOwnKeysAndTheSharedMinInterval() {
    PipelineSpec spec =
        read(
            """
            name: p
            source: {path: in}
            trigger:
              sqs: https://sqs.eu-west-1.amazonaws.com/123456789012/landing
              region: eu-west-1
              schedule: cron(0 6 ? * MON-FRI *)
              timezone: Europe/Paris
              watch: {every: 30s, settle: 10s}
              min_interval: 1 day
            """);

    assertThat(spec.triggers())
        .extracting(TriggerSpec::type)
        .containsExactly("schedule", "sqs", "watch");
    assertThat(spec.triggers())
        .allSatisfy(t -> assertThat(t.minInterval()).isEqualTo(java.time.Duration.ofDays(1)));
    assertThat(spec.triggers().get(0).settings().get("timezone")).hasValue("Europe/Paris");
    assertThat(spec.triggers().get(0).settings().get("region")).isEmpty();
    assertThat(spec.triggers().get(1).settings().get("region")).hasValue("eu-west-1");
    assertThat(spec.triggers().get(2).address()).isEqualTo("30s");
    assertThat(spec.source().settle())
        .as("the watch's settle is the source's")
        .isEqualTo(java.time.Duration.ofSeconds(10));
  }

  @Test
  void aVariableMayHaveADefaultForWhenItIsUnsetOrEmpty() {
    PipelineSpec spec =
        read(
            "name: p\nsource: {path: \"${LANDING:-in}\"}\ntarget: {table: \"${TABLE:-t}\"}\n",
            Map.of("TABLE", "orders"));

    assertThat(spec.source().path()).isEqualTo("in");
    assertThat(spec.target().table()).isEqualTo("orders");
    assertThat(spec.mask("in orders")).isEqualTo("in ****");
  }

  @Test
  void environmentValuesAreMaskedInConfigurationErrors() {
    assertThatThrownBy(
            () ->
                read(
                    "name: p\nsource: {path: in}\nrejects: {max: \"${MAXR}\"}\n",
                    Map.of("MAXR", "hunter2secret")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("found '****'")
        .hasMessageNotContaining("hunter2secret");
  }

  @Test
  void aKeyNamedBeforeARenameIsExplained() {
    assertThatThrownBy(
            () ->
                read(
                    "name: p\nsource: {path: in}\nschema:\n  key: [v]\n  columns: [v]\n"
                        + "transform:\n  - rename: {v: w}\n"))
        .hasMessageContaining(
            "schema.key: column 'v' is renamed or dropped by a transform; schema.key names the"
                + " columns after transforms");
  }

  @Test
  void booleansIgnoreCaseAndTabIsADelimiterName() {
    PipelineSpec spec =
        read("name: p\nsource: {path: in}\nformat: {header: False, delimiter: tab}\n");
    assertThat(spec.format().header()).isFalse();
    assertThat(spec.format().delimiter()).isEqualTo("\t");
  }

  @Test
  void missingFileIsAConfigurationError() {
    assertThatThrownBy(() -> new PipelineSpecReader().read(Path.of("/nonexistent/p.yaml")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("no such pipeline file");
  }

  @Test
  void aSqlStepSplitsTheTransformsIntoStepsOfTheInputsAndStepsOfItsResult() {
    PipelineSpec spec =
        read(
            """
            name: totals
            source: {path: ./landing}
            schema:
              key: [who]
              columns: [customer, {name: amount, type: "decimal(10,2)"}]
            transform:
              - add: {doubled: {expr: "amount * 2"}}
              - sql:
                  query: "select customer, sum(doubled) as total from input group by customer;"
                  memory_limit: 1GB
              - rename: {customer: who}
            target: {table: totals, mode: upsert}
            """);
    QuerySpec query = spec.query().orElseThrow();
    assertThat(query.sql().sql()).startsWith("select customer");
    assertThat(query.sql().origin()).isEqualTo("pipeline.yaml line 9");
    assertThat(query.after()).hasSize(1).first().isInstanceOf(TransformStep.Rename.class);
    assertThat(query.key()).containsExactly("who");
    assertThat(query.table()).isEqualTo("totals");
    assertThat(query.mode()).isEqualTo(LoadMode.UPSERT);
    assertThat(query.workspace().get("memory_limit")).contains("1GB");
    InputSpec input = spec.inputs().get(0);
    assertThat(input.table()).isEqualTo(QuerySpec.SINGLE_INPUT_TABLE);
    assertThat(input.mode()).isEqualTo(LoadMode.APPEND);
    assertThat(input.schema().key()).isEmpty();
    assertThat(input.transforms()).hasSize(1).first().isInstanceOf(TransformStep.Add.class);
    assertThat(spec.modes()).containsExactly(LoadMode.UPSERT);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '"',
      value = {
        "transform: [{sql: select 1}, {sql: select 2}]"
            + "|pipeline.yaml line 3: transform[1]: a pipeline has one sql step",
        "inputs: [{name: a, match: 'a*', transform: [{sql: select 1}]}, {name: b, match: 'b*'}]"
            + "|inputs[0].transform[0]: a sql step belongs in the pipeline's transform list",
        "transform: [{sql: ' '}]|pipeline.yaml line 3: transform[0].sql: the SQL is empty",
        "transform: [{sql: {query: select 1, memory: 1GB}}]|transform[0].sql.memory: unknown key; expected one of file, memory_limit",
        "transform: [{sql: select 1}]\\ntarget: {mode: sync}"
            + "|sync needs schema.key: the columns of the sql step's result",
      })
  void aSqlStepThatCannotBeIsRefusedWithItsLine(String yaml, String message) {
    String pipeline = "name: p\nsource: {path: ./landing}\n" + yaml.replace("\\n", "\n") + "\n";
    assertThatThrownBy(() -> read(pipeline))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(message);
  }

  @Test
  void aSqlStepInAPackageWithoutTheWorkspaceIsRefusedNamingWhatIsMissing() {
    PipelineSpec spec = read("name: p\nsource: {path: ./landing}\ntransform: [{sql: select 1}]\n");
    assertThatThrownBy(() -> io.bucketload.core.workspace.Workspaces.check(spec))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("a sql step runs in an embedded DuckDB workspace, which this package")
        .hasMessageContaining("SQL steps on Lambda");
  }
}
