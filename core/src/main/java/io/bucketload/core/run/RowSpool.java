package io.bucketload.core.run;

import io.bucketload.core.scratch.ScratchFolder;
import io.bucketload.core.target.RowChunk;
import io.bucketload.core.target.RowValues;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/**
 * A file's converted rows kept on local disk while the file is validated, so that a target without
 * transactions writes them from here instead of reading the source a second time. Bounded: past
 * {@code limitBytes} it stops keeping rows and says it is {@link #complete() incomplete}, and the
 * file is read again. Rows are written as {@link RowValues} writes them. One writer, then any
 * number of readings; not thread-safe.
 */
final class RowSpool implements AutoCloseable {
  private final Path file;
  private final long limitBytes;
  private DataOutputStream out;
  private long rows;
  private boolean complete = true;

  /** A new, empty spool in the process's {@link ScratchFolder}. */
  RowSpool(long limitBytes) throws IOException {
    this.file = ScratchFolder.ofProcess().newFile("bucketload-spool-", ".rows");
    this.limitBytes = limitBytes;
    this.out = new DataOutputStream(new BufferedOutputStream(Files.newOutputStream(file), 1 << 16));
  }

  /** Keeps a chunk's rows, unless the spool is already over its limit. */
  void add(RowChunk chunk) {
    if (!complete) {
      return;
    }
    try {
      for (int r = 0; r < chunk.size(); r++) {
        RowValues.write(out, chunk.line(r), chunk.row(r));
      }
      rows += chunk.size();
      // size() counts every byte written; it turns negative past 2 GiB.
      if (out.size() < 0 || out.size() > limitBytes) {
        drop();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool " + file, e);
    }
  }

  /** Ends the writes; the spool can be read from now on. */
  void finish() {
    try {
      if (out != null) {
        out.close();
        out = null;
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the spool " + file, e);
    }
  }

  /** Whether every row is kept (the file need not be read again). */
  boolean complete() {
    return complete;
  }

  /** Reads the rows back in chunks of up to {@code chunkRows}. */
  void read(int chunkRows, Consumer<RowChunk> consumer) {
    try (DataInputStream in =
        new DataInputStream(new BufferedInputStream(Files.newInputStream(file), 1 << 16))) {
      RowChunk chunk = new RowChunk(chunkRows);
      for (long read = 0; read < rows; read++) {
        if (RowValues.readInto(in, chunk)) {
          consumer.accept(chunk);
          chunk = new RowChunk(chunkRows);
        }
      }
      if (chunk.size() > 0) {
        consumer.accept(chunk);
      }
    } catch (EOFException e) {
      throw new IllegalStateException("the spool " + file + " ended early", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the spool " + file, e);
    }
  }

  /** Stops keeping rows: the file will be read again. */
  private void drop() throws IOException {
    complete = false;
    out.close();
    out = null;
    Files.deleteIfExists(file);
  }

  /** Removes the spool's file. Never throws. */
  @Override
  public void close() {
    try {
      if (out != null) {
        out.close();
        out = null;
      }
      Files.deleteIfExists(file);
    } catch (IOException e) {
      // A file left in the scratch folder holds nothing a later run reads; the folder goes when
      // the process ends.
    }
  }
}
