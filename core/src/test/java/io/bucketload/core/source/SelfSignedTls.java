package io.bucketload.core.source;

import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A self-signed certificate for {@code 127.0.0.1}, made with the JDK's {@code keytool}, and an
 * HTTPS server on loopback that presents it: what a private endpoint whose CA a pipeline gives in
 * {@code ca_file} looks like.
 */
public final class SelfSignedTls {
  private static final String PASSWORD = "changeit";

  private final Path caFile;
  private final SSLContext context;

  private SelfSignedTls(Path caFile, SSLContext context) {
    this.caFile = caFile;
    this.context = context;
  }

  /**
   * Makes a key pair and its certificate in {@code dir}: {@code server.p12} and the certificate as
   * {@code ca.pem}.
   */
  public static SelfSignedTls create(Path dir) throws IOException, InterruptedException {
    Path keystore = dir.resolve("server.p12");
    Path ca = dir.resolve("ca.pem");
    keytool(
        "-genkeypair",
        "-keyalg",
        "RSA",
        "-keysize",
        "2048",
        "-alias",
        "server",
        "-dname",
        "CN=127.0.0.1",
        "-ext",
        "SAN=ip:127.0.0.1",
        "-validity",
        "2",
        "-storetype",
        "PKCS12",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-keypass",
        PASSWORD);
    keytool(
        "-exportcert",
        "-rfc",
        "-alias",
        "server",
        "-keystore",
        keystore.toString(),
        "-storepass",
        PASSWORD,
        "-file",
        ca.toString());
    try (InputStream in = Files.newInputStream(keystore)) {
      KeyStore store = KeyStore.getInstance("PKCS12");
      store.load(in, PASSWORD.toCharArray());
      KeyManagerFactory keys =
          KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
      keys.init(store, PASSWORD.toCharArray());
      SSLContext tls = SSLContext.getInstance("TLS");
      tls.init(keys.getKeyManagers(), null, null);
      return new SelfSignedTls(ca, tls);
    } catch (GeneralSecurityException e) {
      throw new IOException("cannot load the test key store", e);
    }
  }

  /** The certificate, PEM-encoded, to trust through {@code ca_file}. */
  public Path caFile() {
    return caFile;
  }

  /** A new HTTPS server on a free loopback port, not started. */
  public HttpsServer server() throws IOException {
    HttpsServer https = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    https.setHttpsConfigurator(new HttpsConfigurator(context));
    return https;
  }

  private static void keytool(String... arguments) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>();
    command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS) || process.exitValue() != 0) {
      process.destroyForcibly();
      throw new IOException("keytool failed: " + output);
    }
  }
}
