package io.bucketload.core.spec;

import io.bucketload.core.csv.CsvDialect;
import io.bucketload.core.error.ConfigException;
import io.bucketload.core.schema.ColumnSpec;
import io.bucketload.core.schema.ColumnType;
import io.bucketload.core.schema.SchemaSpec;
import io.bucketload.core.schema.ValueParsers;
import io.bucketload.core.target.LoadMode;
import io.bucketload.core.transform.RowShape;
import io.bucketload.core.transform.ShapeException;
import io.bucketload.core.transform.TransformStep;
import io.bucketload.core.transform.ValueExpression;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads and validates a pipeline file. Every error is a {@link ConfigException} naming the file,
 * the line and the key.
 */
public final class PipelineSpecReader {
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,99}");
  private static final Pattern DECIMAL =
      Pattern.compile(
          "decimal\\s*(?:\\(\\s*(\\d+)\\s*(?:,\\s*(\\d+)\\s*)?\\))?", Pattern.CASE_INSENSITIVE);
  private static final Pattern PERCENT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*%");

  private final Function<String, String> environment;
  private final boolean notifyVariablesOptional;

  /** A reader that takes {@code ${VAR}} values from the process environment. */
  public PipelineSpecReader() {
    this(System::getenv);
  }

  /** A reader that takes {@code ${VAR}} values from {@code environment} (null when unset). */
  public PipelineSpecReader(Function<String, String> environment) {
    this(environment, false);
  }

  private PipelineSpecReader(
      Function<String, String> environment, boolean notifyVariablesOptional) {
    this.environment = environment;
    this.notifyVariablesOptional = notifyVariablesOptional;
  }

  /**
   * The same reader, for a command that notifies no one: a variable of the {@code notify} section
   * that is not set stays as written ({@code ${HOOK_URL}}) instead of failing the file.
   */
  public PipelineSpecReader withNotifyVariablesOptional() {
    return new PipelineSpecReader(environment, true);
  }

  /**
   * Reads a pipeline file.
   *
   * @throws ConfigException when the file is missing, unreadable or invalid
   */
  public PipelineSpec read(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException(file + ": no such pipeline file");
    } catch (IOException e) {
      throw new ConfigException(file + ": cannot read the pipeline file: " + e.getMessage(), e);
    }
    Path absolute = file.toAbsolutePath().normalize();
    return read(new StringReader(text), absolute, absolute.getParent());
  }

  /**
   * Reads a pipeline from text.
   *
   * @param text the YAML
   * @param file the file it came from (for messages)
   * @param baseDirectory the folder relative paths resolve against
   */
  public PipelineSpec read(Reader text, Path file, Path baseDirectory) {
    String fileName = String.valueOf(file.getFileName());
    YamlTreeReader yaml =
        new YamlTreeReader(
            fileName, environment, path -> notifyVariablesOptional && path.startsWith("notify["));
    String content;
    try {
      content = readAll(text);
    } catch (IOException e) {
      throw new ConfigException(fileName + ": cannot read: " + e.getMessage(), e);
    }
    try {
      return read(new StringReader(content), file, baseDirectory, yaml, digest(content));
    } catch (ConfigException e) {
      String masked = PipelineSpec.mask(e.getMessage(), yaml.substitutedValues());
      throw masked.equals(e.getMessage()) ? e : new ConfigException(masked);
    }
  }

  private static String readAll(Reader reader) throws IOException {
    StringBuilder text = new StringBuilder();
    char[] buffer = new char[8192];
    for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
      text.append(buffer, 0, n);
    }
    return text.toString();
  }

  /**
   * What identifies the definition: the file's digest, and the SQL its {@code after_load} steps and
   * exports read from other files, so that fixing an SQL file is a new definition too.
   */
  private static String definitionDigest(
      String fileDigest,
      List<SqlStep> afterLoad,
      List<ExportSpec> exports,
      Optional<QuerySpec> query) {
    StringBuilder all = new StringBuilder(fileDigest);
    afterLoad.forEach(step -> all.append('\0').append(step.sql()));
    exports.forEach(export -> all.append('\0').append(export.query().sql()));
    query.ifPresent(step -> all.append('\0').append(step.sql().sql()));
    return afterLoad.isEmpty() && exports.isEmpty() && query.isEmpty()
        ? fileDigest
        : digest(all.toString());
  }

  /** The first 16 hex digits of the SHA-256 of the pipeline file's text. */
  private static String digest(String content) {
    try {
      byte[] hash =
          java.security.MessageDigest.getInstance("SHA-256")
              .digest(content.getBytes(StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(hash, 0, 8);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
  }

  private PipelineSpec read(
      Reader text, Path file, Path baseDirectory, YamlTreeReader yaml, String digest) {
    String fileName = String.valueOf(file.getFileName());
    YamlNode tree;
    try {
      tree = yaml.read(text);
    } catch (IOException e) {
      throw new ConfigException(fileName + ": cannot read: " + e.getMessage(), e);
    }
    SpecNode root = new SpecNode(tree, "", fileName);
    root.allowOnly(
        List.of(
            "name",
            "source",
            "format",
            "schema",
            "transform",
            "target",
            "rejects",
            "inputs",
            "after_load",
            "exports",
            "trigger",
            "notify"));

    SpecNode nameNode = root.required("name");
    String name = nameNode.text();
    if (!NAME.matcher(name).matches()) {
      throw nameNode.error(
          "'" + name + "' is not a valid name: use letters, digits, '_', '.', '-' (at most 100)");
    }
    Optional<SpecNode> inputsNode = root.child("inputs");
    SourceSpec source =
        urlInputs(inputsNode, root.child("source"), fileName, baseDirectory)
            .orElseGet(
                () ->
                    source(
                        root.required("source"), fileName, baseDirectory, inputsNode.isPresent()));
    List<TriggerSpec> triggers =
        root.child("trigger")
            .map(node -> triggers(node, fileName, baseDirectory))
            .orElse(List.of());
    for (TriggerSpec trigger : triggers) {
      Optional<String> settle = trigger.settings().get("settle");
      if (settle.isPresent()) {
        // A watch's settle is the source's: the run applies it to every file it lists.
        if (source.settings().get("settle").isPresent()) {
          throw root.required("trigger")
              .error("settle is given twice, in source.settle and trigger.watch; keep one");
        }
        source =
            new SourceSpec(
                source.path(),
                source.match(),
                source.baseDirectory(),
                source.settings().with("settle", settle.get()));
      }
    }
    CsvDialect format =
        root.child("format")
            .map(node -> format(node, CsvDialect.DEFAULT))
            .orElse(CsvDialect.DEFAULT);
    Optional<SpecNode> schemaNode = root.child("schema");
    SchemaSpec schema = schemaNode.map(this::schema).orElse(new SchemaSpec(List.of(), List.of()));
    Optional<SpecNode> transformNode = root.child("transform");
    List<SpecNode> steps = transformNode.map(SpecNode::items).orElse(List.of());
    int sqlAt = sqlStepIndex(steps);
    List<TransformStep> transforms = transforms(sqlAt < 0 ? steps : steps.subList(0, sqlAt), false);
    TargetSpec target = target(root.child("target"), root, name, fileName, baseDirectory);
    RejectLimit rejects = root.child("rejects").map(this::rejects).orElse(RejectLimit.NONE);
    Optional<SpecNode> modeNode = root.child("target").flatMap(node -> node.child("mode"));
    Optional<QuerySpec> query = Optional.empty();
    if (sqlAt >= 0) {
      query =
          Optional.of(
              query(
                  steps.get(sqlAt),
                  transforms(steps.subList(sqlAt + 1, steps.size()), false),
                  schemaNode,
                  inputsNode.isPresent(),
                  target,
                  modeNode.orElse(root),
                  baseDirectory));
    }

    List<InputSpec> inputs;
    if (inputsNode.isPresent()) {
      if (schemaNode.isPresent() && query.isEmpty()) {
        throw schemaNode.get().error("with inputs, each input declares its own schema");
      }
      Optional<SpecNode> tableNode = root.child("target").flatMap(node -> node.child("table"));
      if (tableNode.isPresent() && query.isEmpty()) {
        throw tableNode.get().error("with inputs, each input names its own table");
      }
      inputs = inputs(inputsNode.get(), format, transforms, target, rejects, query.isPresent());
    } else if (query.isPresent()) {
      SchemaSpec columnsOnly = new SchemaSpec(List.of(), schema.columns());
      InputSpec only =
          new InputSpec(
              name,
              NamePattern.of(source.match()),
              format,
              columnsOnly,
              transforms,
              QuerySpec.SINGLE_INPUT_TABLE,
              LoadMode.APPEND,
              rejects);
      checkInput(only, schemaNode, Optional.empty(), root);
      inputs = List.of(only);
    } else {
      InputSpec only =
          new InputSpec(
              name,
              NamePattern.of(source.match()),
              format,
              schema,
              transforms,
              target.table(),
              target.mode(),
              rejects);
      checkInput(only, schemaNode, modeNode, root);
      inputs = List.of(only);
    }
    if (inputsNode.isPresent()) {
      // Every file under the path is listed; the inputs' patterns pick theirs.
      source = new SourceSpec(source.path(), "**", baseDirectory, source.settings());
    }
    List<SqlStep> afterLoad =
        root.child("after_load").map(node -> afterLoad(node, baseDirectory)).orElse(List.of());
    List<ExportSpec> exports =
        root.child("exports").map(node -> exports(node, baseDirectory)).orElse(List.of());
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
        root.child("notify")
            .map(node -> notifiers(node, fileName, baseDirectory))
            .orElse(List.of()),
        yaml.substitutedValues(),
        definitionDigest(digest, afterLoad, exports, query));
  }

  /** The position of the {@code sql} step in a transform list, or -1; refuses a second one. */
  private static int sqlStepIndex(List<SpecNode> steps) {
    int at = -1;
    for (int i = 0; i < steps.size(); i++) {
      if (steps.get(i).isMap() && steps.get(i).child("sql").isPresent()) {
        if (at >= 0) {
          throw steps
              .get(i)
              .error(
                  "a pipeline has one sql step; join or reshape everything in one query (WITH"
                      + " clauses name intermediate results)");
        }
        at = i;
      }
    }
    return at;
  }

  /**
   * The {@code sql} step: its query inline ({@code sql: SELECT ...}) or as a map ({@code query} or
   * {@code file}, and the workspace's {@code memory_limit}, {@code threads}, {@code
   * temp_directory}), with what its result loads as.
   */
  private QuerySpec query(
      SpecNode step,
      List<TransformStep> after,
      Optional<SpecNode> schemaNode,
      boolean hasInputs,
      TargetSpec target,
      SpecNode modeNode,
      Path baseDirectory) {
    step.allowOnly(List.of("sql"));
    SpecNode body = step.required("sql");
    SqlStep sql;
    Settings workspace;
    if (body.isScalar()) {
      sql = inlineSql(body);
      workspace = Settings.none(body.path(), body.fileName(), baseDirectory);
    } else {
      Set<String> known = new HashSet<>(QuerySpec.WORKSPACE_KEYS);
      known.addAll(List.of("query", "file"));
      body.allowOnly(List.copyOf(new java.util.TreeSet<>(known)));
      sql = sql(body, "query", baseDirectory);
      workspace =
          settings(body, body.path(), Set.of("query", "file"), body.fileName(), baseDirectory);
    }
    List<String> key = List.of();
    if (schemaNode.isPresent()) {
      SpecNode node = schemaNode.get();
      if (hasInputs && node.child("columns").isPresent()) {
        throw node.required("columns")
            .error(
                "with inputs, each input declares its own schema.columns; the pipeline's"
                    + " schema.key names the key of the sql step's result");
      }
      key = node.child("key").map(SpecNode::texts).orElse(List.of());
    }
    if (target.mode().needsKey() && key.isEmpty()) {
      throw modeNode.error(
          target.mode().configName()
              + " needs schema.key: the columns of the sql step's result that identify a row");
    }
    return new QuerySpec(sql, after, key, target.table(), target.mode(), workspace);
  }

  private List<InputSpec> inputs(
      SpecNode node,
      CsvDialect format,
      List<TransformStep> transforms,
      TargetSpec target,
      RejectLimit rejects,
      boolean intoWorkspace) {
    List<SpecNode> items = node.items();
    if (items.isEmpty()) {
      throw node.error("declare at least one input (name, match, schema, table)");
    }
    List<InputSpec> inputs = new ArrayList<>();
    Map<String, String> tables = new HashMap<>();
    for (SpecNode item : items) {
      item.allowOnly(
          List.of(
              "name", "match", "url", "table", "mode", "format", "schema", "transform", "rejects"));
      SpecNode inputName = item.required("name");
      String name = inputName.text();
      if (!NAME.matcher(name).matches()) {
        throw inputName.error(
            "'" + name + "' is not a valid name: use letters, digits, '_', '.', '-' (at most 100)");
      }
      if (inputs.stream().anyMatch(input -> input.name().equals(name))) {
        throw inputName.error("input '" + name + "' is declared twice");
      }
      if (intoWorkspace) {
        for (String key : List.of("table", "mode")) {
          Optional<SpecNode> refused = item.child(key);
          if (refused.isPresent()) {
            throw refused
                .get()
                .error(
                    "with a sql step, each input is a table of its workspace named after the"
                        + " input, and the query's result loads into target.table with"
                        + " target.mode; remove "
                        + key);
          }
        }
        item.child("schema")
            .flatMap(schemaNode -> schemaNode.child("key"))
            .ifPresent(
                keyNode -> {
                  throw keyNode.error(
                      "with a sql step, the pipeline's schema.key names the key of the query's"
                          + " result; an input has no key");
                });
      }
      Optional<SpecNode> urlNode = item.child("url");
      NamePattern match =
          urlNode.isPresent()
              ? NamePattern.of(SourceSpec.fileNameOf(urlNode.get().text().trim()))
              : pattern(item.required("match"));
      String table =
          intoWorkspace ? name : item.child("table").map(SpecNode::text).orElse(defaultTable(name));
      if (table.isBlank()) {
        throw item.required("table").error("cannot be empty");
      }
      refuseOwnTableName(table, item.child("table").orElse(inputName));
      String other = tables.put(table.toLowerCase(Locale.ROOT), name);
      if (other != null) {
        throw item.child("table")
            .orElse(inputName)
            .error("inputs '" + other + "' and '" + name + "' both load table " + table);
      }
      Optional<SpecNode> modeNode = item.child("mode");
      Optional<SpecNode> schemaNode = item.child("schema");
      InputSpec input =
          new InputSpec(
              name,
              match,
              item.child("format").map(n -> format(n, format)).orElse(format),
              schemaNode.map(this::schema).orElse(new SchemaSpec(List.of(), List.of())),
              item.child("transform").map(n -> transforms(n.items(), true)).orElse(transforms),
              table,
              intoWorkspace
                  ? LoadMode.APPEND
                  : modeNode.map(n -> n.enumValue(LoadMode.class)).orElse(target.mode()),
              item.child("rejects").map(this::rejects).orElse(rejects));
      checkInput(input, schemaNode, modeNode, item);
      inputs.add(input);
    }
    return inputs;
  }

  /** Checks that the input's mode has the key it needs and that transforms keep the key. */
  private void checkInput(
      InputSpec input, Optional<SpecNode> schemaNode, Optional<SpecNode> modeNode, SpecNode at) {
    SchemaSpec schema = input.schema();
    if (input.mode().needsKey() && schema.key().isEmpty()) {
      throw modeNode
          .orElse(at)
          .error(input.mode().configName() + " needs schema.key (the columns that identify a row)");
    }
    java.util.Set<String> keyColumns = new java.util.HashSet<>();
    for (String column : schema.key()) {
      if (!keyColumns.add(column) && schemaNode.isPresent()) {
        throw schemaNode.get().required("key").error("column '" + column + "' is listed twice");
      }
    }
    if (schema.declaresColumns()) {
      try {
        RowShape.compile(schema.columns(), input.transforms(), schema.key());
      } catch (ShapeException e) {
        if (e.missingKey().isPresent()) {
          SpecNode keyNode = schemaNode.get().required("key");
          String column = e.missingKey().get();
          boolean declared =
              schema.columns().stream()
                  .anyMatch(declaredColumn -> declaredColumn.name().equals(column));
          throw keyNode.error(
              declared
                  ? "column '"
                      + column
                      + "' is renamed or dropped by a transform; schema.key names the columns"
                      + " after transforms"
                  : "column '"
                      + column
                      + "' is neither declared in schema.columns nor added by a transform");
        }
        throw new ConfigException(e.getMessage());
      }
    }
  }

  private List<SqlStep> afterLoad(SpecNode node, Path baseDirectory) {
    List<SqlStep> steps = new ArrayList<>();
    for (SpecNode item : node.items()) {
      if (item.isScalar()) {
        steps.add(inlineSql(item));
      } else {
        item.allowOnly(List.of("sql", "file"));
        steps.add(sql(item, "sql", baseDirectory));
      }
    }
    return steps;
  }

  private List<ExportSpec> exports(SpecNode node, Path baseDirectory) {
    List<ExportSpec> exports = new ArrayList<>();
    for (SpecNode item : node.items()) {
      item.allowOnly(List.of("name", "query", "file", "folder"));
      SpecNode nameNode = item.required("name");
      String name = nameNode.text();
      if (!NAME.matcher(name).matches()) {
        throw nameNode.error(
            "'" + name + "' is not a valid name: use letters, digits, '_', '.', '-' (at most 100)");
      }
      if (exports.stream().anyMatch(export -> export.name().equals(name))) {
        throw nameNode.error("export '" + name + "' is declared twice");
      }
      String folder =
          item.child("folder").map(SpecNode::text).orElse(ExportSpec.DEFAULT_FOLDER).trim();
      if (folder.isEmpty() || folder.startsWith("/") || folder.contains("..")) {
        throw item.required("folder")
            .error("a folder beside the loaded files, e.g. exports (no '..', not absolute)");
      }
      SqlStep query = sql(item, "query", baseDirectory);
      int statements = SqlStatements.count(query.sql());
      if (statements > 1) {
        throw item.error(
            "export '"
                + name
                + "': the query holds "
                + statements
                + " statements; an export writes the rows of one query (run the others in"
                + " after_load)");
      }
      Optional<String> notAQuery = SqlStatements.notAQuery(query.sql());
      if (notAQuery.isPresent()) {
        // It would run in the load's transaction and commit with it (INSERT ... RETURNING), or
        // write outside the database where no rollback reaches (COPY ... TO).
        throw item.error(
            "export '"
                + name
                + "': "
                + (notAQuery.get().isEmpty() ? "this statement" : notAQuery.get())
                + " is not a query; an export writes the rows of a SELECT (or WITH, FROM, VALUES,"
                + " TABLE, ...): change data in after_load");
      }
      exports.add(new ExportSpec(name, query, folder));
    }
    return exports;
  }

  /** SQL given inline under {@code inlineKey} or read from the file named by {@code file}. */
  private SqlStep sql(SpecNode item, String inlineKey, Path baseDirectory) {
    Optional<SpecNode> inline = item.child(inlineKey);
    Optional<SpecNode> fileNode = item.child("file");
    if (inline.isPresent() == fileNode.isPresent()) {
      throw item.error("give exactly one of " + inlineKey + " (inline SQL) and file (a .sql file)");
    }
    if (inline.isPresent()) {
      return inlineSql(inline.get());
    }
    Path sqlFile = baseDirectory.resolve(fileNode.get().text()).normalize();
    try {
      String text = Files.readString(sqlFile, StandardCharsets.UTF_8);
      if (text.isBlank()) {
        throw fileNode.get().error(sqlFile + " is empty");
      }
      refuseTransactionControl(text, fileNode.get());
      return new SqlStep(text, String.valueOf(baseDirectory.relativize(sqlFile)));
    } catch (NoSuchFileException e) {
      throw fileNode.get().error("no such file: " + sqlFile);
    } catch (IOException e) {
      throw fileNode.get().error("cannot read " + sqlFile + ": " + e.getMessage());
    }
  }

  private static SqlStep inlineSql(SpecNode node) {
    String text = node.text();
    if (text.isBlank()) {
      throw node.error("the SQL is empty");
    }
    refuseTransactionControl(text, node);
    return new SqlStep(text, node.fileName() + " line " + node.line());
  }

  /**
   * Refuses SQL that begins or ends a transaction: a pipeline's SQL runs inside the load's
   * transaction, which commits with the ledger entry; a COMMIT in it would keep rows the ledger
   * does not record, to be loaded again by the next run.
   */
  private static void refuseTransactionControl(String sql, SpecNode node) {
    SqlStatements.transactionControl(sql)
        .ifPresent(
            word -> {
              throw node.error(
                  "the SQL holds "
                      + word
                      + ": it runs inside the load's transaction, which bucketload commits or"
                      + " rolls back with the ledger entry; remove "
                      + word);
            });
  }

  private static NamePattern pattern(SpecNode node) {
    try {
      return NamePattern.of(node.text());
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /**
   * The source of a file set whose inputs are URLs ({@code inputs[].url}): every input has one, no
   * input has {@code match}, and {@code source} (optional) has no {@code path}; its other keys
   * ({@code headers}, {@code ca_file}, {@code output}, ...) apply to every URL.
   */
  private Optional<SourceSpec> urlInputs(
      Optional<SpecNode> inputsNode,
      Optional<SpecNode> sourceNode,
      String fileName,
      Path baseDirectory) {
    if (inputsNode.isEmpty() || !inputsNode.get().isList()) {
      return Optional.empty();
    }
    List<SpecNode> items = inputsNode.get().items();
    long withUrl =
        items.stream().filter(item -> item.isMap() && item.child("url").isPresent()).count();
    if (withUrl == 0) {
      return Optional.empty();
    }
    Map<String, String> values = new HashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    Map<String, String> names = new HashMap<>();
    for (SpecNode item : items) {
      Optional<SpecNode> url = item.child("url");
      if (url.isEmpty()) {
        throw item.error("give every input a url, or none (then source.path and match)");
      }
      if (item.child("match").isPresent()) {
        throw item.required("match").error("an input with a url has no match");
      }
      String text = url.get().text().trim();
      if (!text.startsWith("https://") && !text.startsWith("http://")) {
        throw url.get().error("expected an https:// URL, found '" + text + "'");
      }
      String file = SourceSpec.fileNameOf(text);
      if (file.isEmpty() || file.matches(".*[*?{}\\[\\]].*")) {
        throw url.get()
            .error("the URL's path must end in a file name without * ? { } [ ], e.g. /us.csv");
      }
      String input = item.required("name").text();
      String other = names.put(file, input);
      if (other != null) {
        throw url.get()
            .error("inputs '" + other + "' and '" + input + "' both name a file " + file);
      }
      values.put("url." + input, text);
      lines.put("url." + input, url.get().line());
    }
    if (sourceNode.isPresent()) {
      SpecNode node = sourceNode.get();
      for (String key : List.of("path", "match")) {
        if (node.child(key).isPresent()) {
          throw node.required(key).error("with inputs that have a url, the source has no " + key);
        }
      }
      Settings shared = settings(node, "source", Set.of(), fileName, baseDirectory);
      for (String key : shared.keys()) {
        values.put(key, shared.get(key).orElse(""));
      }
    }
    return Optional.of(
        new SourceSpec(
            SourceSpec.URL_INPUTS,
            "**",
            baseDirectory,
            new Settings("source", values, lines, fileName, baseDirectory)));
  }

  private SourceSpec source(SpecNode node, String fileName, Path baseDirectory, boolean hasInputs) {
    if (hasInputs && node.child("match").isPresent()) {
      throw node.required("match").error("with inputs, each input has its own match");
    }
    String path = node.required("path").text();
    if (path.isBlank()) {
      throw node.required("path").error("cannot be empty");
    }
    SpecNode matchNode = node.child("match").orElse(null);
    String match = matchNode == null ? SourceSpec.DEFAULT_MATCH : matchNode.text();
    if (matchNode != null) {
      pattern(matchNode);
    }
    SourceSpec spec =
        new SourceSpec(
            path,
            match,
            baseDirectory,
            settings(node, "source", Set.of("path", "match"), fileName, baseDirectory));
    for (String key : List.of("settle", "ready", "read_threads")) {
      Optional<SpecNode> value = node.child(key);
      if (value.isPresent()) {
        try {
          if (key.equals("settle")) {
            spec.settle();
          } else if (key.equals("read_threads")) {
            spec.readThreads();
          } else {
            spec.readyMarker();
          }
        } catch (ConfigException e) {
          String message = e.getMessage();
          throw value
              .get()
              .error(message.substring(message.indexOf(key + ": ") + key.length() + 2));
        }
      }
    }
    return spec;
  }

  /**
   * The {@code trigger} section: one or more kinds ({@code sqs: URL}, {@code schedule: rate(1
   * day)}, {@code watch: 30s} or {@code watch: {every: 30s, settle: 10s}}), each kind's own keys
   * ({@link TriggerSpec#KEYS}) and {@code min_interval}, shared by all.
   */
  private List<TriggerSpec> triggers(SpecNode node, String fileName, Path baseDirectory) {
    if (!node.isMap()) {
      throw node.error("expected the kinds of trigger, e.g. trigger: {schedule: rate(1 day)}");
    }
    List<String> kinds = node.keys().stream().filter(TriggerSpec.TYPES::contains).sorted().toList();
    if (kinds.isEmpty()) {
      throw node.error(
          "name at least one trigger: "
              + String.join(", ", TriggerSpec.TYPES.stream().sorted().toList()));
    }
    Set<String> known = new java.util.TreeSet<>(kinds);
    known.add(TriggerSpec.MIN_INTERVAL);
    kinds.forEach(kind -> known.addAll(TriggerSpec.KEYS.get(kind)));
    for (String key : node.keys()) {
      if (known.contains(key)) {
        continue;
      }
      Optional<String> owner =
          TriggerSpec.KEYS.entrySet().stream()
              .filter(entry -> entry.getValue().contains(key))
              .map(Map.Entry::getKey)
              .findFirst();
      throw node.required(key)
          .error(
              owner
                  .map(kind -> "belongs to a " + kind + " trigger, and this section has none")
                  .orElse(
                      "unknown key for this trigger; expected one of " + String.join(", ", known)));
    }
    Settings all = settings(node, "trigger", TriggerSpec.TYPES, fileName, baseDirectory);
    List<TriggerSpec> triggers = new ArrayList<>();
    for (String kind : kinds) {
      SpecNode kindNode = node.required(kind);
      Settings own = all.only(TriggerSpec.keysOf(kind));
      String address;
      if (kind.equals("watch") && kindNode.isMap()) {
        kindNode.allowOnly(List.of("every", "settle"));
        address = kindNode.required("every").text().trim();
        Optional<SpecNode> settle = kindNode.child("settle");
        if (settle.isPresent()) {
          own = own.with("settle", settle.get().text(), settle.get().line());
        }
      } else {
        address = kindNode.text().trim();
      }
      if (address.isEmpty()) {
        throw kindNode.error("cannot be empty");
      }
      TriggerSpec spec = new TriggerSpec(kind, address, own);
      spec.minInterval();
      try {
        if (kind.equals("watch")) {
          io.bucketload.core.trigger.WatchTriggerFactory.every(spec);
          spec.settings().duration("settle", java.time.Duration.ZERO);
        }
        if (kind.equals("schedule")) {
          io.bucketload.core.trigger.Schedule.parse(
              address, io.bucketload.core.trigger.ScheduleTriggerFactory.zone(spec));
        }
      } catch (ConfigException e) {
        String message = e.getMessage();
        throw message.startsWith(fileName) ? e : kindNode.error(message);
      }
      triggers.add(spec);
    }
    return List.copyOf(triggers);
  }

  /**
   * The {@code notify} list: each item names one channel ({@code email}, {@code webhook}, {@code
   * sns}) with its settings, and optionally {@code on}.
   */
  private List<NotifySpec> notifiers(SpecNode node, String fileName, Path baseDirectory) {
    List<NotifySpec> channels = new ArrayList<>();
    List<SpecNode> items = node.items();
    for (int index = 0; index < items.size(); index++) {
      SpecNode item = items.get(index);
      if (!item.isMap()) {
        throw item.error("expected a channel, e.g. - webhook: {url: \"${SLACK_WEBHOOK_URL}\"}");
      }
      List<String> kinds =
          item.keys().stream().filter(NotifySpec.TYPES::contains).sorted().toList();
      if (kinds.size() != 1) {
        throw item.error(
            "name exactly one channel: "
                + String.join(", ", NotifySpec.TYPES.stream().sorted().toList())
                + (kinds.isEmpty() ? "" : "; found " + String.join(", ", kinds)));
      }
      String type = kinds.get(0);
      List<String> allowed = new ArrayList<>(List.of(type, "on"));
      item.allowOnly(allowed);
      SpecNode channel = item.required(type);
      if (!channel.isMap()) {
        throw channel.error("expected the channel's settings, e.g. " + type + ": {...}");
      }
      Map<String, String> values = new HashMap<>();
      Map<String, Integer> lines = new HashMap<>();
      flatten(channel, "", values, lines);
      Settings settings =
          new Settings("notify[" + index + "]." + type, values, lines, fileName, baseDirectory);
      java.util.Set<NotifyOn> on = new java.util.HashSet<>();
      Optional<SpecNode> onNode = item.child("on");
      if (onNode.isPresent()) {
        if (onNode.get().texts().isEmpty()) {
          throw onNode
              .get()
              .error(
                  "lists no run; leave on out for the default, or list success, failure, rejects"
                      + " or always");
        }
        for (String value : onNode.get().texts()) {
          on.add(
              NotifyOn.of(value)
                  .orElseThrow(
                      () ->
                          onNode
                              .get()
                              .error(
                                  "unknown value '"
                                      + value
                                      + "'; expected success, failure, rejects or always")));
        }
      }
      channels.add(
          new NotifySpec(type, settings, on.isEmpty() ? NotifySpec.DEFAULT_ON : on, index));
    }
    return List.copyOf(channels);
  }

  /** A mapping's scalars with dotted keys ({@code smtp.host}); lists joined with commas. */
  private static void flatten(
      SpecNode node, String prefix, Map<String, String> values, Map<String, Integer> lines) {
    for (Map.Entry<String, SpecNode> entry : node.entries()) {
      String key = prefix + entry.getKey();
      SpecNode value = entry.getValue();
      if (value.isMap()) {
        flatten(value, key + ".", values, lines);
        continue;
      }
      values.put(key, value.isList() ? String.join(",", value.texts()) : value.text());
      lines.put(key, value.line());
    }
  }

  /** The scalar keys of a section other than {@code reserved}, with their lines. */
  private static Settings settings(
      SpecNode node, String section, Set<String> reserved, String fileName, Path baseDirectory) {
    Map<String, String> values = new HashMap<>();
    Map<String, Integer> lines = new HashMap<>();
    for (Map.Entry<String, SpecNode> entry : node.entries()) {
      String key = entry.getKey();
      if (reserved.contains(key)) {
        // Read by the reader itself; its line still names it in a target's own checks.
        lines.put(key, entry.getValue().line());
        continue;
      }
      if (entry.getValue().isMap()) {
        // e.g. source.headers: {Authorization: ...} as headers.Authorization
        Map<String, String> nested = new HashMap<>();
        Map<String, Integer> nestedLines = new HashMap<>();
        flatten(entry.getValue(), key + ".", nested, nestedLines);
        values.putAll(nested);
        lines.putAll(nestedLines);
        continue;
      }
      values.put(key, entry.getValue().text());
      lines.put(key, entry.getValue().line());
    }
    return new Settings(section, values, lines, fileName, baseDirectory, reserved);
  }

  private CsvDialect format(SpecNode node, CsvDialect defaults) {
    node.allowOnly(
        List.of(
            "delimiter",
            "quote",
            "header",
            "encoding",
            "null",
            "max_field_chars",
            "max_record_chars",
            "bare_quotes",
            "trailing_delimiter",
            "skip_lines",
            "header_rows"));
    String delimiter =
        node.child("delimiter").map(PipelineSpecReader::delimiter).orElse(defaults.delimiter());
    char quote = node.child("quote").map(SpecNode::singleChar).orElse(defaults.quote());
    boolean header = node.child("header").map(SpecNode::bool).orElse(defaults.header());
    Charset encoding = node.child("encoding").map(this::charset).orElse(defaults.encoding());
    Set<String> nulls =
        node.child("null")
            .map(n -> (Set<String>) new LinkedHashSet<>(n.texts()))
            .orElse(defaults.nullValues());
    if (node.keys().contains("null") && node.child("null").isEmpty()) {
      nulls = Set.of("");
    }
    long maxField =
        node.child("max_field_chars")
            .map(n -> n.longValue(16, Integer.MAX_VALUE - 16))
            .orElse((long) defaults.maxFieldChars());
    long maxRecord =
        node.child("max_record_chars")
            .map(n -> n.longValue(16, Integer.MAX_VALUE - 16))
            .orElse(Math.max(defaults.maxRecordChars(), maxField));
    CsvDialect.BareQuotes bareQuotes =
        node.child("bare_quotes")
            .map(n -> n.enumValue(CsvDialect.BareQuotes.class))
            .orElse(defaults.bareQuotes());
    boolean trailing =
        node.child("trailing_delimiter").map(SpecNode::bool).orElse(defaults.trailingDelimiter());
    long skipLines =
        node.child("skip_lines")
            .map(n -> n.longValue(0, 1_000_000))
            .orElse((long) defaults.skipLines());
    long headerRows =
        node.child("header_rows").map(n -> n.longValue(1, 16)).orElse((long) defaults.headerRows());
    try {
      return new CsvDialect(
          delimiter,
          quote,
          header,
          encoding,
          nulls,
          (int) maxField,
          (int) maxRecord,
          bareQuotes,
          trailing,
          (int) skipLines,
          (int) headerRows);
    } catch (IllegalArgumentException e) {
      throw node.error(e.getMessage());
    }
  }

  /** {@code format.delimiter}: one or more characters; {@code \t} or {@code tab} is a tab. */
  private static String delimiter(SpecNode node) {
    String text = node.text();
    String decoded = text.equals("\\t") || text.equalsIgnoreCase("tab") ? "\t" : text;
    if (decoded.isEmpty()) {
      throw node.error("cannot be empty");
    }
    if (decoded.indexOf('\n') >= 0 || decoded.indexOf('\r') >= 0) {
      throw node.error("a line break cannot be used here");
    }
    return decoded;
  }

  private Charset charset(SpecNode node) {
    String name = node.text();
    try {
      return Charset.forName(name);
    } catch (RuntimeException e) {
      throw node.error("unknown encoding '" + name + "' (e.g. UTF-8, ISO-8859-1, windows-1252)");
    }
  }

  private SchemaSpec schema(SpecNode node) {
    node.allowOnly(List.of("key", "columns"));
    List<String> key = node.child("key").map(SpecNode::texts).orElse(List.of());
    List<ColumnSpec> columns = new ArrayList<>();
    Set<String> names = new HashSet<>();
    for (SpecNode item : node.child("columns").map(SpecNode::items).orElse(List.of())) {
      ColumnSpec column = column(item);
      if (!names.add(column.name().toLowerCase(Locale.ROOT))) {
        throw item.error("column '" + column.name() + "' is declared twice");
      }
      columns.add(column);
    }
    return new SchemaSpec(key, columns);
  }

  private ColumnSpec column(SpecNode node) {
    if (node.isScalar()) {
      return ColumnSpec.text(node.text(), false);
    }
    node.allowOnly(List.of("name", "type", "format", "required"));
    String name = node.required("name").text();
    if (name.isBlank()) {
      throw node.required("name").error("a column name cannot be empty");
    }
    SpecNode typeNode = node.child("type").orElse(null);
    String typeText = typeNode == null ? "string" : typeNode.text().trim();
    ColumnType type;
    int precision = 0;
    int scale = 0;
    Matcher decimal = DECIMAL.matcher(typeText);
    if (decimal.matches()) {
      type = ColumnType.DECIMAL;
      precision =
          decimal.group(1) == null
              ? ColumnSpec.DEFAULT_PRECISION
              : Integer.parseInt(decimal.group(1));
      scale =
          decimal.group(2) == null
              ? (decimal.group(1) == null ? ColumnSpec.DEFAULT_SCALE : 0)
              : Integer.parseInt(decimal.group(2));
      if (precision < 1 || precision > 38 || scale > precision) {
        throw typeNode.error(
            "decimal(precision,scale) needs 1 <= precision <= 38 and scale <= precision");
      }
    } else {
      type = typeNode == null ? ColumnType.STRING : typeNode.enumValue(ColumnType.class);
    }
    Optional<SpecNode> formatNode = node.child("format");
    Optional<String> format = formatNode.map(SpecNode::text);
    if (formatNode.isPresent()) {
      if (type != ColumnType.DATE && type != ColumnType.TIMESTAMP) {
        throw formatNode.get().error("a format applies to date and timestamp columns only");
      }
      try {
        ValueParsers.formatter(format.get());
      } catch (IllegalArgumentException e) {
        throw formatNode.get().error("not a valid date/time pattern: " + e.getMessage());
      }
    }
    boolean required = node.child("required").map(SpecNode::bool).orElse(false);
    return new ColumnSpec(name, type, format, required, precision, scale);
  }

  /** The tables bucketload keeps beside the loaded ones, by their names as DuckDB compares them. */
  private static final Set<String> OWN_TABLES =
      Set.of("bucketload_ledger", "bucketload_notifications", "bucketload_triggers");

  /**
   * Refuses a table name bucketload uses for its own tables: its ledger and records, or the
   * prefixes of its staging and work tables ({@code __bucketload_}, {@code bucketload_stage_}). A
   * load into one of them would drop or overwrite what bucketload keeps there.
   */
  private static void refuseOwnTableName(String table, SpecNode where) {
    String folded = io.bucketload.core.schema.ColumnNames.folded(table);
    if (OWN_TABLES.contains(folded)
        || folded.startsWith("__bucketload")
        || folded.startsWith("bucketload_stage_")) {
      throw where.error(
          "'"
              + table
              + "' is a name bucketload uses for its own tables (its ledger, its staging and work"
              + " tables): choose another table name");
    }
  }

  /**
   * Row transform steps.
   *
   * @param perInput whether they are an input's own list, where a {@code sql} step cannot be
   */
  private List<TransformStep> transforms(List<SpecNode> items, boolean perInput) {
    List<TransformStep> steps = new ArrayList<>();
    for (SpecNode item : items) {
      if (perInput && item.isMap() && item.child("sql").isPresent()) {
        throw item.error(
            "a sql step belongs in the pipeline's transform list, where it sees every input;"
                + " an input's transform list has row steps only");
      }
      item.allowOnly(List.of("rename", "drop", "add", "default", "filter"));
      if (item.keys().size() != 1) {
        throw item.error(
            "each transform step has exactly one of rename, drop, add, default, filter");
      }
      String kind = item.keys().iterator().next();
      SpecNode body = item.required(kind);
      String where = item.fileName() + " line " + body.line() + ": " + body.path();
      switch (kind) {
        case "rename" -> {
          Map<String, String> names = new LinkedHashMap<>();
          for (Map.Entry<String, SpecNode> entry : body.entries()) {
            names.put(entry.getKey(), entry.getValue().text());
          }
          steps.add(new TransformStep.Rename(names, where));
        }
        case "drop" -> steps.add(new TransformStep.Drop(body.texts(), where));
        case "filter" -> steps.add(new TransformStep.Filter(body.text(), where));
        default -> {
          Map<String, ValueExpression> columns = new LinkedHashMap<>();
          for (Map.Entry<String, SpecNode> entry : body.entries()) {
            SpecNode value = entry.getValue();
            if (value.isMap()) {
              value.allowOnly(List.of("expr"));
              columns.put(
                  entry.getKey(), new ValueExpression.Computed(value.required("expr").text()));
              continue;
            }
            columns.put(entry.getKey(), ValueExpression.parse(value.text(), value.isPlainNumber()));
          }
          steps.add(
              kind.equals("add")
                  ? new TransformStep.Add(columns, where)
                  : new TransformStep.Default(columns, where));
        }
      }
    }
    return steps;
  }

  private TargetSpec target(
      Optional<SpecNode> maybeNode,
      SpecNode root,
      String pipelineName,
      String fileName,
      Path baseDirectory) {
    if (maybeNode.isEmpty()) {
      refuseOwnTableName(defaultTable(pipelineName), root.required("name"));
      return new TargetSpec(
          TargetSpec.DEFAULT_TYPE,
          defaultTable(pipelineName),
          LoadMode.APPEND,
          Settings.none("target", fileName, baseDirectory),
          root.line(),
          false);
    }
    SpecNode node = maybeNode.get();
    String type = node.child("type").map(SpecNode::text).orElse(TargetSpec.DEFAULT_TYPE);
    String table = node.child("table").map(SpecNode::text).orElse(defaultTable(pipelineName));
    if (table.isBlank()) {
      throw node.required("table").error("cannot be empty");
    }
    refuseOwnTableName(table, node.child("table").orElse(root.required("name")));
    LoadMode mode =
        node.child("mode").map(n -> n.enumValue(LoadMode.class)).orElse(LoadMode.APPEND);
    return new TargetSpec(
        type,
        table,
        mode,
        settings(
            node,
            "target",
            Set.of("type", "table", "mode", "allow_empty"),
            fileName,
            baseDirectory),
        node.line(),
        node.child("allow_empty").map(SpecNode::bool).orElse(false));
  }

  private static String defaultTable(String pipelineName) {
    return pipelineName.replaceAll("[^A-Za-z0-9_]", "_");
  }

  private RejectLimit rejects(SpecNode node) {
    node.allowOnly(List.of("max"));
    Optional<SpecNode> maxNode = node.child("max");
    if (maxNode.isEmpty()) {
      return RejectLimit.NONE;
    }
    SpecNode max = maxNode.get();
    String text = max.text().trim();
    Matcher percent = PERCENT.matcher(text);
    if (percent.matches()) {
      double value = Double.parseDouble(percent.group(1));
      if (value > 100) {
        throw max.error("a percentage cannot be over 100%");
      }
      return RejectLimit.percentage(value);
    }
    try {
      long count = Long.parseLong(text);
      if (count < 0) {
        throw max.error("must be 0 or more");
      }
      return RejectLimit.count(count);
    } catch (NumberFormatException e) {
      throw max.error("expected a count (e.g. 10) or a percentage (e.g. 5%), found '" + text + "'");
    }
  }
}
