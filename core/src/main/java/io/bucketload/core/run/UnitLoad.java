package io.bucketload.core.run;

import io.bucketload.core.csv.MalformedCsvException;
import io.bucketload.core.error.BucketloadException;
import io.bucketload.core.error.Fault;
import io.bucketload.core.source.Source;
import io.bucketload.core.spec.ExportSpec;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.SqlStep;
import io.bucketload.core.target.FileClaimedException;
import io.bucketload.core.target.FileStatus;
import io.bucketload.core.target.LedgerEntry;
import io.bucketload.core.target.LoadCounts;
import io.bucketload.core.target.LoadTransaction;
import io.bucketload.core.target.Target;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One unit of work: a file, or the files of one file set, loaded in one transaction together with
 * the pipeline's after-load SQL and exports; all or nothing. Files already loaded are skipped; when
 * every file of the unit is, nothing runs.
 */
final class UnitLoad {
  private static final Logger LOG = LoggerFactory.getLogger(UnitLoad.class);

  private final PipelineSpec spec;
  private final Source source;
  private final Target target;
  private final LoadListener listener;
  private final String runId;
  private final Optional<String> label;
  private final boolean dryRun;
  private final List<FileLoad> members;

  /**
   * @param label what tells this unit's exports apart from those of other units of the run (a
   *     file's stem, a set's name), if anything needs to
   */
  UnitLoad(
      PipelineSpec spec,
      Source source,
      Target target,
      LoadListener listener,
      String runId,
      Optional<String> label,
      boolean dryRun,
      List<FileLoad> members) {
    this.spec = spec;
    this.source = source;
    this.target = target;
    this.listener = listener;
    this.runId = runId;
    this.label = label;
    this.dryRun = dryRun;
    this.members = List.copyOf(members);
  }

  /** Loads the unit; returns one report per file, in the members' order. */
  List<FileReport> load() {
    Map<FileLoad, FileReport> reports = new LinkedHashMap<>();
    members.forEach(member -> listener.fileStarted(member.object()));
    List<FileLoad> pending = new ArrayList<>();
    FileLoad current = null;
    List<Written> written = new ArrayList<>();
    try {
      for (FileLoad member : members) {
        current = member;
        Optional<LedgerEntry> earlier = member.identify(target.ledger());
        if (earlier.isPresent()) {
          reports.put(member, member.skipped(earlier.get()));
        } else {
          pending.add(member);
        }
      }
      current = null;
      if (!pending.isEmpty()) {
        Map<FileLoad, LoadCounts> counts = new LinkedHashMap<>();
        if (!dryRun && target.writesBeforeCommit()) {
          for (FileLoad member : pending) {
            current = member;
            member.validateFirst();
          }
        }
        try (LoadTransaction transaction = target.begin()) {
          for (FileLoad member : pending) {
            current = member;
            counts.put(member, member.loadInto(transaction));
          }
          current = null;
          if (!dryRun) {
            afterLoad(transaction);
            exports(transaction, written);
          }
          transaction.commit(
              pending.stream()
                  .map(
                      member ->
                          member.entry(FileStatus.LOADED, counts.get(member), Optional.empty()))
                  .toList());
        }
        FileLoad last = pending.get(pending.size() - 1);
        written.forEach(output -> last.exported(output.location()));
        for (FileLoad member : pending) {
          member.committed();
          reports.put(member, member.loaded(counts.get(member)));
        }
      }
    } catch (FileClaimedException e) {
      String note = spec.mask(e.getMessage());
      LOG.info("[{}] waiting: {}", spec.name(), note);
      for (FileLoad member : members) {
        reports.putIfAbsent(member, member.waiting(note));
      }
    } catch (BucketloadException e) {
      fail(reports, current, e.fault(), e.getMessage(), written);
    } catch (MalformedCsvException e) {
      fail(reports, current, Fault.DATA, e.getMessage(), written);
    } catch (IOException e) {
      String what = current == null ? "the source" : current.object().key();
      fail(reports, current, Fault.SYSTEM, what + ": cannot read: " + describe(e), written);
    } catch (RuntimeException e) {
      LOG.error("[{}] unexpected failure", spec.name(), e);
      String what = current == null ? "" : current.object().key() + ": ";
      fail(reports, current, Fault.SYSTEM, what + describe(e), written);
    }
    List<FileReport> ordered = new ArrayList<>();
    for (FileLoad member : members) {
      FileReport report = reports.get(member);
      listener.fileFinished(report);
      ordered.add(report);
    }
    return ordered;
  }

  private void afterLoad(LoadTransaction transaction) {
    for (SqlStep step : spec.afterLoad()) {
      LOG.info("[{}] after_load: {}", spec.name(), step.origin());
      transaction.execute(step);
    }
  }

  private void exports(LoadTransaction transaction, List<Written> written) throws IOException {
    for (ExportSpec export : spec.exports()) {
      String fileName =
          export.name() + "-" + runId + label.map(text -> "-" + text).orElse("") + ".csv";
      Source.Output output = source.create(members.get(0).object(), export.folder(), fileName);
      written.add(new Written(export.folder(), fileName, output.location()));
      long rows;
      try (OutputStream stream = output.stream()) {
        rows = transaction.export(export.query(), stream);
      }
      LOG.info("[{}] exported {} row(s) to {}", spec.name(), rows, output.location());
    }
  }

  /**
   * Reports every file not yet reported as failed: the one that caused the failure with its error,
   * the others as not loaded because of it. Records the failures in the ledger and removes the
   * exports written for the aborted transaction.
   */
  private void fail(
      Map<FileLoad, FileReport> reports,
      FileLoad culprit,
      Fault fault,
      String message,
      List<Written> written) {
    String error = spec.mask(message);
    LOG.info("[{}] failed: {}", spec.name(), error);
    for (Written output : written) {
      try {
        source.delete(members.get(0).object(), output.folder(), output.fileName());
      } catch (IOException | RuntimeException e) {
        LOG.warn("[{}] could not remove {}: {}", spec.name(), output.location(), describe(e));
      }
    }
    for (FileLoad member : members) {
      if (reports.containsKey(member)) {
        continue;
      }
      String own =
          member == culprit || culprit == null
              ? error
              : "not loaded: " + culprit.object().key() + " failed in the same file set";
      if (!dryRun && member == culprit && fault == Fault.DATA) {
        keepFailedCopy(member);
      }
      if (!dryRun && member.version().isPresent() && fault != Fault.CONFIG) {
        try {
          target
              .ledger()
              .recordFailure(member.entry(FileStatus.FAILED, LoadCounts.none(), Optional.of(own)));
        } catch (RuntimeException e) {
          member.warn("the failure could not be recorded in the ledger: " + spec.mask(describe(e)));
        }
      }
      reports.put(member, member.failed(fault, own));
    }
  }

  /** Copies a file that failed on its data to {@code source.failed}, when set. */
  private void keepFailedCopy(FileLoad member) {
    Optional<String> folder = spec.source().failedFolder();
    if (folder.isEmpty()) {
      return;
    }
    try {
      member.warn("a copy of the file is at " + source.copy(member.object(), folder.get()));
    } catch (IOException | RuntimeException e) {
      member.warn("the file could not be copied to " + folder.get() + "/: " + describe(e));
    }
  }

  /** An export file written in the current transaction. */
  private record Written(String folder, String fileName, String location) {}

  static String describe(Throwable e) {
    String message = e.getMessage();
    return message == null || message.isBlank() ? e.getClass().getSimpleName() : message;
  }
}
