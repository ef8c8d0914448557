package io.bucketload.core.run;

import static org.assertj.core.api.Assertions.assertThat;

import io.bucketload.core.error.TargetException;
import java.sql.SQLException;
import org.junit.jupiter.api.Test;

class TransactionConflictsTest {
  @Test
  void aDeadlockOrASerializationFailureAmongTheCausesIsAConflict() {
    SQLException deadlock = new SQLException("ERROR: deadlock detected", "40P01");
    SQLException serialization = new SQLException("could not serialize access", "40001");
    assertThat(TransactionConflicts.brokeOff(deadlock)).isTrue();
    assertThat(
            TransactionConflicts.brokeOff(
                new RuntimeException(TargetException.system("loading a.csv", serialization, true))))
        .isTrue();
  }

  @Test
  void otherFailuresAreNot() {
    assertThat(TransactionConflicts.brokeOff(new SQLException("connection lost", "08006")))
        .isFalse();
    assertThat(TransactionConflicts.brokeOff(new SQLException("no state"))).isFalse();
    assertThat(TransactionConflicts.brokeOff(new IllegalStateException("not SQL"))).isFalse();
    assertThat(TransactionConflicts.brokeOff(null)).isFalse();
  }

  @Test
  void aChainOfCausesThatLoopsEnds() {
    RuntimeException first = new RuntimeException("first");
    RuntimeException second = new RuntimeException("second", first);
    first.initCause(second);
    assertThat(TransactionConflicts.brokeOff(first)).isFalse();
  }
}
