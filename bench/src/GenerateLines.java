import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/**
 * Writes an order-lines CSV of 10 columns: ids, a code, a quantity, three decimals, two dates (the
 * second empty in 1 line of 5) and a region; no quotes. Usage: GenerateLines ROWS FILE.
 * Deterministic for a row count.
 */
public final class GenerateLines {
  private static final String[] REGIONS = {"north", "south", "east", "west", "central", "online"};

  public static void main(String[] args) throws IOException {
    long rows = Long.parseLong(args[0]);
    Path file = Path.of(args[1]);
    SplittableRandom random = new SplittableRandom(7);
    try (BufferedWriter out = Files.newBufferedWriter(file)) {
      out.write("line_id,order_id,sku,quantity,unit_price,discount,tax,ordered_on,shipped_on,region\n");
      StringBuilder line = new StringBuilder(120);
      for (long i = 1; i <= rows; i++) {
        line.setLength(0);
        int month = 1 + random.nextInt(12);
        int day = 1 + random.nextInt(28);
        String date = "2024-" + (month < 10 ? "0" : "") + month + '-' + (day < 10 ? "0" : "") + day;
        line.append(i).append(',').append(1 + i / 3).append(",SKU-").append(10000 + random.nextInt(90000))
            .append(',').append(1 + random.nextInt(50)).append(',')
            .append(random.nextInt(5000)).append('.').append(10 + random.nextInt(90)).append(",0.")
            .append(random.nextInt(4)).append(random.nextInt(10)).append(',')
            .append(random.nextInt(400)).append('.').append(10 + random.nextInt(90)).append(',')
            .append(date).append(',');
        if (random.nextInt(5) != 0) {
          int shipped = Math.min(28, day + random.nextInt(5));
          line.append("2024-").append(month < 10 ? "0" : "").append(month).append('-')
              .append(shipped < 10 ? "0" : "").append(shipped);
        }
        line.append(',').append(REGIONS[random.nextInt(REGIONS.length)]).append('\n');
        out.append(line);
      }
    }
  }
}
