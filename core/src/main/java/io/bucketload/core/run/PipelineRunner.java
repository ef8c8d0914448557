package io.bucketload.core.run;

import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.InputSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a pipeline over files: each file version loads exactly once, all or nothing. Not
 * thread-safe: one run at a time per runner.
 */
public final class PipelineRunner {
  private static final Logger LOG = LoggerFactory.getLogger(PipelineRunner.class);
  private static final DateTimeFormatter RUN_TIME =
      DateTimeFormatter.ofPattern("uuuuMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC);

  private final PipelineSpec spec;
  private final Source source;
  private final OutputStore outputs;
  private final Target target;
  private final LoadListener listener;
  private final Clock clock;
  private final FileReadiness readiness;

  /**
   * Creates a runner.
   *
   * @param spec the pipeline
   * @param source where files come from
   * @param outputs where rejects, failed copies and exports go
   * @param target where rows go (and the ledger)
   * @param listener observes progress
   * @param clock the time source for reports, ledger entries and {@code now()}
   */
  public PipelineRunner(
      PipelineSpec spec,
      Source source,
      OutputStore outputs,
      Target target,
      LoadListener listener,
      Clock clock) {
    this.spec = spec;
    this.source = source;
    this.outputs = outputs;
    this.target = target;
    this.listener = listener;
    this.clock = clock;
    this.readiness = new FileReadiness(source, spec.source(), clock);
  }

  /**
   * A new run id: the start time and six random hex digits, e.g. {@code 20261202T004907Z-5f2c1a}.
   */
  public static String runId(Instant started) {
    return RUN_TIME.format(started)
        + "-"
        + Integer.toHexString(ThreadLocalRandom.current().nextInt(0x1000000) | 0x1000000)
            .substring(1);
  }

  /**
   * Loads the named files, or every matching file of the source when none is named. Files already
   * loaded are skipped. A file's failure does not stop the others. A file-set pipeline loads each
   * complete set in one transaction; the files of an incomplete set are reported as waiting.
   *
   * @param names files named by the user (paths or keys); empty for every matching file
   * @param options a dry run, or files that failed on their data tried again
   * @throws IOException when the source cannot be listed
   */
  public RunReport run(List<String> names, RunOptions options) throws IOException {
    Instant started = clock.instant();
    return run(
        names,
        options,
        runId(started),
        started,
        PartReading.threads(spec.source().readThreads(!options.dryRun())));
  }

  /**
   * Loads the named files as part of the run {@code runId}, which others may share (the tasks of
   * one run on a cluster): its ledger entries carry that id. Otherwise as {@link #run(List,
   * RunOptions)}.
   *
   * @param started when the run started (the report's start and the ledger entries')
   * @param parts where the parts of files that can be cut are read
   * @throws IOException when the source cannot be listed
   */
  public RunReport run(
      List<String> names, RunOptions options, String runId, Instant started, PartReading parts)
      throws IOException {
    long startNanos = System.nanoTime();
    target.runStarts();
    List<SourceObject> objects = new ArrayList<>();
    Map<String, String> refusals = new LinkedHashMap<>();
    List<String> gone = new ArrayList<>();
    if (names.isEmpty()) {
      objects.addAll(matching());
      LOG.info(
          "[{}] {} file(s) under {}", spec.name(), objects.size(), spec.mask(source.describe()));
    } else {
      Set<String> resolved = new HashSet<>();
      for (String name : names) {
        try {
          SourceObject object = source.resolve(name);
          // a.csv, landing/a.csv and its absolute path are one file: loaded once.
          if (!resolved.add(object.key())) {
            continue;
          }
          if (isOutput(object)) {
            refusals.put(
                name,
                name
                    + ": a file bucketload wrote (an export, rejects or failed-files folder of"
                    + " this pipeline); such files are never loaded");
            continue;
          }
          objects.add(object);
        } catch (NoSuchFileException e) {
          // The source may say why: not in the bucket, not under the prefix, no such object.
          String why = name + ": " + (e.getReason() == null ? "no such file" : e.getReason());
          if (options.trigger().equals(RunOptions.BY_HAND)) {
            refusals.put(name, spec.mask(why));
          } else {
            // An event's file removed since (moved away, or an event delivered late): nothing to
            // load, and no one's mistake.
            gone.add(spec.mask(why + " (removed since its event; nothing to load)"));
          }
        }
      }
    }
    Set<String> namedKeys =
        names.isEmpty()
            ? Set.of()
            : objects.stream().map(SourceObject::key).collect(Collectors.toUnmodifiableSet());
    RunContext run =
        new RunContext(
            spec, source, outputs, target, listener, clock, runId, options, parts, namedKeys);
    List<FileReport> reports = new ArrayList<>();
    refusals.forEach((name, message) -> reports.add(refused(name, run, message)));
    Optional<String> down = objects.isEmpty() ? Optional.empty() : unreachable();
    if (down.isPresent()) {
      // Not one file's failure: which file came first says nothing, and a file loaded before
      // cannot even be told apart while the ledger cannot be read. Every file waits for a run
      // that reaches the target.
      LOG.info("[{}] failed: {}", spec.name(), down.get());
      reports.add(
          FileReport.runFailed(
              source.describe(),
              spec.mask(
                  down.get().replaceFirst("\\.$", "")
                      + "; none of its "
                      + objects.size()
                      + " file(s) was tried")));
    } else if (spec.fileSet()) {
      reports.addAll(loadSets(objects, !names.isEmpty(), run));
    } else {
      InputSpec input = spec.inputs().get(0);
      List<FileReport> files = new ArrayList<>();
      objects = ready(objects, files);
      Set<String> labels = new HashSet<>();
      for (SourceObject object : objects) {
        Optional<String> label =
            objects.size() > 1
                ? Optional.of(unique(labelOf(stem(object.name())), labels))
                : Optional.empty();
        files.addAll(new UnitLoad(run, label, List.of(FileTask.of(input, object, run))).load());
      }
      // In the order the files load (by key), the waiting ones among them.
      files.sort(java.util.Comparator.comparing(FileReport::file));
      reports.addAll(files);
    }
    List<String> notes =
        names.isEmpty() && reports.isEmpty() ? List.of(spec.mask(nothingMatched())) : gone;
    notes.forEach(note -> LOG.info("[{}] {}", spec.name(), note));
    return new RunReport(
        spec.name(),
        runId,
        started,
        reports,
        (System.nanoTime() - startNanos) / 1_000_000,
        notes,
        options.trigger());
  }

  /** Why the target cannot be reached as the run starts; empty when it answers or is busy. */
  private Optional<String> unreachable() {
    try {
      target.reach();
      return Optional.empty();
    } catch (io.bucketload.core.error.TargetException e) {
      if (e.isBusy() || e.fault() != io.bucketload.core.error.Fault.SYSTEM) {
        return Optional.empty();
      }
      return Optional.of(Failures.describe(e));
    }
  }

  /**
   * The files a run without named files would consider: those listed under the source that match an
   * input's pattern, except the run's own outputs (rejects, failed copies, exports) and readiness
   * markers. Whether they are complete, or loaded already, is left to the run.
   *
   * @throws IOException when the source cannot be listed
   */
  public List<SourceObject> matching() throws IOException {
    List<SourceObject> objects = new ArrayList<>(source.list());
    objects.removeIf(object -> isOutput(object) || readiness.isMarker(object));
    if (!source.oneFile()) {
      objects.removeIf(
          object -> spec.inputs().stream().noneMatch(input -> input.match().matches(object.key())));
    }
    return objects;
  }

  /**
   * Says that the pattern matched nothing, and what is there instead: a few of the files, and those
   * the pattern would match but for case (patterns are case-sensitive).
   */
  private String nothingMatched() {
    List<String> patterns =
        spec.inputs().stream().map(input -> input.match().glob()).distinct().toList();
    List<String> there;
    try {
      there = source.sampleKeys(50).stream().filter(key -> !isOutputKey(key)).toList();
    } catch (IOException | RuntimeException e) {
      there = List.of();
    }
    StringBuilder note =
        new StringBuilder("no file matches ")
            .append(
                patterns.stream().map(glob -> "'" + glob + "'").collect(Collectors.joining(", ")));
    if (there.isEmpty()) {
      return note.append("; there is no file under ").append(source.describe()).toString();
    }
    note.append("; files there: ")
        .append(String.join(", ", there.subList(0, Math.min(5, there.size()))))
        .append(there.size() > 5 ? ", ..." : "");
    List<String> nearMisses = new ArrayList<>();
    for (String glob : patterns) {
      java.nio.file.PathMatcher folded =
          java.nio.file.FileSystems.getDefault()
              .getPathMatcher("glob:" + glob.toLowerCase(java.util.Locale.ROOT));
      for (String key : there) {
        if (folded.matches(java.nio.file.Path.of(key.toLowerCase(java.util.Locale.ROOT)))
            && !nearMisses.contains(key)) {
          nearMisses.add(key);
        }
      }
    }
    if (!nearMisses.isEmpty()) {
      note.append(". ")
          .append(String.join(", ", nearMisses.subList(0, Math.min(5, nearMisses.size()))))
          .append(nearMisses.size() == 1 ? " matches" : " match")
          .append(" but for upper and lower case: match patterns are case-sensitive");
    }
    return note.toString();
  }

  /**
   * Groups files into sets by what their input's wildcards matched and loads each complete set in
   * one transaction; the files of an incomplete set wait.
   *
   * @param candidates the files named by the user, or every file of the source
   * @param named whether the user named files: then only the sets they belong to are considered,
   *     with their other files found in the source
   */
  private List<FileReport> loadSets(List<SourceObject> candidates, boolean named, RunContext run)
      throws IOException {
    List<FileReport> reports = new ArrayList<>();
    List<SourceObject> listed =
        named
            ? source.list().stream()
                .filter(object -> !isOutput(object) && !readiness.isMarker(object))
                .toList()
            : candidates;
    List<SourceObject> all = ready(listed, reports);
    Map<String, Map<InputSpec, List<SourceObject>>> sets = new TreeMap<>();
    Set<String> namedSets = new HashSet<>();
    Set<String> namedKeys = new HashSet<>();
    candidates.forEach(object -> namedKeys.add(object.key()));
    Set<String> grouped = new HashSet<>();
    for (SourceObject object : all) {
      List<InputSpec> matching =
          spec.inputs().stream().filter(input -> input.match().matches(object.key())).toList();
      if (matching.size() > 1) {
        if (!named || namedKeys.contains(object.key())) {
          reports.add(
              refused(
                  object.key(),
                  run,
                  object.key()
                      + ": matches the match of inputs "
                      + matching.stream().map(InputSpec::name).collect(Collectors.joining(", "))
                      + "; make their patterns exclusive"));
        }
        grouped.add(object.key());
        continue;
      }
      if (matching.isEmpty()) {
        continue;
      }
      InputSpec input = matching.get(0);
      String setId = input.match().wildcardText(object.key()).orElseThrow();
      sets.computeIfAbsent(setId, id -> new LinkedHashMap<>())
          .computeIfAbsent(input, in -> new ArrayList<>())
          .add(object);
      grouped.add(object.key());
      if (namedKeys.contains(object.key())) {
        namedSets.add(setId);
      }
    }
    for (SourceObject object : named ? candidates : List.<SourceObject>of()) {
      if (!grouped.contains(object.key())) {
        reports.add(
            refused(
                object.key(),
                run,
                object.key()
                    + ": matches no input's match ("
                    + spec.inputs().stream()
                        .map(input -> input.match().glob())
                        .collect(Collectors.joining(", "))
                    + ")"));
      }
    }
    Set<String> labels = new HashSet<>();
    for (Map.Entry<String, Map<InputSpec, List<SourceObject>>> set : sets.entrySet()) {
      if (named && !namedSets.contains(set.getKey())) {
        continue;
      }
      reports.addAll(loadSet(set.getKey(), set.getValue(), run, labels));
    }
    return reports;
  }

  private List<FileReport> loadSet(
      String setId, Map<InputSpec, List<SourceObject>> files, RunContext run, Set<String> labels) {
    String setName = setId.isEmpty() ? "" : " '" + setId + "'";
    List<InputSpec> missing = new ArrayList<>();
    List<FileTask> members = new ArrayList<>();
    for (InputSpec input : spec.inputs()) {
      List<SourceObject> objects = files.getOrDefault(input, List.of());
      if (objects.isEmpty()) {
        missing.add(input);
      } else if (objects.size() > 1) {
        String message =
            "the file set"
                + setName
                + " has "
                + objects.size()
                + " files for input "
                + input.name()
                + " ("
                + objects.stream().map(SourceObject::key).collect(Collectors.joining(", "))
                + "); a set takes one file per input";
        return files.values().stream()
            .flatMap(List::stream)
            .map(object -> refused(object.key(), run, message))
            .toList();
      } else {
        members.add(FileTask.of(input, objects.get(0), run));
      }
    }
    if (!missing.isEmpty()) {
      String note =
          "waiting for "
              + missing.stream()
                  .map(input -> input.match().glob())
                  .collect(Collectors.joining(", "))
              + " to complete the file set"
              + setName
              + "; the set loads when every input has its file";
      LOG.info("[{}] {}", spec.name(), note);
      return members.stream().map(member -> waitingOrSkipped(member, note, run)).toList();
    }
    Optional<String> label =
        setId.isEmpty() ? Optional.empty() : Optional.of(unique(labelOf(setId), labels));
    return new UnitLoad(run, label, members).load();
  }

  /**
   * The files that are complete ({@link FileReadiness}); the others are reported as waiting.
   *
   * @throws InterruptedIOException when the run is interrupted while files settle
   */
  private List<SourceObject> ready(List<SourceObject> objects, List<FileReport> reports)
      throws IOException {
    FileReadiness.Check check;
    try {
      check = readiness.check(objects);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new InterruptedIOException("interrupted while files settled");
    }
    for (Map.Entry<String, String> waiting : check.waiting().entrySet()) {
      LOG.info("[{}] {}: {}", spec.name(), waiting.getKey(), waiting.getValue());
      reports.add(
          new FileReport(
              waiting.getKey(),
              Optional.empty(),
              new FileOutcome.Waiting(waiting.getValue()),
              FileStats.none(0),
              List.of()));
    }
    return new ArrayList<>(check.ready());
  }

  /** Whether the object is in a folder this pipeline writes exports to: never an input. */
  private boolean isOutput(SourceObject object) {
    return isOutputKey(object.key());
  }

  /**
   * Whether a key, or a name such as {@code s3://bucket/in/rejected/a.rejects.csv}, is in a folder
   * this pipeline writes (exports, rejects, failed copies).
   */
  boolean isOutputKey(String key) {
    int slash = key.lastIndexOf('/');
    String folder = slash < 0 ? "" : key.substring(0, slash);
    List<String> outputs = new ArrayList<>();
    spec.exports().forEach(export -> outputs.add(export.folder()));
    outputs.add(spec.source().rejectedFolder());
    spec.source().failedFolder().ifPresent(outputs::add);
    return outputs.stream()
        .anyMatch(output -> folder.equals(output) || folder.endsWith("/" + output));
  }

  /** A file of an incomplete set: skipped when this version already loaded, else waiting. */
  private FileReport waitingOrSkipped(FileTask member, String note, RunContext run) {
    Optional<String> version = Optional.empty();
    FileOutcome outcome = new FileOutcome.Waiting(note);
    try {
      var identified = source.identify(member.object());
      version = Optional.of(identified.checksum());
      Optional<LedgerEntry> current =
          run.dryRun()
              ? Optional.empty()
              : target.ledger().lookup(spec.name(), identified).currentLoad();
      if (current.isPresent()) {
        outcome = new FileOutcome.Skipped(current.get());
      }
    } catch (IOException | RuntimeException e) {
      LOG.warn("[{}] {}: {}", spec.name(), member.object().key(), Failures.describe(e));
    }
    return new FileReport(
        member.object().key(), version, outcome, FileStats.none(member.elapsedMs()), List.of());
  }

  private static FileReport refused(String file, RunContext run, String message) {
    return new FileReport(
        file,
        Optional.empty(),
        new FileOutcome.Refused(run.spec().mask(message)),
        FileStats.none(0),
        List.of());
  }

  /**
   * The name without {@code .gz} and its last extension: {@code sales.2024-01.csv.gz} → {@code
   * sales.2024-01}.
   */
  static String stem(String name) {
    String plain = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    int dot = plain.lastIndexOf('.');
    return dot <= 0 ? plain : plain.substring(0, dot);
  }

  /**
   * The label, or the label with {@code -2}, {@code -3}, ... when another unit of the run has it
   * ({@code day.1.csv} and {@code day.1.csv.gz}, sets {@code x y} and {@code x+y}): each unit's
   * exports are files of their own, and a unit that fails removes only its own.
   */
  private static String unique(String label, Set<String> used) {
    String candidate = label;
    for (int n = 2; !used.add(candidate.toLowerCase(java.util.Locale.ROOT)); n++) {
      candidate = label + "-" + n;
    }
    return candidate;
  }

  /** Text usable in a file name: letters, digits, '.', '_', '-'; others become '_'. */
  private static String labelOf(String text) {
    String label = text.replaceAll("[^A-Za-z0-9._-]+", "_").replaceAll("^[_.-]+|[_.-]+$", "");
    return label.isEmpty() ? "set" : label;
  }
}
