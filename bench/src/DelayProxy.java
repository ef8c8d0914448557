import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * A TCP proxy on loopback that delays every byte sent to the server by a fixed time, as a delay
 * line (bytes keep their order and spacing), so that each request/response round trip takes at
 * least that much longer: a region's round trip in front of DynamoDB Local. Answers pass straight
 * back. Usage: DelayProxy LISTEN_PORT TARGET_PORT DELAY_MS (runs until killed).
 */
public final class DelayProxy {
  private record Chunk(byte[] bytes, long due) {}

  private static final Chunk END = new Chunk(new byte[0], 0);

  public static void main(String[] args) throws IOException {
    int listen = Integer.parseInt(args[0]);
    int target = Integer.parseInt(args[1]);
    long delayNanos = TimeUnit.MILLISECONDS.toNanos(Long.parseLong(args[2]));
    try (ServerSocket server = new ServerSocket(listen, 256, InetAddress.getLoopbackAddress())) {
      while (true) {
        Socket client = server.accept();
        Socket upstream = new Socket(InetAddress.getLoopbackAddress(), target);
        client.setTcpNoDelay(true);
        upstream.setTcpNoDelay(true);
        BlockingQueue<Chunk> line = new LinkedBlockingQueue<>();
        start(() -> read(client, line, delayNanos));
        start(() -> deliver(line, upstream));
        start(() -> copy(upstream, client));
      }
    }
  }

  private static void start(Runnable task) {
    Thread thread = new Thread(task);
    thread.setDaemon(true);
    thread.start();
  }

  /** Reads what the client sends, stamping each chunk with the time it is due at the server. */
  private static void read(Socket client, BlockingQueue<Chunk> line, long delayNanos) {
    byte[] buffer = new byte[65536];
    try (InputStream in = client.getInputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        line.add(new Chunk(Arrays.copyOf(buffer, n), System.nanoTime() + delayNanos));
      }
    } catch (IOException e) {
      // The client went away: the line ends.
    }
    line.add(END);
  }

  /** Sends each chunk to the server when it is due. */
  private static void deliver(BlockingQueue<Chunk> line, Socket upstream) {
    try (OutputStream out = upstream.getOutputStream()) {
      for (Chunk chunk = line.take(); chunk != END; chunk = line.take()) {
        for (long wait = chunk.due() - System.nanoTime(); wait > 0; wait = chunk.due() - System.nanoTime()) {
          LockSupport.parkNanos(wait);
        }
        out.write(chunk.bytes());
        out.flush();
      }
    } catch (IOException | InterruptedException e) {
      // The server went away.
    }
    close(upstream);
  }

  /** Passes the server's answers straight back. */
  private static void copy(Socket upstream, Socket client) {
    byte[] buffer = new byte[65536];
    try (InputStream in = upstream.getInputStream();
        OutputStream out = client.getOutputStream()) {
      for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
        out.write(buffer, 0, n);
        out.flush();
      }
    } catch (IOException e) {
      // Either side went away.
    }
    close(client);
  }

  private static void close(Socket socket) {
    try {
      socket.close();
    } catch (IOException e) {
      // Already closed.
    }
  }
}
