package io.bucketload.core.run;

import io.bucketload.core.notify.Notifier;
import io.bucketload.core.source.OutputStore;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.Sources;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.target.Target;
import io.bucketload.core.target.Targets;
import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A pipeline ready to run: its source, output store, target and notifiers, opened once and reused
 * by every run (a command, a service's deliveries, a warm Lambda container). Each run loads its
 * files and then tells the notifiers, once. Closing it closes everything it opened, in reverse. Not
 * thread-safe: one run at a time.
 */
public final class Pipeline implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Pipeline.class);

  private final PipelineSpec spec;
  private final Source source;
  private final OutputStore outputs;
  private final Target target;
  private final List<Notifier> notifiers;
  private final PipelineRunner runner;
  private final Clock clock;
  private final ToldFailures told;

  private Pipeline(
      PipelineSpec spec,
      Source source,
      OutputStore outputs,
      Target target,
      List<Notifier> notifiers,
      LoadListener listener,
      Clock clock) {
    this.spec = spec;
    this.source = source;
    this.outputs = outputs;
    this.target = target;
    this.notifiers = List.copyOf(notifiers);
    this.runner = new PipelineRunner(spec, source, outputs, target, listener, clock);
    this.clock = clock;
    this.told = new ToldFailures(source.describe());
  }

  /**
   * Opens a checked pipeline ({@link PipelineSetup#read}) against its target.
   *
   * @throws io.bucketload.core.error.ConfigException naming a bad setting
   * @throws io.bucketload.core.error.TargetException when the target cannot be reached
   */
  public static Pipeline open(PipelineSpec spec, LoadListener listener) {
    return assemble(
        spec,
        () -> PipelineSetup.openTarget(spec),
        () -> io.bucketload.core.notify.Notifiers.open(spec),
        listener,
        Clock.systemUTC());
  }

  /** Opens a pipeline whose runs validate and write rejects, but load and record nothing. */
  public static Pipeline dryRun(PipelineSpec spec, LoadListener listener) {
    return open(spec, listener, true, List.of(), Clock.systemUTC());
  }

  /**
   * Opens a pipeline with everything given.
   *
   * @param dryRun whether its target is a {@link DryRunTarget}
   * @param notifiers told of every run
   * @param clock the time source for reports, ledger entries and {@code now()}
   */
  public static Pipeline open(
      PipelineSpec spec,
      LoadListener listener,
      boolean dryRun,
      List<Notifier> notifiers,
      Clock clock) {
    return assemble(
        spec,
        () ->
            dryRun
                ? new DryRunTarget(Targets.factoryFor(spec)::rowLimit)
                : PipelineSetup.openTarget(spec),
        () -> notifiers,
        listener,
        clock);
  }

  /**
   * Opens a pipeline against a target the caller opened (a test's, or an embedding application's);
   * closing the pipeline closes it too.
   */
  public static Pipeline withTarget(
      PipelineSpec spec, Target target, LoadListener listener, Clock clock) {
    return assemble(spec, () -> target, List::of, listener, clock);
  }

  /**
   * Opens a pipeline against a target the caller opened, telling {@code notifiers} of each run;
   * closing the pipeline closes them and the target.
   */
  public static Pipeline withTarget(
      PipelineSpec spec,
      Target target,
      List<Notifier> notifiers,
      LoadListener listener,
      Clock clock) {
    return assemble(spec, () -> target, () -> notifiers, listener, clock);
  }

  /**
   * Opens the source, the output store, the target and then the notifiers; what was opened is
   * closed again when a later step fails.
   */
  private static Pipeline assemble(
      PipelineSpec spec,
      java.util.function.Supplier<Target> target,
      java.util.function.Supplier<List<Notifier>> notifiers,
      LoadListener listener,
      Clock clock) {
    List<AutoCloseable> opened = new ArrayList<>();
    try {
      Source source = Sources.open(spec.source());
      opened.add(source);
      OutputStore outputs = Sources.outputs(spec.source());
      opened.add(outputs);
      Target store = target.get();
      opened.add(store);
      return new Pipeline(spec, source, outputs, store, notifiers.get(), listener, clock);
    } catch (RuntimeException e) {
      closeAll(opened);
      throw e;
    }
  }

  /** The pipeline's definition. */
  public PipelineSpec spec() {
    return spec;
  }

  /** Where its files come from. */
  public Source source() {
    return source;
  }

  /** Where its rows go. */
  public Target target() {
    return target;
  }

  /**
   * Loads the named files, or every matching file when none is named, then tells the notifiers.
   *
   * @throws IOException when the source cannot be listed (nothing was loaded)
   */
  public RunReport run(List<String> names, RunOptions options) throws IOException {
    RunReport report;
    try {
      report = runner.run(names, options);
    } catch (IOException | RuntimeException e) {
      if (!options.dryRun()) {
        announceFailure(options, e);
      }
      if (e instanceof IOException listing) {
        // Said by the source (a bucket, a folder, an endpoint): the values from the environment
        // are masked before it reaches a terminal or a log, as everywhere else.
        throw new IOException(spec.mask(String.valueOf(listing.getMessage())), listing);
      }
      throw e;
    }
    if (options.dryRun()) {
      return report;
    }
    return announce(report);
  }

  /**
   * Loads the named files as one part of the run {@code runId} that others share (a cluster's
   * tasks), telling no one: the run's driver gathers the parts and {@linkplain #announce announces}
   * the whole run once.
   *
   * @param started when the whole run started
   * @param parts where the parts of files that can be cut are read
   * @throws IOException when a file cannot be resolved in the source
   */
  public RunReport load(
      List<String> names, RunOptions options, String runId, Instant started, PartReading parts)
      throws IOException {
    return runner.run(names, options, runId, started, parts);
  }

  /**
   * Whether {@code name} (a key, a path or a URI, as an event names it) is in a folder this
   * pipeline writes to (exports, rejects, failed copies): never a file to load. Answers from the
   * name alone.
   */
  public boolean writes(String name) {
    return runner.isOutputKey(name);
  }

  /**
   * The files a run without named files would consider (see {@link PipelineRunner#matching()}).
   *
   * @throws IOException when the source cannot be listed
   */
  public List<io.bucketload.core.source.SourceObject> matching() throws IOException {
    return runner.matching();
  }

  /**
   * Tells the notifiers of a finished run (once per run), records what became of each notification
   * in the ledger, and returns the report with them. A file that fails on the system again, after a
   * run of this pipeline told of its failure and before it loads, is marked as told ({@link
   * FileOutcome.FailedOnSystem#toldIn()}): not news, so an outage is told once, not at every retry.
   */
  public RunReport announce(RunReport finished) {
    // A run's own report fails as a whole only when the target cannot be reached.
    RunReport report = told.marked(finished, true);
    if (notifiers.stream().anyMatch(notifier -> notifier.wants(report))) {
      // A webhook may take minutes to answer or to give up: meanwhile other processes may use
      // what the target holds (a DuckDB file), which the notifications' record opens again.
      target.idle();
    }
    List<io.bucketload.core.notify.Delivered> sent = tell(spec, notifiers, report);
    told.remember(report, reached(sent));
    if (sent.isEmpty()) {
      return report;
    }
    try {
      target.ledger().recordNotifications(spec.name(), report.runId(), sent);
    } catch (RuntimeException e) {
      LOG.warn(
          "[{}] what became of the notifications of run {} could not be recorded: {}",
          spec.name(),
          report.runId(),
          spec.mask(Failures.describe(e)));
    }
    return report.withNotifications(sent);
  }

  /**
   * A trigger that could not be polled answers again (a watched folder is back, a queue answers):
   * the failure of the whole run told of is over, and the next one is news.
   */
  public void answered() {
    told.answered();
  }

  /**
   * Tells the channels that want failures of a run that failed as a whole (the source could not be
   * listed): a report naming the source with the reason. Told once until a run completes without
   * such a failure, or the trigger {@linkplain #answered() answers} again, as {@link #announce}
   * tells a file's system failure.
   *
   * @return the run's report, with the notifications sent of it, for the service's history
   */
  public RunReport announceFailure(RunOptions options, Exception failure) {
    RunReport failed = failedRun(spec, source.describe(), clock.instant(), options, failure);
    RunReport marked =
        told.marked(failed, failure instanceof io.bucketload.core.error.TargetException);
    List<io.bucketload.core.notify.Delivered> sent = tell(spec, notifiers, marked);
    told.remember(marked, reached(sent));
    return sent.isEmpty() ? marked : marked.withNotifications(sent);
  }

  /**
   * Tells the channels of a pipeline that could not be opened, because its target or source cannot
   * be reached, that its run failed as a whole: {@code run} exits with no pipeline to announce it,
   * and {@code serve} tells it as the first attempt to open the pipeline fails (it retries with
   * backoff). A configuration error, or a target busy with another run, is not told. Channels that
   * cannot be opened or fail are logged.
   *
   * @param options what started the run
   * @param failure why the pipeline could not be opened
   * @return whether the news reached someone (a channel took it, or none wanted it, or it is not
   *     told): when false, {@code serve} tells its next attempt
   */
  public static boolean announceUnopened(
      PipelineSpec spec, RunOptions options, RuntimeException failure) {
    if (failure instanceof io.bucketload.core.error.ConfigException
        || (failure instanceof io.bucketload.core.error.TargetException busy && busy.isBusy())
        || options.dryRun()) {
      return true;
    }
    List<Notifier> channels;
    try {
      channels = io.bucketload.core.notify.Notifiers.open(spec);
    } catch (RuntimeException e) {
      LOG.warn(
          "[{}] the failure could not be notified: {}",
          spec.name(),
          spec.mask(Failures.describe(e)));
      return false;
    }
    RunReport failed =
        failedRun(spec, spec.source().describe(), Clock.systemUTC().instant(), options, failure);
    try {
      return reached(tell(spec, channels, failed));
    } finally {
      channels.forEach(Notifier::close);
    }
  }

  /** The report of a run that failed as a whole: one entry naming the source, with the reason. */
  private static RunReport failedRun(
      PipelineSpec spec,
      String source,
      java.time.Instant now,
      RunOptions options,
      Exception failure) {
    return new RunReport(
        spec.name(),
        PipelineRunner.runId(now),
        now,
        List.of(FileReport.runFailed(source, spec.mask(Failures.describe(failure)))),
        0,
        List.of(),
        options.trigger());
  }

  /**
   * Whether the run's news reached someone: a channel took it, or no channel wanted it. When every
   * channel that wanted it failed, a repeat of its system failures is told again.
   */
  private static boolean reached(List<io.bucketload.core.notify.Delivered> sent) {
    return sent.isEmpty() || sent.stream().anyMatch(io.bucketload.core.notify.Delivered::delivered);
  }

  /**
   * Tells every channel that wants to hear of the run; a channel that fails is logged and told
   * apart, never the run's outcome (its rows are committed, or rolled back, already).
   */
  private static List<io.bucketload.core.notify.Delivered> tell(
      PipelineSpec spec, List<Notifier> notifiers, RunReport report) {
    List<io.bucketload.core.notify.Delivered> sent = new ArrayList<>();
    for (Notifier notifier : notifiers) {
      if (!notifier.wants(report)) {
        continue;
      }
      try {
        notifier.runFinished(report);
        sent.add(
            new io.bucketload.core.notify.Delivered(notifier.describe(), true, Optional.empty()));
        LOG.info("[{}] run {} notified to {}", spec.name(), report.runId(), notifier.describe());
      } catch (RuntimeException e) {
        String reason = spec.mask(Failures.describe(e));
        sent.add(
            new io.bucketload.core.notify.Delivered(
                notifier.describe(), false, Optional.of(reason)));
        LOG.warn("[{}] notification to {} failed: {}", spec.name(), notifier.describe(), reason);
      }
    }
    return sent;
  }

  /**
   * The service is stopping: notifications waiting to try again give up now, so that the run in
   * hand is reported, and what became of its notifications recorded, before the process ends.
   */
  public void stopNotifying() {
    notifiers.forEach(Notifier::stopRetrying);
  }

  @Override
  public void close() {
    List<AutoCloseable> all = new ArrayList<>();
    all.add(source);
    all.add(outputs);
    all.add(target);
    all.addAll(notifiers);
    closeAll(all);
  }

  private static void closeAll(List<AutoCloseable> resources) {
    for (int i = resources.size() - 1; i >= 0; i--) {
      try {
        resources.get(i).close();
      } catch (Exception e) {
        LOG.warn("closing {}: {}", resources.get(i), Failures.describe(e));
      }
    }
  }
}
