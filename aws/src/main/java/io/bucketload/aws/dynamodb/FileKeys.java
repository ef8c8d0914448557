package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.TargetException;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of the rows a {@code sync} file wrote, to find the table's items whose key the file does
 * not have. Up to a bound ({@link #IN_MEMORY} keys, about 25 MB) they are held in a set. Beyond it
 * they spill to files in the system's temporary folder, split into {@link #PARTITIONS} by a hash of
 * the key, and the table's keys are split the same way as they are scanned; each partition is then
 * compared on its own, so memory holds one partition's file keys at a time, whatever the size of
 * the file: about 110,000 keys of a file of 14 million. The files are removed at {@link #close()}.
 * Not thread-safe.
 */
final class FileKeys implements AutoCloseable {
  /** How many keys are held in memory before they spill to disk. */
  static final int IN_MEMORY = 250_000;

  /** Into how many partitions spilled keys are split. */
  static final int PARTITIONS = 128;

  private final int inMemory;
  private final int partitions;
  private final Set<String> held = new HashSet<>();
  private Spill fileSide;

  /** Keys held in memory up to {@link #IN_MEMORY}, then split into {@link #PARTITIONS}. */
  FileKeys() {
    this(IN_MEMORY, PARTITIONS);
  }

  /**
   * Keys held in memory up to {@code inMemory}, then split into {@code partitions} (tests spill
   * small files this way).
   */
  FileKeys(int inMemory, int partitions) {
    this.inMemory = inMemory;
    this.partitions = partitions;
  }

  /**
   * Adds the key of a row the file wrote.
   *
   * @throws TargetException when keys must spill and the temporary folder cannot take them
   */
  void add(String key) {
    if (fileSide != null) {
      fileSide.writeKey(key);
      return;
    }
    held.add(key);
    if (held.size() > inMemory) {
      fileSide = Spill.create("bucketload-sync-file-keys-", partitions);
      held.forEach(fileSide::writeKey);
      held.clear();
    }
  }

  /** Whether the keys spilled to disk. */
  boolean spilled() {
    return fileSide != null;
  }

  /**
   * Calls {@code absent} with the key and the item of each item of {@code table} (its key
   * attributes, {@code keyNames}) whose key, as {@code keyText} writes it, was not added. With the
   * keys in memory, as the table is read; spilled, once it has been read whole, partition after
   * partition.
   *
   * @throws TargetException when the spilled keys cannot be written or read back
   */
  void absentFrom(
      Iterable<Map<String, AttributeValue>> table,
      Function<Map<String, AttributeValue>, String> keyText,
      List<String> keyNames,
      BiConsumer<String, Map<String, AttributeValue>> absent) {
    if (fileSide == null) {
      for (Map<String, AttributeValue> item : table) {
        String key = keyText.apply(item);
        if (!held.contains(key)) {
          absent.accept(key, item);
        }
      }
      return;
    }
    fileSide.finishWriting();
    try (Spill tableSide = Spill.create("bucketload-sync-table-keys-", partitions)) {
      for (Map<String, AttributeValue> item : table) {
        tableSide.writeItem(keyText.apply(item), item, keyNames);
      }
      tableSide.finishWriting();
      for (int p = 0; p < partitions; p++) {
        Set<String> fileKeys = fileSide.readKeys(p);
        tableSide.readItems(
            p,
            keyNames,
            (key, item) -> {
              if (!fileKeys.contains(key)) {
                absent.accept(key, item);
              }
            });
      }
    }
  }

  /** Removes the spilled keys, if any. Never throws. */
  @Override
  public void close() {
    held.clear();
    if (fileSide != null) {
      fileSide.close();
    }
  }

  /**
   * Keys written to a folder of partition files, a key's partition chosen by a hash of its text:
   * each a length-prefixed UTF-8 key, for a table's item followed by its key attributes' types and
   * values.
   */
  private static final class Spill implements AutoCloseable {
    private final Path folder;
    private final DataOutputStream[] out;
    private final long[] records;

    private Spill(Path folder, int partitions) {
      this.folder = folder;
      this.out = new DataOutputStream[partitions];
      this.records = new long[partitions];
    }

    static Spill create(String prefix, int partitions) {
      try {
        return new Spill(Files.createTempDirectory(prefix), partitions);
      } catch (IOException e) {
        throw failure("create a folder for them in " + System.getProperty("java.io.tmpdir"), e);
      }
    }

    void writeKey(String key) {
      try {
        int partition = partition(key);
        writeText(stream(partition), key);
        records[partition]++;
      } catch (IOException e) {
        throw failure("write them to " + folder, e);
      }
    }

    void writeItem(String key, Map<String, AttributeValue> item, List<String> keyNames) {
      try {
        int index = partition(key);
        DataOutputStream partition = stream(index);
        writeText(partition, key);
        for (String name : keyNames) {
          AttributeValue value = item.get(name);
          boolean number = value != null && value.n() != null;
          partition.writeBoolean(number);
          writeText(partition, value == null ? "" : number ? value.n() : value.s());
        }
        records[index]++;
      } catch (IOException e) {
        throw failure("write them to " + folder, e);
      }
    }

    void finishWriting() {
      try {
        for (DataOutputStream partition : out) {
          if (partition != null) {
            partition.close();
          }
        }
      } catch (IOException e) {
        throw failure("write them to " + folder, e);
      }
    }

    Set<String> readKeys(int partition) {
      Set<String> keys = new HashSet<>();
      read(partition, in -> keys.add(readText(in)));
      return keys;
    }

    void readItems(
        int partition,
        List<String> keyNames,
        BiConsumer<String, Map<String, AttributeValue>> each) {
      read(
          partition,
          in -> {
            String key = readText(in);
            Map<String, AttributeValue> item = new LinkedHashMap<>();
            for (String name : keyNames) {
              boolean number = in.readBoolean();
              String value = readText(in);
              item.put(name, number ? AttributeValue.fromN(value) : AttributeValue.fromS(value));
            }
            each.accept(key, item);
          });
    }

    /** Calls {@code record} for each record written to a partition's file. */
    private void read(int partition, RecordReader record) {
      if (records[partition] == 0) {
        return;
      }
      try (DataInputStream in =
          new DataInputStream(
              new BufferedInputStream(Files.newInputStream(file(partition)), 1 << 16))) {
        for (long r = 0; r < records[partition]; r++) {
          record.read(in);
        }
      } catch (IOException e) {
        throw failure("read them back from " + folder, e);
      }
    }

    private DataOutputStream stream(int partition) throws IOException {
      if (out[partition] == null) {
        out[partition] =
            new DataOutputStream(
                new BufferedOutputStream(Files.newOutputStream(file(partition)), 1 << 14));
      }
      return out[partition];
    }

    private Path file(int partition) {
      return folder.resolve(partition + ".keys");
    }

    /** A partition from the key's hash, spread over its bits so that any count of them is even. */
    private int partition(String key) {
      long mixed = key.hashCode() * 0x9E3779B97F4A7C15L;
      return (int) Long.remainderUnsigned(mixed >>> 17, out.length);
    }

    /** Closes what is open and removes the folder. Never throws. */
    @Override
    public void close() {
      for (DataOutputStream partition : out) {
        try {
          if (partition != null) {
            partition.close();
          }
        } catch (IOException ignored) {
          // Removed below all the same.
        }
      }
      try (var files = Files.list(folder)) {
        for (Path file : (Iterable<Path>) files::iterator) {
          Files.deleteIfExists(file);
        }
        Files.deleteIfExists(folder);
      } catch (IOException | UncheckedIOException ignored) {
        // A temporary folder left behind is the system's to clean.
      }
    }

    private static void writeText(DataOutputStream out, String text) throws IOException {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      out.writeInt(bytes.length);
      out.write(bytes);
    }

    private static String readText(DataInputStream in) throws IOException {
      byte[] bytes = new byte[in.readInt()];
      in.readFully(bytes);
      return new String(bytes, StandardCharsets.UTF_8);
    }

    private static TargetException failure(String what, IOException e) {
      return TargetException.system(
          "sync keeps the keys of a large file on disk and cannot " + what + ": " + e.getMessage(),
          e,
          true);
    }

    /** Reads one record of a partition's file. */
    private interface RecordReader {
      void read(DataInputStream in) throws IOException;
    }
  }
}
