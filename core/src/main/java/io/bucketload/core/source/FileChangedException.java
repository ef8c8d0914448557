package io.bucketload.core.source;

import java.io.IOException;

/**
 * A file that changed while it loaded (it grew, was rewritten in place, or another file was renamed
 * over it): a system failure, since the next run loads the version the file settles on. Its message
 * says what the failed load left behind: nothing, unless the target writes before its commit.
 */
public final class FileChangedException extends SourceReadException {
  private static final long serialVersionUID = 1L;

  private final String key;
  private final String change;

  /**
   * @param key the file's key
   * @param change what was seen, e.g. {@code the file changed while it was read (10 bytes when
   *     identified, 12 read)}
   */
  public FileChangedException(String key, String change) {
    this(key, change, "nothing was loaded, and it loads when it stops changing");
  }

  private FileChangedException(String key, String change, String consequence) {
    super(key + ": " + change + "; " + consequence, new IOException(change));
    this.key = key;
    this.change = change;
  }

  /**
   * The same failure, told of a load whose target had already written some of the file's rows
   * before the change was seen ({@link io.bucketload.core.target.Target#writesBeforeCommit()}):
   * those rows stay, and the next load writes them again by key.
   */
  public FileChangedException afterWrites() {
    return new FileChangedException(
        key,
        change,
        "the rows written before the change was seen stay, and the file loads again (by key) when"
            + " it stops changing");
  }
}
