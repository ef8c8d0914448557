package io.bucketload.core.trigger;

import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches a source by listing it every {@code every}: a listing that differs from the last one
 * handled (a file added, grown, touched or removed) hands out a delivery for every matching file;
 * an unchanged listing hands out nothing, so an idle folder costs one listing per period. A source
 * whose listing does not look ({@link Source#listsWhatExists()} false: an HTTP(S) URL) is asked
 * each file's version tag every period (a HEAD); without one, every period hands out a delivery,
 * whose run identifies the file by reading it. Files still being written are left to {@code
 * source.settle}, which the run applies; a delivery released (a file still settling, a system
 * failure) comes back after its backoff. Works without file-system notifications, which network and
 * container file systems miss. Not thread-safe.
 */
public final class WatchTrigger implements Trigger {
  private final Source source;
  private final Duration every;
  private final Clock clock;
  private final Duration longestWait;
  private Optional<List<Entry>> handled = Optional.empty();
  private Instant nextPass;

  /** The longest wait before a pass that failed on the system is tried again. */
  static final Duration LONGEST_RETRY = Duration.ofMinutes(1);

  private Optional<Released> released = Optional.empty();

  /**
   * What a listing says of one file, with the version its source tells without reading it, for a
   * source whose listing does not look ({@link Source#versionTag}).
   */
  private record Entry(String key, long size, Optional<Instant> modified, Optional<String> tag) {}

  /** A pass released until {@code notBefore}. */
  private record Released(int attempt, Instant notBefore) {}

  /**
   * Creates the watch.
   *
   * @param source what to list
   * @param every how often
   * @param clock the time
   * @param longestWait how long a poll waits for the next pass before it returns empty (short, so
   *     that a stop is noticed; zero to never wait)
   */
  public WatchTrigger(Source source, Duration every, Clock clock, Duration longestWait) {
    this.source = source;
    this.every = every;
    this.clock = clock;
    this.longestWait = longestWait;
    this.nextPass = clock.instant();
  }

  @Override
  public String kind() {
    return "watch";
  }

  @Override
  public String describe() {
    return "a watch of " + source.describe() + " every " + every.toSeconds() + "s";
  }

  @Override
  public List<Delivery> poll() throws IOException {
    Instant due = released.map(Released::notBefore).orElse(nextPass);
    Instant now = clock.instant();
    if (now.isBefore(due) && !longestWait.isZero()) {
      Duration wait = Duration.between(now, due);
      Pause.sleep(wait.compareTo(longestWait) < 0 ? wait : longestWait);
      now = clock.instant();
    }
    if (now.isBefore(due)) {
      return List.of();
    }
    List<Entry> listing = entries(source.list());
    if (released.isPresent()) {
      // The same work again, over the listing as it is now: that is what its run will see.
      int attempt = released.get().attempt() + 1;
      released = Optional.empty();
      nextPass = now.plus(every);
      return List.of(new Pass(listing, attempt));
    }
    if (handled.isPresent() && handled.get().equals(listing) && tellsChanges(listing)) {
      nextPass = now.plus(every);
      return List.of();
    }
    nextPass = now.plus(every);
    return List.of(new Pass(listing, 1));
  }

  /**
   * The listing's entries. A source whose listing does not look (an HTTP(S) URL's one file) is
   * asked each file's version tag (a HEAD).
   */
  private List<Entry> entries(List<SourceObject> objects) throws IOException {
    List<Entry> entries = new java.util.ArrayList<>(objects.size());
    for (SourceObject object : objects) {
      Optional<String> tag =
          source.listsWhatExists() ? Optional.empty() : source.versionTag(object);
      entries.add(new Entry(object.key(), object.size(), object.modified(), tag));
    }
    return entries;
  }

  /**
   * Whether an unchanged listing means unchanged files: false when a file named without looking has
   * no version tag, which only its run can tell by reading it.
   */
  private boolean tellsChanges(List<Entry> listing) {
    return source.listsWhatExists() || listing.stream().allMatch(entry -> entry.tag().isPresent());
  }

  /** {@inheritDoc} True while a released pass waits to be handed out again. */
  @Override
  public boolean pending() {
    return released.isPresent();
  }

  @Override
  public void close() {}

  /** One pass over the listing. */
  private final class Pass extends EveryFileDelivery {
    private final List<Entry> listing;
    private final int attempt;

    Pass(List<Entry> listing, int attempt) {
      this.listing = Objects.requireNonNull(listing);
      this.attempt = attempt;
    }

    @Override
    public String id() {
      return "watch pass of " + listing.size() + " file(s)";
    }

    @Override
    public int attempt() {
      return attempt;
    }

    @Override
    public void acknowledge() {
      handled = Optional.of(listing);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A watch looks again at its next pass at the latest: a file still settling loads as soon as
     * it has.
     */
    @Override
    public Optional<Duration> release(Duration delay) {
      return releaseFor(delay.compareTo(every) < 0 ? delay : every);
    }

    /**
     * {@inheritDoc}
     *
     * <p>A watch backs off up to {@link #LONGEST_RETRY} (or its period, when longer): an outage is
     * not retried at every pass, and a file still waits at most that long once it is over.
     */
    @Override
    public Optional<Duration> releaseAfterFailure(Duration delay) {
      Duration longest = every.compareTo(LONGEST_RETRY) > 0 ? every : LONGEST_RETRY;
      return releaseFor(delay.compareTo(longest) < 0 ? delay : longest);
    }

    private Optional<Duration> releaseFor(Duration wait) {
      released = Optional.of(new Released(attempt, clock.instant().plus(wait)));
      return Optional.of(wait);
    }
  }
}
