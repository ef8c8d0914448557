package io.bucketload.aws.dynamodb;

import io.bucketload.core.error.TargetException;
import io.bucketload.core.scratch.ScratchFolder;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.BitSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiConsumer;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The keys of the rows a {@code sync} file wrote, to find the table's items whose key the file does
 * not have. Up to {@link #IN_MEMORY_BYTES} of them (as a set holds them: about 300,000 keys of 12
 * characters) they are held in a set. Beyond it they spill to files in the process's {@link
 * ScratchFolder} (in the system's temporary folder), split into {@link #PARTITIONS} by a hash of
 * the key, and the table's keys are split the same way as they are scanned; each part is then
 * compared on its own, its file keys taken into memory up to the same bound at a time (a part over
 * it is compared in one pass over the table's part per share, marking the table's keys found). The
 * keys held stay within the bound whatever the size of the file or the length of its keys; beside
 * them, buffers of about 4 MB and a bit per item of the largest part of the table. The files are
 * removed at {@link #close()}. Not thread-safe.
 */
final class FileKeys implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(FileKeys.class);

  /** How much memory, as a set holds them, the keys take before they spill to disk. */
  static final long IN_MEMORY_BYTES = 32L << 20;

  /** Into how many partitions spilled keys are split. */
  static final int PARTITIONS = 128;

  private final String table;
  private final long inMemoryBytes;
  private final int partitions;
  private Set<String> held = new HashSet<>();
  private long heldBytes;
  private Spill fileSide;
  private boolean spilled;

  /**
   * Keys of a load into {@code table} (named in messages), held up to {@link #IN_MEMORY_BYTES},
   * then split into {@link #PARTITIONS}.
   */
  FileKeys(String table) {
    this(table, IN_MEMORY_BYTES, PARTITIONS);
  }

  /**
   * Keys held up to {@code inMemoryBytes}, then split into {@code partitions} (tests spill small
   * files this way).
   */
  FileKeys(String table, long inMemoryBytes, int partitions) {
    this.table = table;
    this.inMemoryBytes = inMemoryBytes;
    this.partitions = partitions;
  }

  /**
   * What a key takes in a set: the string, its bytes (two per character at most) and the set's
   * entry.
   */
  static long footprint(String key) {
    return 80 + 2L * key.length();
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
    if (held.add(key)) {
      heldBytes += footprint(key);
    }
    if (heldBytes > inMemoryBytes) {
      fileSide = Spill.create(table, "the file's keys", "bucketload-sync-file-keys-", partitions);
      spilled = true;
      held.forEach(fileSide::writeKey);
      held = new HashSet<>();
      heldBytes = 0;
    }
  }

  /** Whether the keys spilled to disk (also once they were removed). */
  boolean spilled() {
    return spilled;
  }

  /**
   * Calls {@code absent} with the key and the item of each item of {@code table} (its key
   * attributes, {@code keyNames}) whose key, as {@code keyText} writes it, was not added. With the
   * keys in memory, as the table is read; spilled, once it has been read whole, part after part.
   *
   * @throws TargetException when the spilled keys cannot be written or read back
   */
  void absentFrom(
      Iterable<Map<String, AttributeValue>> tableItems,
      Function<Map<String, AttributeValue>, String> keyText,
      List<String> keyNames,
      BiConsumer<String, Map<String, AttributeValue>> absent) {
    if (fileSide == null) {
      for (Map<String, AttributeValue> item : tableItems) {
        String key = keyText.apply(item);
        if (!held.contains(key)) {
          absent.accept(key, item);
        }
      }
      return;
    }
    fileSide.finishWriting();
    try (Spill tableSide =
        Spill.create(table, "the table's keys", "bucketload-sync-table-keys-", partitions)) {
      for (Map<String, AttributeValue> item : tableItems) {
        tableSide.writeItem(keyText.apply(item), item, keyNames);
      }
      tableSide.finishWriting();
      for (int p = 0; p < partitions; p++) {
        comparePart(p, tableSide, keyNames, absent);
      }
    }
  }

  /**
   * Compares part {@code p} of the file's keys with the same part of the table's, one pass over the
   * table's part for each share of the file's keys that fits in memory (one when they all do): a
   * pass before the last marks the table's keys found, the last tells those found in none.
   */
  private void comparePart(
      int p,
      Spill tableSide,
      List<String> keyNames,
      BiConsumer<String, Map<String, AttributeValue>> absent) {
    if (tableSide.records(p) == 0) {
      return;
    }
    fileSide.readKeys(
        p,
        inMemoryBytes,
        (share, last) -> {
          BitSet found = share.found();
          tableSide.readItems(
              p,
              keyNames,
              (index, key, item) -> {
                boolean here = share.keys().contains(key);
                if (!last) {
                  if (here) {
                    found.set(Math.toIntExact(index));
                  }
                } else if (!here && !found.get(Math.toIntExact(index))) {
                  absent.accept(key, item);
                }
              });
        });
  }

  /** Removes the spilled keys, if any, and lets go of those held. Never throws. */
  @Override
  public void close() {
    held = Set.of();
    if (fileSide != null) {
      fileSide.close();
      fileSide = null;
    }
  }

  /**
   * Keys of one part of the file taken into memory together, and the table's keys found among the
   * shares before (by their place in the table's part).
   */
  private record Share(Set<String> keys, BitSet found) {}

  /** Takes each share of a part's keys in turn; {@code last} when no key of the part is left. */
  private interface ShareReader {
    void read(Share share, boolean last);
  }

  /** Takes a table's item read back from its part, with its place in the part. */
  private interface ItemReader {
    void read(long index, String key, Map<String, AttributeValue> item);
  }

  /**
   * Keys written to a folder of partition files, a key's partition chosen by a hash of its text:
   * each a length-prefixed UTF-8 key, for a table's item followed by its key attributes' types and
   * values.
   */
  private static final class Spill implements AutoCloseable {
    private final String table;
    private final String whose;
    private final Path folder;
    private final DataOutputStream[] out;
    private final long[] records;

    private Spill(String table, String whose, Path folder, int partitions) {
      this.table = table;
      this.whose = whose;
      this.folder = folder;
      this.out = new DataOutputStream[partitions];
      this.records = new long[partitions];
    }

    static Spill create(String table, String whose, String prefix, int partitions) {
      try {
        // In the process's scratch folder, which goes with the process when it is stopped
        // mid-load, and with a later process when it was killed.
        return new Spill(table, whose, ScratchFolder.ofProcess().newFolder(prefix), partitions);
      } catch (IOException e) {
        throw failure(
            table,
            "cannot create a folder for "
                + whose
                + " in the scratch folder under "
                + System.getProperty("java.io.tmpdir"),
            e);
      }
    }

    long records(int partition) {
      return records[partition];
    }

    void writeKey(String key) {
      try {
        int partition = partition(key);
        writeText(stream(partition), key);
        records[partition]++;
      } catch (IOException e) {
        throw failure(table, "cannot write " + whose + " to " + folder, e);
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
        throw failure(table, "cannot write " + whose + " to " + folder, e);
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
        throw failure(table, "cannot write " + whose + " to " + folder, e);
      }
    }

    /**
     * Reads a part's keys in shares of at most {@code bytes} as a set holds them (at least one key
     * each), calling {@code each} with each share.
     */
    void readKeys(int partition, long bytes, ShareReader each) {
      BitSet found = new BitSet();
      Set<String> keys = new HashSet<>();
      long size = 0;
      try (DataInputStream in = open(partition)) {
        for (long r = 0; r < records[partition]; r++) {
          String key = readText(in);
          if (keys.add(key)) {
            size += footprint(key);
          }
          if (size > bytes && r + 1 < records[partition]) {
            each.read(new Share(keys, found), false);
            keys = new HashSet<>();
            size = 0;
          }
        }
      } catch (IOException e) {
        throw failure(table, "cannot read " + whose + " back from " + folder, e);
      }
      each.read(new Share(keys, found), true);
    }

    /**
     * Reads a part's items back, each with its place in the part and its key attributes, {@code
     * keyNames} as they were written.
     */
    void readItems(int partition, List<String> keyNames, ItemReader each) {
      try (DataInputStream in = open(partition)) {
        for (long r = 0; r < records[partition]; r++) {
          String key = readText(in);
          Map<String, AttributeValue> item = new LinkedHashMap<>();
          for (String name : keyNames) {
            boolean number = in.readBoolean();
            String value = readText(in);
            item.put(name, number ? AttributeValue.fromN(value) : AttributeValue.fromS(value));
          }
          each.read(r, key, item);
        }
      } catch (IOException e) {
        throw failure(table, "cannot read " + whose + " back from " + folder, e);
      }
    }

    private DataInputStream open(int partition) throws IOException {
      if (records[partition] == 0) {
        return new DataInputStream(java.io.InputStream.nullInputStream());
      }
      return new DataInputStream(
          new BufferedInputStream(Files.newInputStream(file(partition)), 1 << 16));
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

    /** Closes what is open and removes the folder, warning of what it could not. Never throws. */
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
      try {
        ScratchFolder.deleteTree(folder);
      } catch (IOException e) {
        LOG.warn(
            "{}: could not remove {} of {}: {}",
            table,
            folder,
            whose,
            e.getClass().getSimpleName() + ": " + e.getMessage());
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

    private static TargetException failure(String table, String what, IOException e) {
      return TargetException.system(
          table
              + ": sync keeps the keys of a large file on disk and "
              + what
              + ": "
              + e.getClass().getSimpleName()
              + ": "
              + e.getMessage(),
          e,
          true);
    }
  }
}
