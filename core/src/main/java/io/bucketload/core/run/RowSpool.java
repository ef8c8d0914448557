package io.bucketload.core.run;

import io.bucketload.core.target.RowChunk;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.function.Consumer;

/**
 * A file's converted rows kept on local disk while the file is validated, so that a target without
 * transactions writes them from here instead of reading the source a second time. Bounded: past
 * {@code limitBytes} it stops keeping rows and says it is {@link #complete() incomplete}, and the
 * file is read again. Values are written with a type tag each (the types {@link RowChunk} lists).
 * One writer, then any number of readings; not thread-safe.
 */
final class RowSpool implements AutoCloseable {
  private static final byte NULL = 0;
  private static final byte STRING = 1;
  private static final byte INT = 2;
  private static final byte LONG = 3;
  private static final byte DECIMAL = 4;
  private static final byte DOUBLE = 5;
  private static final byte BOOLEAN = 6;
  private static final byte DATE = 7;
  private static final byte TIMESTAMP = 8;

  private final Path file;
  private final long limitBytes;
  private DataOutputStream out;
  private long rows;
  private boolean complete = true;

  /** A new, empty spool in the system's temporary folder. */
  RowSpool(long limitBytes) throws IOException {
    this.file = Files.createTempFile("bucketload-spool-", ".rows");
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
        Object[] row = chunk.row(r);
        out.writeLong(chunk.line(r));
        out.writeInt(row.length);
        for (Object value : row) {
          write(value);
        }
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
        long line = in.readLong();
        Object[] row = new Object[in.readInt()];
        for (int i = 0; i < row.length; i++) {
          row[i] = value(in);
        }
        if (chunk.add(row, line)) {
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

  private void write(Object value) throws IOException {
    if (value == null) {
      out.writeByte(NULL);
    } else if (value instanceof String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeByte(STRING);
      out.writeInt(bytes.length);
      out.write(bytes);
    } else if (value instanceof Integer number) {
      out.writeByte(INT);
      out.writeInt(number);
    } else if (value instanceof Long number) {
      out.writeByte(LONG);
      out.writeLong(number);
    } else if (value instanceof BigDecimal number) {
      byte[] unscaled = number.unscaledValue().toByteArray();
      out.writeByte(DECIMAL);
      out.writeInt(number.scale());
      out.writeShort(unscaled.length);
      out.write(unscaled);
    } else if (value instanceof Double number) {
      out.writeByte(DOUBLE);
      out.writeDouble(number);
    } else if (value instanceof Boolean flag) {
      out.writeByte(BOOLEAN);
      out.writeBoolean(flag);
    } else if (value instanceof LocalDate date) {
      out.writeByte(DATE);
      out.writeLong(date.toEpochDay());
    } else if (value instanceof LocalDateTime timestamp) {
      out.writeByte(TIMESTAMP);
      out.writeLong(timestamp.toEpochSecond(ZoneOffset.UTC));
      out.writeInt(timestamp.getNano());
    } else {
      throw new IllegalArgumentException("no spool form for " + value.getClass().getName());
    }
  }

  private static Object value(DataInputStream in) throws IOException {
    byte tag = in.readByte();
    return switch (tag) {
      case NULL -> null;
      case STRING -> {
        byte[] bytes = new byte[in.readInt()];
        in.readFully(bytes);
        yield new String(bytes, StandardCharsets.UTF_8);
      }
      case INT -> in.readInt();
      case LONG -> in.readLong();
      case DECIMAL -> {
        int scale = in.readInt();
        byte[] unscaled = new byte[in.readShort()];
        in.readFully(unscaled);
        yield new BigDecimal(new BigInteger(unscaled), scale);
      }
      case DOUBLE -> in.readDouble();
      case BOOLEAN -> in.readBoolean();
      case DATE -> LocalDate.ofEpochDay(in.readLong());
      case TIMESTAMP -> LocalDateTime.ofEpochSecond(in.readLong(), in.readInt(), ZoneOffset.UTC);
      default -> throw new IOException("the spool holds an unknown value tag " + tag);
    };
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
      // A file left in the temporary folder holds nothing a later run reads.
    }
  }
}
