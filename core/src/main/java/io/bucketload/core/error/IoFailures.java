package io.bucketload.core.error;

import java.io.IOException;
import java.net.ConnectException;

/** Why an I/O operation failed, for people, where the exception says little. */
public final class IoFailures {
  private IoFailures() {}

  /**
   * The first message in the exception's causes, or what its type says when none has one (Java's
   * HTTP client reports a refused connection as a {@code ConnectException} without a message).
   */
  public static String reason(IOException e) {
    if (e instanceof java.nio.file.FileSystemException files) {
      return fileSystem(files);
    }
    for (Throwable cause = e; cause != null; cause = cause.getCause()) {
      if (cause.getMessage() != null && !cause.getMessage().isBlank()) {
        return cause.getMessage();
      }
      if (cause instanceof ConnectException) {
        return "connection refused";
      }
    }
    return e.getClass().getSimpleName();
  }

  /**
   * A file system failure as {@code path: what happened}: Java's exceptions of this kind carry the
   * path as their message and say what happened by their type only.
   */
  private static String fileSystem(java.nio.file.FileSystemException e) {
    String what;
    if (e.getReason() != null && !e.getReason().isBlank()) {
      what = e.getReason();
    } else if (e instanceof java.nio.file.NoSuchFileException) {
      what = "no such file or folder";
    } else if (e instanceof java.nio.file.AccessDeniedException) {
      what = "permission denied";
    } else if (e instanceof java.nio.file.FileAlreadyExistsException) {
      what = "a file of that name is in the way";
    } else if (e instanceof java.nio.file.NotDirectoryException) {
      what = "not a folder";
    } else if (e instanceof java.nio.file.DirectoryNotEmptyException) {
      what = "the folder is not empty";
    } else {
      what = e.getClass().getSimpleName();
    }
    return (e.getFile() == null ? "" : e.getFile() + ": ")
        + what
        + (e.getOtherFile() == null ? "" : " (" + e.getOtherFile() + ")");
  }
}
