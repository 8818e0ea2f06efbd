package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class KillRequestTest {

  @Test
  void aPlainKillEndsTheConnection() {
    assertThat(KillRequest.parse("KILL 42")).contains(new KillRequest(false, 42));
  }

  @Test
  void killConnectionEndsTheConnection() {
    assertThat(KillRequest.parse("kill connection 7;")).contains(new KillRequest(false, 7));
  }

  @Test
  void killQueryOnlyStopsTheStatement() {
    assertThat(KillRequest.parse("  Kill   Query\n12 ")).contains(new KillRequest(true, 12));
  }

  @ParameterizedTest
  @ValueSource(strings = {"KILL USER bob", "KILL HARD 5", "KILL QUERY ID 5", "SELECT 1; KILL 5", "KILL 5; SELECT 1", "KILL 99999999999999999999"})
  void formsThatAreNotAPlainKillOfOneConnectionAreNotParsed(String sql) {
    assertThat(KillRequest.parse(sql)).isEmpty();
  }

  @Test
  void theBackendStatementNamesTheBackendThread() {
    assertThat(new KillRequest(true, 3).toBackendStatement(981)).isEqualTo("KILL QUERY 981");
    assertThat(new KillRequest(false, 3).toBackendStatement(981)).isEqualTo("KILL CONNECTION 981");
  }
}
