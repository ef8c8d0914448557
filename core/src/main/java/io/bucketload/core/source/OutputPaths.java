package io.bucketload.core.source;

/**
 * The paths of what bucketload writes for an object, relative to an {@link OutputStore}'s root: the
 * object's own folder (relative to the source's root), then a folder such as {@code rejected}, then
 * the file's name. An object outside the source's root (a local file named by its absolute path)
 * keeps its absolute folder.
 */
public final class OutputPaths {
  private OutputPaths() {}

  /**
   * The path of a file written for {@code object}.
   *
   * @param object the object the file belongs to
   * @param folder the folder beside it, e.g. {@code rejected}
   * @param fileName the file's name
   */
  public static String beside(SourceObject object, String folder, String fileName) {
    return beside(object.key(), folder, fileName);
  }

  /**
   * The path of a file written for the object of this key.
   *
   * @param key the object's key
   * @param folder the folder beside it, e.g. {@code rejected}
   * @param fileName the file's name
   */
  public static String beside(String key, String folder, String fileName) {
    int slash = key.lastIndexOf('/');
    String parent = slash < 0 ? "" : key.substring(0, slash + 1);
    return parent + folder + "/" + fileName;
  }
}
