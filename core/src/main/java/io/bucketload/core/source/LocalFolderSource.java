package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A local folder as the landing zone. Keys are paths relative to the folder; {@code match} is a
 * glob on the key ({@code *} stays within a folder, {@code **} crosses folders). The folders
 * bucketload writes into ({@code rejected}, {@code failed}), hidden files and the {@link
 * TemporaryNames temporary names} of files still being written are never listed.
 */
public final class LocalFolderSource implements Source {
  private static final Set<String> OUTPUT_FOLDERS = Set.of("rejected", "failed");

  private final Path root;
  private final PathMatcher matcher;
  private final String match;

  /** How deep a listing walks: as deep as {@link #match} reaches ({@link #depthOf}). */
  private final int depth;

  /**
   * Creates the source.
   *
   * @param root the folder; it need not exist until listed
   * @param match the glob for keys, e.g. {@code *.csv}
   */
  public LocalFolderSource(Path root, String match) {
    this.root = root.toAbsolutePath().normalize();
    this.match = match;
    this.matcher = root.getFileSystem().getPathMatcher("glob:" + match);
    this.depth = depthOf(match);
  }

  /**
   * How many folders deep from the source folder a key that {@code match} matches can be: its names
   * ({@code *.csv} 1, {@code raw/*.csv} 2), unbounded with {@code **}, which crosses folders. Every
   * {@code /} is counted, those of each alternative of a {@code {...}} and any escaped, so the
   * depth is never less than a match reaches. A listing for {@code *.csv} then reads the folder
   * alone, not every folder below it (archives of loaded files kept in subfolders: a walk of 1,300
   * files cost a run 50 ms).
   */
  static int depthOf(String match) {
    if (match.contains("**")) {
      return Integer.MAX_VALUE;
    }
    int separators = 0;
    for (int i = 0; i < match.length(); i++) {
      if (match.charAt(i) == '/') {
        separators++;
      }
    }
    return separators + 1;
  }

  @Override
  public boolean owns(String name) {
    Path path = root.resolve(name).toAbsolutePath().normalize();
    if (!path.startsWith(root) || path.equals(root)) {
      return false;
    }
    Path relative = root.relativize(path);
    for (Path part : relative) {
      if (TemporaryNames.isTemporary(part.toString()) || OUTPUT_FOLDERS.contains(part.toString())) {
        return false;
      }
    }
    return matcher.matches(relative);
  }

  /** What tells a file's content unchanged without reading it: inode, size, modification time. */
  private record Identity(String fileKey, long size, java.time.Instant modified) {}

  /** A checksum computed earlier, and the identity of the file it was computed from. */
  private record Known(Identity identity, String checksum) {}

  /**
   * Checksums already computed, so that a long-running process (a watch, a schedule) reads a file
   * again only when it changed: its inode, size or modification time differ. At most {@value
   * #KNOWN_FILES} files, the least recently used forgotten first.
   */
  private final Map<String, Known> checksums = leastRecentlyUsed();

  /**
   * The identity each file had as {@link #identify} last identified it, for {@link
   * #confirmUnchanged}. At most {@value #KNOWN_FILES} files, the least recently used forgotten
   * first.
   */
  private final Map<String, Identity> identified = leastRecentlyUsed();

  /** The identity each file had when {@link #pin} noted it, until {@link #identify} takes it. */
  private final Map<String, Identity> pinned = new java.util.concurrent.ConcurrentHashMap<>();

  private static final int KNOWN_FILES = 100_000;

  /** A map of at most {@value #KNOWN_FILES} entries that forgets the least recently used first. */
  private static <V> Map<String, V> leastRecentlyUsed() {
    return new LinkedHashMap<>(16, 0.75f, true) {
      private static final long serialVersionUID = 1L;

      @Override
      protected boolean removeEldestEntry(Map.Entry<String, V> eldest) {
        return size() > KNOWN_FILES;
      }
    };
  }

  private static final java.time.Duration KNOWN_AFTER = java.time.Duration.ofSeconds(2);

  @Override
  public String describe() {
    return root + " (" + match + ")";
  }

  @Override
  public List<SourceObject> list() throws IOException {
    if (!Files.isDirectory(root)) {
      throw new NoSuchFileException(
          root.toString(),
          null,
          Files.exists(root) ? "source.path is not a folder" : "no such folder (source.path)");
    }
    List<Listed> found = new ArrayList<>();
    walk(
        depth,
        (file, attributes, throughLink) -> {
          if (matcher.matches(root.relativize(file))) {
            found.add(new Listed(objectFor(file, attributes), attributes.fileKey(), throughLink));
          }
          return true;
        });
    found.sort(Comparator.comparing(listed -> listed.object().key()));
    // A file of the folder that a symbolic link also reaches is listed under its own path only; a
    // file only links reach, under the first of their paths. Adding a link never changes the key
    // of a file listed before (hard links, two names of one file, are listed as before).
    Set<Object> withOwnPath = new java.util.HashSet<>();
    for (Listed listed : found) {
      if (!listed.throughLink()) {
        withOwnPath.add(listed.fileKey());
      }
    }
    Set<Object> listedByLink = new java.util.HashSet<>();
    List<SourceObject> objects = new ArrayList<>(found.size());
    for (Listed listed : found) {
      if (!listed.throughLink()
          || listed.fileKey() == null
          || (!withOwnPath.contains(listed.fileKey()) && listedByLink.add(listed.fileKey()))) {
        objects.add(listed.object());
      }
    }
    return objects;
  }

  /**
   * A file the walk met: its object, its file system key (null where the file system has none), and
   * whether its path passes through a symbolic link.
   */
  private record Listed(SourceObject object, Object fileKey, boolean throughLink) {}

  /**
   * Whether {@code dir}, a symbolic link, is the source folder or holds it ({@code up -> ..},
   * {@code -> /}): walking it would list what lies beside the folder, or the folder again.
   */
  private boolean holdsTheFolder(Path dir) throws IOException {
    return root.toRealPath().startsWith(dir.toRealPath());
  }

  @Override
  public List<String> sampleKeys(int limit) throws IOException {
    if (!Files.isDirectory(root)) {
      return List.of();
    }
    List<String> keys = new ArrayList<>();
    walk(
        Integer.MAX_VALUE,
        (file, attributes, throughLink) -> {
          keys.add(objectFor(file, attributes).key());
          return keys.size() < limit;
        });
    keys.sort(null);
    return keys;
  }

  /**
   * A file met while walking the folder, with whether its path passes through a symbolic link (it
   * is one, or a folder on its way is); returns whether to go on.
   */
  @FunctionalInterface
  private interface FileVisit {
    boolean visit(Path file, BasicFileAttributes attributes, boolean throughLink);
  }

  /**
   * Walks the files that may be inputs, at most {@code maxDepth} folders deep (1: the source
   * folder's own files): regular files, outside hidden and temporary names and bucketload's own
   * folders. Symbolic links are followed, to files and to folders, as if the file or folder were
   * where the link is; a link that leads back to a folder above it, or nowhere, is passed over.
   */
  private void walk(int maxDepth, FileVisit visit) throws IOException {
    Files.walkFileTree(
        root,
        java.util.EnumSet.of(java.nio.file.FileVisitOption.FOLLOW_LINKS),
        maxDepth,
        new SimpleFileVisitor<>() {
          /** Whether each folder being walked, the innermost first, is a symbolic link. */
          private final java.util.Deque<Boolean> linkedFolders = new java.util.ArrayDeque<>();

          /** How many of {@link #linkedFolders} are links. */
          private int linked;

          @Override
          public FileVisitResult visitFileFailed(Path file, IOException failure)
              throws IOException {
            if (failure instanceof java.nio.file.FileSystemLoopException
                || (Files.isSymbolicLink(file) && !Files.exists(file))) {
              return FileVisitResult.CONTINUE;
            }
            throw failure;
          }

          @Override
          public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs)
              throws IOException {
            String name = dir.equals(root) ? "" : dir.getFileName().toString();
            boolean link = !dir.equals(root) && Files.isSymbolicLink(dir);
            if (TemporaryNames.isTemporary(name)
                || OUTPUT_FOLDERS.contains(name)
                || (link && holdsTheFolder(dir))) {
              return FileVisitResult.SKIP_SUBTREE;
            }
            linkedFolders.push(link);
            linked += link ? 1 : 0;
            return FileVisitResult.CONTINUE;
          }

          @Override
          public FileVisitResult postVisitDirectory(Path dir, IOException failure)
              throws IOException {
            linked -= linkedFolders.pop() ? 1 : 0;
            return super.postVisitDirectory(dir, failure);
          }

          @Override
          public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
            if (!attrs.isRegularFile()
                || TemporaryNames.isTemporary(file.getFileName().toString())) {
              return FileVisitResult.CONTINUE;
            }
            boolean throughLink = linked > 0 || Files.isSymbolicLink(file);
            return visit.visit(file, attrs, throughLink)
                ? FileVisitResult.CONTINUE
                : FileVisitResult.TERMINATE;
          }
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A name is a path as typed by the user (relative to the working directory) when such a file
   * exists, otherwise a key relative to the source folder.
   */
  @Override
  public SourceObject resolve(String name) throws IOException {
    Path typed = Path.of(name).toAbsolutePath().normalize();
    Path path =
        Files.isRegularFile(typed) ? typed : root.resolve(name).toAbsolutePath().normalize();
    if (!Files.isRegularFile(path)) {
      throw new NoSuchFileException(name, null, "no such file, nor key under " + root);
    }
    return objectFor(ownPath(path), Files.readAttributes(path, BasicFileAttributes.class));
  }

  /**
   * A file of the folder named through a link (a linked folder outside it, a link inside it) under
   * the path the listing gives it, so that it has one key however it is named and loads once. A
   * file the folder reaches only through a link keeps the path it was named by.
   */
  private Path ownPath(Path path) throws IOException {
    Path real = path.toRealPath();
    Path realRoot = root.toRealPath();
    return real.startsWith(realRoot) ? root.resolve(realRoot.relativize(real)) : path;
  }

  private SourceObject objectFor(Path file, BasicFileAttributes attributes) {
    String key =
        file.startsWith(root)
            ? root.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/")
            : file.toString();
    return new SourceObject(
        key,
        file.toString(),
        attributes.size(),
        Optional.of(attributes.lastModifiedTime().toInstant()));
  }

  private Path pathOf(SourceObject object) {
    return Path.of(object.location());
  }

  @Override
  public FileVersion identify(SourceObject object) throws IOException {
    Path path = pathOf(object);
    Identity pin = pinned.remove(path.toString());
    Identity identity = identity(path);
    if (pin != null && !pin.equals(identity)) {
      // Replaced or rewritten after its reader opened it, before this identify looked.
      throw changed(object, identity, pin);
    }
    synchronized (identified) {
      identified.put(path.toString(), identity);
    }
    Optional<String> known = known(path, identity);
    if (known.isPresent()) {
      return new FileVersion(object.key(), identity.size(), known.get());
    }
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is required of every JVM", e);
    }
    long size = 0;
    try (FileChannel channel = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buffer = ByteBuffer.allocateDirect(checksumBuffer(identity.size()));
      while (channel.read(buffer) >= 0) {
        buffer.flip();
        size += buffer.remaining();
        digest.update(buffer);
        buffer.clear();
      }
    }
    String checksum = "sha256:" + HexFormat.of().formatHex(digest.digest());
    // A file changed within the last seconds might change again within one tick of a coarse clock.
    boolean settled = identity.modified().isBefore(java.time.Instant.now().minus(KNOWN_AFTER));
    if (size == identity.size() && settled) {
      synchronized (checksums) {
        checksums.put(path.toString(), new Known(identity, checksum));
      }
    }
    return new FileVersion(object.key(), size, checksum);
  }

  /** The most a file's checksum reads at once. */
  private static final int CHECKSUM_READ_BYTES = 1 << 20;

  /** The least: a file that grew since it was listed is still read in reads of this size. */
  private static final int CHECKSUM_READ_LEAST_BYTES = 1 << 16;

  /**
   * A buffer for checksumming a file of {@code size} bytes: its size, from 64 KiB to 1 MiB. A
   * direct buffer's memory is cleared when it is allocated: 1 MiB for each small file took 1.6 ms
   * of the 29 ms each of 200 files of 10 rows cost a run into DuckDB (docs/performance.md).
   */
  private static int checksumBuffer(long size) {
    return (int) Math.max(CHECKSUM_READ_LEAST_BYTES, Math.min(CHECKSUM_READ_BYTES, size));
  }

  /**
   * {@inheritDoc}
   *
   * <p>The file must have the inode, size and modification time it had when it was identified: a
   * file replaced by a rename (the way files are best delivered) or rewritten in place while it
   * loads fails, even at the same size. A file removed since is not a change: what was read of it
   * was the version identified.
   */
  @Override
  public void confirmUnchanged(SourceObject object) throws IOException {
    Path path = pathOf(object);
    Identity then;
    synchronized (identified) {
      then = identified.get(path.toString());
    }
    if (then == null) {
      return;
    }
    Identity now;
    try {
      now = identity(path);
    } catch (NoSuchFileException e) {
      return;
    }
    if (!now.equals(then)) {
      throw changed(object, now, then);
    }
  }

  @Override
  public void pin(SourceObject object) throws IOException {
    Path path = pathOf(object);
    pinned.put(path.toString(), identity(path));
  }

  private static FileChangedException changed(SourceObject object, Identity now, Identity then) {
    return new FileChangedException(
        object.key(),
        "the file was replaced or rewritten while it loaded ("
            + (now.fileKey().equals(then.fileKey())
                ? "modified at " + now.modified() + ", identified as of " + then.modified()
                : "another file now has its name")
            + ")");
  }

  /** {@inheritDoc} The file's size, unless its checksum is known for its current identity. */
  @Override
  public java.util.OptionalLong sizeWhenIdentifyReads(SourceObject object) throws IOException {
    Path path = pathOf(object);
    Identity identity = identity(path);
    return known(path, identity).isPresent()
        ? java.util.OptionalLong.empty()
        : java.util.OptionalLong.of(identity.size());
  }

  private Identity identity(Path path) throws IOException {
    BasicFileAttributes attributes;
    try {
      attributes = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      String name = path.startsWith(root) ? root.relativize(path).toString() : path.toString();
      if (name.indexOf('\uFFFD') >= 0) {
        // Listed, but its name holds bytes that are not text in this machine's encoding, so it
        // cannot be opened by that name: not a file removed since it was listed.
        throw new SourceReadException(
            name
                + ": the file's name is not valid text in this machine's encoding ("
                + System.getProperty("sun.jnu.encoding", "unknown")
                + "; the bytes shown as \uFFFD), so it cannot be opened: rename it",
            e);
      }
      throw e;
    }
    return new Identity(
        String.valueOf(attributes.fileKey()),
        attributes.size(),
        attributes.lastModifiedTime().toInstant());
  }

  /** The checksum computed earlier for the file, if it still has the identity it had then. */
  private Optional<String> known(Path path, Identity identity) {
    synchronized (checksums) {
      Known known = checksums.get(path.toString());
      return known != null && known.identity().equals(identity)
          ? Optional.of(known.checksum())
          : Optional.empty();
    }
  }

  @Override
  public java.util.Optional<Path> localFile(SourceObject object) {
    return java.util.Optional.of(pathOf(object));
  }

  @Override
  public InputStream open(SourceObject object) throws IOException {
    return Files.newInputStream(pathOf(object));
  }
}
