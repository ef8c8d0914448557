package io.bucketload.aws;

import io.bucketload.core.source.FileBytes;
import io.bucketload.core.source.FileVersion;
import io.bucketload.core.source.Source;
import io.bucketload.core.source.SourceObject;
import io.bucketload.core.source.TemporaryNames;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.FileSystems;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A bucket prefix as the landing zone. Keys are relative to the prefix; {@code match} is a glob on
 * them. A file's version is its object's ETag, and the bytes read are always those of the object
 * identified (by version id in a versioned bucket, else by ETag): an object replaced while it loads
 * fails the load rather than mixing two versions. Objects are streamed, never held in memory or on
 * disk. Thread-safe.
 */
public final class S3Source implements Source {
  private final S3Client client;
  private final S3Location location;
  private final String match;
  private final PathMatcher matcher;

  /**
   * The versions identified lately, by key, with their sizes: what {@link #open}, {@link #bytes}
   * and {@link #copy} read.
   */
  private final Map<String, Identified> identified =
      Collections.synchronizedMap(
          new LinkedHashMap<>(64, 0.75f, true) {
            private static final long serialVersionUID = 1L;

            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Identified> eldest) {
              return size() > 1024;
            }
          });

  /**
   * Creates the source.
   *
   * @param client the S3 client; closed with the source
   * @param location the bucket and prefix
   * @param match the glob on keys relative to the prefix
   */
  public S3Source(S3Client client, S3Location location, String match) {
    this.client = client;
    this.location = location;
    this.match = match;
    this.matcher = FileSystems.getDefault().getPathMatcher("glob:" + match);
  }

  /** The bucket and prefix. */
  public S3Location location() {
    return location;
  }

  /** Whether a key relative to the prefix matches the pipeline's {@code match}. */
  public boolean matches(String relativeKey) {
    return !relativeKey.isEmpty()
        && !relativeKey.endsWith("/")
        && matcher.matches(path(relativeKey));
  }

  private static Path path(String key) {
    return Path.of(key.replace('\0', '_'));
  }

  @Override
  public boolean remote() {
    return true;
  }

  @Override
  public String describe() {
    return location + " (" + match + ")";
  }

  /**
   * {@inheritDoc}
   *
   * <p>A name is an {@code s3://} URI, a full key or a key relative to the prefix. Objects in
   * hidden folders or files (a part starting with '.') are not the source's.
   */
  @Override
  public boolean owns(String name) {
    String key;
    if (name.startsWith("s3://")) {
      String bucketAndKey = name.substring("s3://".length());
      int slash = bucketAndKey.indexOf('/');
      if (slash < 0 || !bucketAndKey.substring(0, slash).equals(location.bucket())) {
        return false;
      }
      key = bucketAndKey.substring(slash + 1);
    } else {
      key = name.startsWith(location.prefix()) ? name : location.keyOf(name);
    }
    if (!key.startsWith(location.prefix())) {
      return false;
    }
    String relative = key.substring(location.prefix().length());
    return matches(relative) && !hidden(relative);
  }

  @Override
  public List<SourceObject> list() throws IOException {
    List<SourceObject> objects = new ArrayList<>();
    try {
      for (S3Object object :
          client
              .listObjectsV2Paginator(
                  request -> request.bucket(location.bucket()).prefix(location.prefix()))
              .contents()) {
        String relative = object.key().substring(location.prefix().length());
        if (matches(relative) && !hidden(relative)) {
          objects.add(objectFor(object.key(), object.size()));
        }
      }
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot list " + location, e), e);
    }
    objects.sort(Comparator.comparing(SourceObject::key));
    return objects;
  }

  @Override
  public List<String> sampleKeys(int limit) throws IOException {
    try {
      List<String> keys = new ArrayList<>();
      for (S3Object object :
          client
              .listObjectsV2(
                  request ->
                      request
                          .bucket(location.bucket())
                          .prefix(location.prefix())
                          .maxKeys(Math.max(limit * 4, 20)))
              .contents()) {
        String relative = object.key().substring(location.prefix().length());
        if (!relative.isEmpty() && !relative.endsWith("/") && !hidden(relative)) {
          keys.add(relative);
        }
      }
      return keys.subList(0, Math.min(limit, keys.size()));
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot list " + location, e), e);
    }
  }

  /** Whether a key is hidden or temporary in any of its parts (a file still being written). */
  private static boolean hidden(String relative) {
    return TemporaryNames.inKey(relative);
  }

  private SourceObject objectFor(String fullKey, long size) {
    return new SourceObject(
        fullKey.substring(location.prefix().length()), location.uriOf(fullKey), size);
  }

  /**
   * {@inheritDoc}
   *
   * <p>A name is an {@code s3://} URI in this bucket, a full key, or a key relative to the prefix;
   * it must be under the prefix.
   */
  @Override
  public SourceObject resolve(String name) throws IOException {
    String fullKey = fullKeyOf(name);
    HeadObjectResponse head = head(fullKey, name);
    return objectFor(fullKey, head.contentLength());
  }

  private String fullKeyOf(String name) throws NoSuchFileException {
    String key = name;
    if (name.startsWith("s3://")) {
      String bucketAndKey = name.substring("s3://".length());
      int slash = bucketAndKey.indexOf('/');
      String bucket = slash < 0 ? bucketAndKey : bucketAndKey.substring(0, slash);
      if (!bucket.equals(location.bucket())) {
        throw new NoSuchFileException(name, null, "not in bucket " + location.bucket());
      }
      key = slash < 0 ? "" : bucketAndKey.substring(slash + 1);
    } else if (!key.startsWith(location.prefix())) {
      key = location.keyOf(key);
    }
    if (!key.startsWith(location.prefix()) || key.length() == location.prefix().length()) {
      throw new NoSuchFileException(name, null, "not an object under " + location);
    }
    return key;
  }

  private HeadObjectResponse head(String fullKey, String name) throws IOException {
    try {
      return client.headObject(request -> request.bucket(location.bucket()).key(fullKey));
    } catch (NoSuchKeyException e) {
      throw new NoSuchFileException(name, null, "no such object: " + location.uriOf(fullKey));
    } catch (S3Exception e) {
      if (e.statusCode() == 404) {
        throw new NoSuchFileException(name, null, "no such object: " + location.uriOf(fullKey));
      }
      throw new IOException(S3Errors.describe("cannot read " + location.uriOf(fullKey), e), e);
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot read " + location.uriOf(fullKey), e), e);
    }
  }

  @Override
  public FileVersion identify(SourceObject object) throws IOException {
    Identified found = identifyVersion(object);
    return new FileVersion(object.key(), found.size(), found.version().identity());
  }

  /** A version identified, and its size. */
  private record Identified(S3Version version, long size) {}

  private Identified identifyVersion(SourceObject object) throws IOException {
    HeadObjectResponse head = head(location.keyOf(object.key()), object.key());
    Identified found =
        new Identified(S3Version.of(head.versionId(), head.eTag()), head.contentLength());
    identified.put(object.key(), found);
    return found;
  }

  /** The version of the object last identified, identified now when none was. */
  private Identified identified(SourceObject object) throws IOException {
    Identified found = identified.get(object.key());
    return found != null ? found : identifyVersion(object);
  }

  @Override
  public InputStream open(SourceObject object) throws IOException {
    return new S3ObjectStream(
        client,
        location.bucket(),
        location.keyOf(object.key()),
        identified(object).version(),
        object.location());
  }

  /**
   * {@inheritDoc} Ranged {@code GET}s of the version {@code pin} names, else of the version last
   * identified (identified now when none was): a replaced object fails the read rather than mix
   * versions.
   */
  @Override
  public Optional<FileBytes> bytes(SourceObject object, String pin) throws IOException {
    S3Version version;
    long size;
    if (pin.isEmpty()) {
      // The size of the version identified, not the listing's: a larger object put meanwhile
      // would otherwise be read short.
      Identified found = identified(object);
      version = found.version();
      size = found.size();
    } else if (object.size() < 0) {
      throw new IllegalArgumentException(
          object.location() + ": the size of a pinned version must be given");
    } else {
      version = S3Version.ofPin(pin);
      size = object.size();
    }
    String fullKey = location.keyOf(object.key());
    return Optional.of(
        new S3ObjectBytes(client, location.bucket(), fullKey, version, size, object.location()));
  }

  /**
   * Copies a version of one of this source's objects to another key, on the server side, from the
   * version that was identified.
   *
   * @param client the client of the destination store
   * @param object the object
   * @param bucket the destination bucket
   * @param key the destination key
   */
  void copyTo(S3Client client, SourceObject object, String bucket, String key) throws IOException {
    String from = location.keyOf(object.key());
    Identified found = identified.get(object.key());
    S3Version version = found == null ? null : found.version();
    try {
      client.copyObject(
          request -> {
            request
                .sourceBucket(location.bucket())
                .sourceKey(from)
                .destinationBucket(bucket)
                .destinationKey(key);
            if (version != null && version.versionId().isPresent()) {
              request.sourceVersionId(version.versionId().get());
            }
          });
    } catch (SdkException e) {
      throw new IOException(S3Errors.describe("cannot copy to s3://" + bucket + "/" + key, e), e);
    }
  }

  /** {@inheritDoc} Closes the S3 client. */
  @Override
  public void close() {
    client.close();
  }
}
