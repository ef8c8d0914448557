package io.bucketload.app.page;

import io.bucketload.core.run.RejectsFile;
import java.util.Objects;

/** What a run's page shows of a file's rejects: the rejects file summed up, or why it cannot. */
public sealed interface RejectsShown {
  /**
   * The rejects file, summed up.
   *
   * @param location where the file is
   * @param summary what it holds
   * @param note what the reader should know of it (it holds another count of rows than the run
   *     rejected)
   */
  record Summed(String location, RejectsFile.Summary summary, java.util.Optional<String> note)
      implements RejectsShown {
    /** Checks the fields. */
    public Summed {
      Objects.requireNonNull(location, "location");
      Objects.requireNonNull(summary, "summary");
      Objects.requireNonNull(note, "note");
    }
  }

  /**
   * The rejects cannot be shown.
   *
   * @param why the reason, for people
   */
  record Unavailable(String why) implements RejectsShown {
    /** Checks the fields. */
    public Unavailable {
      Objects.requireNonNull(why, "why");
    }
  }
}
