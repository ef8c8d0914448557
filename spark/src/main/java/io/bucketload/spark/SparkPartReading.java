package io.bucketload.spark;

import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.run.FileParts;
import io.bucketload.core.run.PartReader;
import io.bucketload.core.run.PartReading;
import io.bucketload.core.run.PartRows;
import io.bucketload.core.target.RowStage;
import io.bucketload.core.target.StageWriter;
import io.bucketload.core.target.Targets;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The parts of a large file read by Spark's executors: each part one Spark job of one task that
 * reads, converts and checks the part's records with bucketload's reader and hands its {@link
 * PartRows} back to the driver, whose engine takes them in file order and loads the file. When the
 * file's load opened a stage (PostgreSQL), the task writes the part's accepted rows there and hands
 * back only its counts and rejects; the load takes the rows of the attempts the driver accepted. A
 * part's task has no effect but its result and its attempt's rows in the stage, which no load takes
 * unless the driver took that attempt's result: Spark may run it again at will.
 */
final class SparkPartReading implements PartReading {
  private static final Logger LOG = LoggerFactory.getLogger(SparkPartReading.class);

  /**
   * How large files are read in parts.
   *
   * @param partBytes the size a part reaches before it ends at the next record's end
   * @param stageWriters how many parts of one file write to its stage at once (each on a connection
   *     of its own to the target)
   */
  record Settings(long partBytes, int stageWriters) {}

  private final JavaSparkContext spark;
  private final PipelineText pipeline;
  private final long partBytes;
  private final int stageWriters;
  private final FaultInjection faults;

  /**
   * @param faults whether the first attempt of each part's task dies once it read its part
   */
  SparkPartReading(
      JavaSparkContext spark, PipelineText pipeline, Settings settings, FaultInjection faults) {
    this.spark = spark;
    this.pipeline = pipeline;
    this.partBytes = settings.partBytes();
    this.stageWriters = settings.stageWriters();
    this.faults = faults;
  }

  /**
   * The most parts the driver's heap holds at once: a part's rows take several times its bytes
   * while it is held, and its serialized copy arrives first (12 times, with room for the rest).
   */
  static long partsInHeap(long partBytes) {
    return Runtime.getRuntime().maxMemory() / (12 * partBytes);
  }

  @Override
  public long partBytes() {
    return partBytes;
  }

  /** {@inheritDoc} True: each part is read on an executor, from its own ranges. */
  @Override
  public boolean readsRanges() {
    return true;
  }

  /**
   * As many parts as Spark runs tasks at the time (executors come and go), within what the driver's
   * heap holds ({@link #partsInHeap}, at least 2: the run refuses parts too large for that), less
   * the part being handed over.
   */
  @Override
  public int inFlight() {
    long byHeap = partsInHeap(partBytes) - 1;
    return (int) Math.max(2, Math.min(spark.defaultParallelism(), byHeap));
  }

  /** {@inheritDoc} True: the rows of a part then never travel through the driver. */
  @Override
  public boolean stagesRows() {
    return true;
  }

  @Override
  public Workers workers(FileParts file, PartReader local, Optional<RowStage> stage) {
    ReadPart reading = new ReadPart(pipeline, file, !faults.equals(FaultInjection.NONE));
    Function<RecordSplitter.Part, byte[]> read =
        stage
            .<Function<RecordSplitter.Part, byte[]>>map(into -> new StagePart(reading, into))
            .orElse(reading);
    // Parts whose rows are staged hand back counts and rejects, yet a part whose every record is
    // rejected comes back whole: the heap bounds them as before, and the target's connections too.
    int inFlight = stage.isPresent() ? Math.max(1, Math.min(stageWriters, inFlight())) : inFlight();
    LOG.info(
        "{}: read in parts of {} bytes on the executors, {} at once{}",
        file.objectKey(),
        partBytes,
        inFlight,
        stage.map(into -> ", rows written by the executors to stage " + into.name()).orElse(""));
    // Only the jobs still running: a part taken is the loading thread's alone, never held here.
    Set<JavaFutureAction<List<byte[]>>> running = ConcurrentHashMap.newKeySet();
    return new Workers() {
      @Override
      public int inFlight() {
        return inFlight;
      }

      @Override
      public Future<PartRows> read(RecordSplitter.Part part) {
        spark.setJobGroup(
            file.runId() + "-parts", file.objectKey() + " part " + part.index(), true);
        JavaFutureAction<List<byte[]>> job =
            spark.parallelize(List.of(part), 1).map(read).collectAsync();
        running.add(job);
        return new OnlyResult(job, running);
      }

      @Override
      public void close() {
        for (JavaFutureAction<List<byte[]>> job : running) {
          job.cancel(true);
        }
        running.clear();
      }
    };
  }

  /** A part's job's one result, read once; the job is let go of once it is. */
  private record OnlyResult(
      JavaFutureAction<List<byte[]>> job, Set<JavaFutureAction<List<byte[]>>> running)
      implements Future<PartRows> {
    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
      running.remove(job);
      return job.cancel(mayInterruptIfRunning);
    }

    @Override
    public boolean isCancelled() {
      return job.isCancelled();
    }

    @Override
    public boolean isDone() {
      return job.isDone();
    }

    @Override
    public PartRows get() throws InterruptedException, ExecutionException {
      List<byte[]> result;
      try {
        result = job.get();
      } catch (ExecutionException e) {
        running.remove(job);
        throw e;
      }
      running.remove(job);
      return JavaBytes.read(result.get(0), PartRows.class);
    }

    @Override
    public PartRows get(long timeout, TimeUnit unit)
        throws InterruptedException, ExecutionException, TimeoutException {
      PartRows rows = JavaBytes.read(job.get(timeout, unit).get(0), PartRows.class);
      running.remove(job);
      return rows;
    }
  }

  /**
   * A part's task: reads the pipeline again on the executor (once per file and executor) and the
   * part with it.
   */
  static final class ReadPart implements Function<RecordSplitter.Part, byte[]> {
    private static final long serialVersionUID = 1L;

    /** The reader of the file whose parts this executor read last. */
    private static volatile Cached last;

    /**
     * Each pipeline's source, opened once per executor and kept for its life: what reads the ranges
     * of an object (its S3 client).
     */
    private static final java.util.Map<PipelineText, io.bucketload.core.source.Source> SOURCES =
        new java.util.concurrent.ConcurrentHashMap<>();

    private record Cached(FileParts file, PartReader reader) {}

    private final PipelineText pipeline;
    private final FileParts file;
    private final boolean failFirstAttempt;

    ReadPart(PipelineText pipeline, FileParts file, boolean failFirstAttempt) {
      this.pipeline = pipeline;
      this.file = file;
      this.failFirstAttempt = failFirstAttempt;
    }

    @Override
    public byte[] call(RecordSplitter.Part part) throws Exception {
      PartRows rows = cachedReader().read(part);
      failFirstAttempt("reading part " + part.index());
      return JavaBytes.of(rows);
    }

    /** The reader of this task's file, made once per file and executor. */
    PartReader cachedReader() throws java.io.IOException {
      Cached cached = last;
      if (cached == null || !cached.file().equals(file)) {
        io.bucketload.core.spec.PipelineSpec spec = pipeline.read();
        cached =
            new Cached(
                file,
                file.reader(
                    spec,
                    () ->
                        SOURCES.computeIfAbsent(
                            pipeline,
                            text -> io.bucketload.core.source.Sources.open(spec.source()))));
        last = cached;
      }
      return cached.reader();
    }

    /** Ends the first attempt at the task when faults are injected, after {@code done}. */
    void failFirstAttempt(String done) {
      TaskContext task = TaskContext.get();
      if (failFirstAttempt && task != null && task.attemptNumber() == 0) {
        throw new LoadFiles.InjectedTaskFailure(
            file.objectKey() + ": task attempt 0 stopped after " + done);
      }
    }

    /** The pipeline this task reads, read again on the executor. */
    PipelineText pipeline() {
      return pipeline;
    }
  }

  /**
   * A part's task whose rows go to the load's stage: reads the part as {@link ReadPart} does,
   * writes its accepted rows to the stage under this attempt, and hands back the rest.
   */
  static final class StagePart implements Function<RecordSplitter.Part, byte[]> {
    private static final long serialVersionUID = 1L;

    /** Each pipeline's stage writer, made once per executor (it connects for each write). */
    private static final java.util.Map<PipelineText, StageWriter> WRITERS =
        new java.util.concurrent.ConcurrentHashMap<>();

    private final ReadPart reading;
    private final RowStage stage;

    /**
     * @param reading reads the part (and, when faults are injected, ends each part's first attempt
     *     once its rows are staged)
     */
    StagePart(ReadPart reading, RowStage stage) {
      this.reading = reading;
      this.stage = stage;
    }

    @Override
    public byte[] call(RecordSplitter.Part part) throws Exception {
      PartReader reader = reading.cachedReader();
      PartRows rows = reader.read(part);
      PipelineText pipeline = reading.pipeline();
      StageWriter writer =
          WRITERS.computeIfAbsent(
              pipeline,
              text -> {
                io.bucketload.core.spec.PipelineSpec spec = text.read();
                return Targets.factoryFor(spec)
                    .stageWriter(spec.target().settings())
                    .orElseThrow(
                        () ->
                            new IllegalStateException(
                                "target " + spec.target().type() + " has no stage"));
              });
      TaskContext task = TaskContext.get();
      rows.stage(writer, stage, task == null ? 0 : task.taskAttemptId(), reader);
      reading.failFirstAttempt("staging the rows of part " + part.index());
      return JavaBytes.of(rows);
    }
  }
}
