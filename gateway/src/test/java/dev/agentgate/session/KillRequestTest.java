package dev.agentgate.session;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class KillRequestTest {

    @Test
    void theBackendStatementNamesTheBackendThread() {
        assertThat(new KillRequest(true, 3).toBackendStatement(981)).isEqualTo("KILL QUERY 981");
        assertThat(new KillRequest(false, 3).toBackendStatement(981)).isEqualTo("KILL CONNECTION 981");
    }
}
