package io.bucketload.aws;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.run.FileReport;
import io.bucketload.core.run.LoadListener;
import io.bucketload.core.run.Pipeline;
import io.bucketload.core.run.RunOptions;
import io.bucketload.core.run.RunReport;
import io.bucketload.core.spec.PipelineSpec;
import io.bucketload.core.spec.PipelineSpecReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A load into DynamoDB reuses its HTTP connections: a process that writes 800 batches with 16
 * requests in flight opens about as many connections as it has requests in flight, not one per
 * request past the JDK's five kept idle connections. Runs the load in a new JVM, because the JDK
 * reads its connection setting once per process; counts the connections at a relay in front of
 * DynamoDB Local.
 */
class ConnectionReuseIT {
  private static final int ROWS = 20_000;
  private static final int IN_FLIGHT = 16;

  @TempDir Path folder;

  @Test
  void aLoadOpensAboutAsManyConnectionsAsItHasRequestsInFlight() throws Exception {
    StringBuilder csv = new StringBuilder("id,name,amount\n");
    for (int i = 0; i < ROWS; i++) {
      csv.append(i)
          .append(",customer ")
          .append(i % 977)
          .append(',')
          .append(i % 1000)
          .append(".25\n");
    }
    Files.createDirectories(folder.resolve("in"));
    Files.writeString(folder.resolve("in/customers.csv"), csv);
    String table = AwsPipeline.table("reuse");
    try (ConnectionCountingRelay relay = new ConnectionCountingRelay(LocalAws.dynamoDbEndpoint())) {
      Path pipeline = folder.resolve("reuse.yaml");
      Files.writeString(
          pipeline,
          """
          name: reuse
          source: {path: %s, match: "*.csv"}
          schema:
            key: [id]
            columns:
              - {name: id, type: long}
              - {name: name, type: string}
              - {name: amount, type: "decimal(10,2)"}
          target: {type: dynamodb, endpoint: "%s", table: %s, mode: upsert, max_concurrency: %d}
          """
              .formatted(folder.resolve("in"), relay.endpoint(), table, IN_FLIGHT));

      List<String> command = new ArrayList<>();
      command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
      command.add("-cp");
      command.add(System.getProperty("java.class.path"));
      command.add("-Daws.accessKeyId=localTestKey");
      command.add("-Daws.secretAccessKey=localTestSecret");
      command.add("-Daws.region=us-east-1");
      command.add(LoadInNewProcess.class.getName());
      command.add(pipeline.toString());
      Process process =
          new ProcessBuilder(command).redirectErrorStream(true).directory(folder.toFile()).start();
      String output;
      try (InputStream in = process.getInputStream()) {
        output = new String(in.readAllBytes(), StandardCharsets.UTF_8);
      }
      assertThat(process.waitFor(120, TimeUnit.SECONDS)).as(output).isTrue();
      assertThat(process.exitValue()).as(output).isZero();
      assertThat(output).contains("loaded " + ROWS);
      // A scan reads at most 1 MB a page, about as much as the table holds: count every page.
      assertThat(
              LocalAws.dynamoDb()
                  .scanPaginator(request -> request.tableName(table).select("COUNT"))
                  .stream()
                  .mapToInt(page -> page.count())
                  .sum())
          .isEqualTo(ROWS);
      // The writer's requests in flight, one request of the ledger or the table's setup, and a
      // little room for a connection the server closed.
      assertThat(relay.connections()).as(output).isLessThanOrEqualTo(IN_FLIGHT + 4);
    }
  }

  /** Runs one pipeline in this process and prints how many rows it loaded. */
  static final class LoadInNewProcess {
    private LoadInNewProcess() {}

    public static void main(String[] args) throws IOException {
      PipelineSpec spec = new PipelineSpecReader().read(Path.of(args[0]));
      try (Pipeline pipeline =
          Pipeline.open(spec, LoadListener.NONE, false, List.of(), Clock.systemUTC())) {
        RunReport report = pipeline.run(List.of(), RunOptions.LOAD);
        long loaded = report.files().stream().mapToLong(FileReport::rowsLoaded).sum();
        System.out.println("loaded " + loaded + "; " + report.files());
      }
    }
  }

  /** Relays loopback TCP connections to a server and counts them. */
  static final class ConnectionCountingRelay implements AutoCloseable {
    private final ServerSocket server;
    private final URI upstream;
    private final AtomicInteger connections = new AtomicInteger();

    ConnectionCountingRelay(URI upstream) throws IOException {
      this.upstream = upstream;
      this.server = new ServerSocket(0, 256, InetAddress.getLoopbackAddress());
      daemon(this::accept);
    }

    URI endpoint() {
      return URI.create("http://127.0.0.1:" + server.getLocalPort());
    }

    int connections() {
      return connections.get();
    }

    private void accept() {
      while (!server.isClosed()) {
        try {
          Socket client = server.accept();
          connections.incrementAndGet();
          Socket target = new Socket(upstream.getHost(), upstream.getPort());
          daemon(() -> pump(client, target));
          daemon(() -> pump(target, client));
        } catch (IOException e) {
          return;
        }
      }
    }

    private static void pump(Socket from, Socket to) {
      try (InputStream in = from.getInputStream();
          OutputStream out = to.getOutputStream()) {
        byte[] buffer = new byte[16384];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
          out.write(buffer, 0, n);
          out.flush();
        }
      } catch (IOException e) {
        // Either side closed: the other direction ends too.
      } finally {
        close(from);
        close(to);
      }
    }

    private static void close(Socket socket) {
      try {
        socket.close();
      } catch (IOException e) {
        // Already closed.
      }
    }

    private static void daemon(Runnable task) {
      Thread thread = new Thread(task, "connection-relay");
      thread.setDaemon(true);
      thread.start();
    }

    @Override
    public void close() throws IOException {
      server.close();
    }
  }
}
