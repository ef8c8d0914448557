package io.bucketload.core.source;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The files of a set whose inputs are URLs ({@code inputs[].url}): one {@link HttpSource} per
 * input, each file keyed by the file name at the end of its URL. Thread-safe.
 */
public final class UrlSetSource implements Source {
  private final Map<String, HttpSource> byKey = new LinkedHashMap<>();

  /**
   * Creates the source.
   *
   * @param sources one per URL
   */
  public UrlSetSource(List<HttpSource> sources) {
    for (HttpSource source : sources) {
      byKey.put(source.list().get(0).key(), source);
    }
  }

  /** {@inheritDoc} False: the URLs are listed without asking their servers. */
  @Override
  public boolean listsWhatExists() {
    return false;
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String describe() {
    return String.join(", ", byKey.values().stream().map(HttpSource::describe).toList());
  }

  @Override
  public List<SourceObject> list() {
    List<SourceObject> objects = new ArrayList<>();
    byKey.values().forEach(source -> objects.addAll(source.list()));
    return objects;
  }

  @Override
  public boolean owns(String name) {
    return byKey.values().stream().anyMatch(source -> source.owns(name));
  }

  @Override
  public SourceObject resolve(String name) throws IOException {
    for (HttpSource source : byKey.values()) {
      if (source.owns(name)) {
        return source.resolve(name);
      }
    }
    throw new NoSuchFileException(name, null, "not one of the inputs' URLs: " + describe());
  }

  /** {@inheritDoc} The version tag its input's server gives (a HEAD). */
  @Override
  public java.util.Optional<String> versionTag(SourceObject object) throws IOException {
    return of(object).versionTag(object);
  }

  private HttpSource of(SourceObject object) throws IOException {
    HttpSource source = byKey.get(object.key());
    if (source == null) {
      throw new NoSuchFileException(object.key(), null, "not one of the inputs' URLs");
    }
    return source;
  }

  @Override
  public FileVersion identify(SourceObject object) throws IOException {
    return of(object).identify(object);
  }

  @Override
  public InputStream open(SourceObject object) throws IOException {
    return of(object).open(object);
  }

  @Override
  public void close() {
    byKey.values().forEach(HttpSource::close);
  }
}
