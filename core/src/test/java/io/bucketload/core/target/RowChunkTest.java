package io.bucketload.core.target;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class RowChunkTest {
  private static int rowsUntilFull(RowChunk chunk, int width) {
    int added = 0;
    boolean full = false;
    while (!full) {
      full = chunk.add(new Object[width], added + 2L);
      added++;
    }
    return added;
  }

  @Test
  void aNarrowFilesChunkFillsToItsRowCapacity() {
    assertThat(rowsUntilFull(new RowChunk(2048), 8)).isEqualTo(2048);
    assertThat(rowsUntilFull(new RowChunk(2048), 64)).isEqualTo(2048);
  }

  @Test
  void aWideFilesChunkIsFullAtTheValueLimit() {
    RowChunk chunk = new RowChunk(2048);
    assertThat(rowsUntilFull(chunk, 1000)).isEqualTo(132);
    assertThat(chunk.size()).isEqualTo(132);
    assertThat(chunk.line(131)).isEqualTo(133);
    assertThat(rowsUntilFull(new RowChunk(2048), 200_000)).isEqualTo(1);
  }

  @Test
  void aChunkFullByItsValuesStillTakesRowsUpToItsCapacity() {
    RowChunk chunk = new RowChunk(3);
    assertThat(chunk.add(new Object[RowChunk.MAX_VALUES], 2)).isTrue();
    assertThat(chunk.add(new Object[1], 3)).isTrue();
    assertThat(chunk.size()).isEqualTo(2);
    assertThat(chunk.row(1)).hasSize(1);
  }
}
