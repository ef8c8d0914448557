package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.csv.MalformedCsvException;
import io.bucketload.core.csv.RawRow;
import io.bucketload.core.csv.RecordSplitter;
import io.bucketload.core.schema.RowRejected;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.math.BigDecimal;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** A part's outcome survives serialization whole, as it travels from a cluster's executor. */
class PartRowsTest {
  private static PartRows roundTrip(PartRows rows) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(rows);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (PartRows) in.readObject();
    }
  }

  @Test
  void rowsRejectsCountsAndTheFailureTravelWhole() throws Exception {
    RecordSplitter.Part part = new RecordSplitter.Part(3, 100, 200, 41, false, false);
    PartRows rows = new PartRows(part);
    Object[] typed = {
      7L,
      "text, with \"quotes\"\nand a break",
      new BigDecimal("12.50"),
      LocalDate.of(2024, 2, 29),
      LocalDateTime.of(1999, 12, 31, 23, 59, 59, 123_456_000),
      true,
      1.5e-300,
      42,
      null
    };
    rows.accepted(typed, 42);
    rows.filtered();
    rows.rejected(
        new RawRow(
            44,
            new String[] {"x", "y"},
            RawRow.Oversize.NONE,
            Optional.of(new RawRow.Defect(1, "y\"", "a quote inside an unquoted field"))),
        new RowRejected(
            List.of(
                new RowRejected.Problem("id", "x", "not a whole number"),
                new RowRejected.Problem("name", "y\"", "a quote inside an unquoted field"))));
    rows.accepted(new Object[] {8L, "b", null, null, null, null, null, null, null}, 45);
    rows.failed(
        new MalformedCsvException("f.csv line 46: a quoted field never ends", 46, null), true);

    PartRows back = roundTrip(rows);

    assertThat(back.part()).isEqualTo(part);
    assertThat(back.read()).isEqualTo(4);
    assertThat(back.filteredCount()).isEqualTo(1);
    assertThat(back.chunks()).hasSize(1);
    assertThat(back.chunks().get(0).size()).isEqualTo(2);
    assertThat(back.chunks().get(0).row(0)).containsExactly(typed);
    assertThat(back.chunks().get(0).line(0)).isEqualTo(42);
    assertThat(back.chunks().get(0).line(1)).isEqualTo(45);
    assertThat(back.rejects()).hasSize(1);
    PartRows.Reject reject = back.rejects().get(0);
    assertThat(reject.row().line()).isEqualTo(44);
    assertThat(reject.row().fields()).containsExactly("x", "y");
    assertThat(reject.row().defect())
        .contains(new RawRow.Defect(1, "y\"", "a quote inside an unquoted field"));
    assertThat(reject.rejected().problems())
        .containsExactly(
            new RowRejected.Problem("id", "x", "not a whole number"),
            new RowRejected.Problem("name", "y\"", "a quote inside an unquoted field"));
    assertThat(back.failure()).isPresent();
    assertThat(back.failure().get())
        .isInstanceOf(MalformedCsvException.class)
        .hasMessage("f.csv line 46: a quoted field never ends");
    assertThat(((MalformedCsvException) back.failure().get()).line()).isEqualTo(46);
    assertThat(back.inDoubt()).isTrue();
  }

  @Test
  void anOversizeRecordWithoutFieldsTravels() throws Exception {
    PartRows rows = new PartRows(new RecordSplitter.Part(0, 0, 10, 0, true, false));
    rows.rejected(
        new RawRow(2, new String[0], RawRow.Oversize.RECORD),
        new RowRejected("", "", "the record is longer than format.max_record_chars (10)"));

    PartRows back = roundTrip(rows);

    assertThat(back.rejects().get(0).row().oversize()).isEqualTo(RawRow.Oversize.RECORD);
    assertThat(back.rejects().get(0).row().defect()).isEmpty();
    assertThat(back.failure()).isEmpty();
    assertThat(back.inDoubt()).isFalse();
  }
}
