package io.bucketload.aws.provision;

import java.util.Locale;
import java.util.Objects;

/**
 * What {@code provision} or {@code teardown} did, or would do, to one resource.
 *
 * @param kind the kind of resource, e.g. {@code bucket}, {@code queue}, {@code table}
 * @param name its name
 * @param action what was done
 * @param detail what it is or why, for people (may be empty)
 */
public record Change(String kind, String name, Action action, String detail) {
  /** Checks the fields. */
  public Change {
    Objects.requireNonNull(kind, "kind");
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(detail, "detail");
  }

  /** What was done to a resource. */
  public enum Action {
    /** It did not exist and was made. */
    CREATED,
    /** It existed and some of its settings were changed. */
    UPDATED,
    /** It existed as needed; nothing was changed. */
    UNCHANGED,
    /** A dry run: it would be made. */
    WOULD_CREATE,
    /** A dry run: some of its settings would be changed. */
    WOULD_UPDATE,
    /** It was removed. */
    DELETED,
    /** A dry run or a kept resource: it would be, or was not, removed (data kept). */
    KEPT,
    /** It does not exist. */
    ABSENT;

    /** The word shown to people, e.g. {@code would create}. */
    public String word() {
      return name().toLowerCase(Locale.ROOT).replace('_', ' ');
    }
  }

  /** One line for people: {@code created bucket landing-bucket (versioned, encrypted)}. */
  public String describe() {
    return String.format(
        Locale.ROOT,
        "%-13s %-17s %s%s",
        action.word(),
        kind,
        name,
        detail.isEmpty() ? "" : "  (" + detail + ")");
  }
}
