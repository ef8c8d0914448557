import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes an orders-like CSV: quoted fields with commas, doubled quotes and embedded newlines, empty
 * dates, decimals and timestamps. Usage: GenerateOrders ROWS FILE. Deterministic for a row count.
 */
public final class GenerateOrders {
  private static final String[] STATUS = {"placed", "paid", "shipped", "delivered", "returned"};
  private static final String[] NOTES = {
    "", "leave at door", "\"fragile\", handle with care", "gift, wrap it", "call first\nthen ring twice",
    "ring \"twice\"", "n/a"
  };

  public static void main(String[] args) throws IOException {
    long rows = Long.parseLong(args[0]);
    Path file = Path.of(args[1]);
    SplittableRandom random = new SplittableRandom(42);
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("order_id,customer_id,status,amount,quantity,ordered_at,shipped_on,note\n");
      StringBuilder line = new StringBuilder(160);
      for (long i = 1; i <= rows; i++) {
        line.setLength(0);
        int day = 1 + random.nextInt(28);
        int month = 1 + random.nextInt(12);
        line.append(i).append(",C").append(100000 + random.nextInt(900000)).append(',')
            .append(STATUS[random.nextInt(STATUS.length)]).append(',')
            .append(random.nextInt(100000)).append('.').append(10 + random.nextInt(90)).append(',')
            .append(1 + random.nextInt(20)).append(',')
            .append("2024-").append(month < 10 ? "0" : "").append(month).append('-')
            .append(day < 10 ? "0" : "").append(day).append(' ')
            .append(10 + random.nextInt(14)).append(':').append(10 + random.nextInt(50)).append(":00,");
        if (random.nextInt(4) != 0) {
          line.append("2024-").append(month < 10 ? "0" : "").append(month).append('-').append(day < 10 ? "0" : "").append(day);
        }
        line.append(',');
        String note = NOTES[random.nextInt(NOTES.length)];
        if (!note.isEmpty()) {
          line.append('"').append(note.replace("\"", "\"\"")).append('"');
        }
        line.append('\n');
        out.append(line);
      }
    }
  }
}
