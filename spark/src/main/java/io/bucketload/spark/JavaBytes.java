package io.bucketload.spark;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import java.io.UncheckedIOException;

/**
 * Task results as Java serialization's bytes, whatever {@code spark.serializer} a deployment sets:
 * the outcomes tasks hand back (rows, rejects, reports) keep their own serialized form, which other
 * serializers (Kryo) would not honour.
 */
final class JavaBytes {
  private JavaBytes() {}

  /** {@code value} serialized. */
  static byte[] of(Serializable value) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(value);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serialize a task's result", e);
    }
    return bytes.toByteArray();
  }

  /** The value {@link #of} serialized, as a {@code type}. */
  static <T> T read(byte[] bytes, Class<T> type) {
    try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
      return type.cast(in.readObject());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read a task's result", e);
    } catch (ClassNotFoundException e) {
      throw new IllegalStateException("cannot read a task's result", e);
    }
  }
}
