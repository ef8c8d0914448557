package io.bucketload.aws;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * {@code moto_server} (Python moto, installed on every build machine) on a free loopback port, for
 * the AWS services the other stand-ins do not offer (SNS). Started once per test JVM, stopped when
 * it exits.
 */
public final class MotoServer {
  private static URI endpoint;

  private MotoServer() {}

  /** The server's endpoint, starting it on first use. */
  public static synchronized URI endpoint() {
    if (endpoint == null) {
      endpoint = start();
    }
    return endpoint;
  }

  private static URI start() {
    int port = LocalAws.freePort();
    try {
      Path log = Files.createTempFile("moto", ".log");
      Process process =
          new ProcessBuilder("moto_server", "-H", "127.0.0.1", "-p", Integer.toString(port))
              .redirectErrorStream(true)
              .redirectOutput(log.toFile())
              .start();
      Runtime.getRuntime().addShutdownHook(new Thread(process::destroy));
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (!answers(port)) {
        if (!process.isAlive()) {
          throw new IllegalStateException("moto_server exited: " + Files.readString(log));
        }
        if (System.nanoTime() > deadline) {
          process.destroy();
          throw new IllegalStateException("moto_server did not answer within 60 s");
        }
        process.waitFor(100, TimeUnit.MILLISECONDS);
      }
      return URI.create("http://127.0.0.1:" + port);
    } catch (IOException e) {
      throw new IllegalStateException("cannot start moto_server (is Python moto installed?)", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while starting moto_server", e);
    }
  }

  private static boolean answers(int port) {
    try (Socket socket = new Socket()) {
      socket.connect(new InetSocketAddress("127.0.0.1", port), 200);
      return true;
    } catch (IOException e) {
      return false;
    }
  }
}
