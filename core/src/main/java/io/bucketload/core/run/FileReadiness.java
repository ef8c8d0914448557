package io.bucketload.core.run;

import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.spec.SourceSpec;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * Decides which files are complete enough to load: a file that changed within {@code source.settle}
 * may still be being written, and with {@code source.ready} a file loads only once its ready marker
 * is there. A run waits once, at most {@code settle}, for the files that changed recently, and
 * looks at them again: those that changed meanwhile wait for a later run. The same rules serve
 * every run, whether started by hand, a schedule, a watch or an event.
 */
final class FileReadiness {
  private final Source source;
  private final Duration settle;
  private final Optional<String> marker;
  private final Optional<Pattern> markerName;
  private final Clock clock;

  FileReadiness(Source source, SourceSpec spec, Clock clock) {
    this.source = source;
    this.settle = spec.settle();
    this.marker = spec.readyMarker();
    this.markerName =
        marker.map(
            name ->
                Pattern.compile(
                    Pattern.quote(name)
                        .replace("{name}", "\\E.+\\Q")
                        .replace("{stem}", "\\E.+\\Q")));
    this.clock = clock;
  }

  /**
   * The outcome of a check.
   *
   * @param ready the files that may load, as they are now
   * @param waiting why each other file waits, by key
   */
  record Check(List<SourceObject> ready, Map<String, String> waiting) {}

  /** Whether the object is a ready marker: never an input. */
  boolean isMarker(SourceObject object) {
    return markerName.isPresent() && markerName.get().matcher(object.name()).matches();
  }

  /**
   * Checks the files, waiting at most {@code source.settle} for those that changed within it.
   *
   * @throws IOException when the source cannot be read
   * @throws InterruptedException when the run is interrupted while it waits
   */
  Check check(List<SourceObject> objects) throws IOException, InterruptedException {
    Map<String, String> waiting = new LinkedHashMap<>();
    List<SourceObject> settled = settled(objects, waiting);
    List<SourceObject> ready = new ArrayList<>();
    for (SourceObject object : settled) {
      Optional<String> missing = missingMarker(object);
      if (missing.isPresent()) {
        waiting.put(
            object.key(),
            "waiting for its ready marker "
                + missing.get()
                + " (source.ready); it loads once the marker is there");
      } else {
        ready.add(object);
      }
    }
    return new Check(ready, waiting);
  }

  private List<SourceObject> settled(List<SourceObject> objects, Map<String, String> waiting)
      throws IOException, InterruptedException {
    if (settle.isZero()) {
      return objects;
    }
    Instant now = clock.instant();
    Instant settledBefore = now.minus(settle);
    Optional<Instant> youngest =
        objects.stream()
            .flatMap(object -> object.modified().stream())
            .filter(modified -> modified.isAfter(settledBefore))
            .max(Instant::compareTo);
    if (youngest.isEmpty()) {
      return objects;
    }
    long waitMs =
        Math.min(settle.toMillis(), Duration.between(now, youngest.get().plus(settle)).toMillis());
    if (waitMs > 0) {
      Thread.sleep(waitMs);
    }
    List<SourceObject> settled = new ArrayList<>();
    for (SourceObject object : objects) {
      if (object.modified().isEmpty() || !object.modified().get().isAfter(settledBefore)) {
        settled.add(object);
        continue;
      }
      SourceObject again;
      try {
        again = source.resolve(object.key());
      } catch (NoSuchFileException e) {
        waiting.put(object.key(), "removed or renamed while it settled; nothing was loaded");
        continue;
      }
      if (again.size() != object.size() || !again.modified().equals(object.modified())) {
        waiting.put(
            object.key(),
            "still being written: it changed within the last "
                + describe(settle)
                + " (source.settle); it loads once it has not changed for "
                + describe(settle));
      } else {
        settled.add(again);
      }
    }
    return settled;
  }

  /** The key of the object's marker when the source has no such file. */
  private Optional<String> missingMarker(SourceObject object) throws IOException {
    if (marker.isEmpty()) {
      return Optional.empty();
    }
    String name = object.name();
    String markerFile =
        marker.get().replace("{name}", name).replace("{stem}", PipelineRunner.stem(name));
    String folder = object.key().substring(0, object.key().length() - name.length());
    String key = folder + markerFile;
    try {
      source.resolve(key);
      return Optional.empty();
    } catch (NoSuchFileException e) {
      return Optional.of(key);
    }
  }

  private static String describe(Duration duration) {
    long ms = duration.toMillis();
    return ms % 1000 == 0 ? ms / 1000 + "s" : ms + "ms";
  }
}
