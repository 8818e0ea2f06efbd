package dev.agentgate.approval;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.FreePorts;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/**
 * Two gateways sharing a MariaDB state database, and without the state database no session is let in.
 */
class SharedStateTest extends SharedStateContract {

    private MariaDbServer mariadb;

    @Override
    AutoCloseable startStateServer(Path directory) throws Exception {
        mariadb = MariaDbServer.start(directory);
        mariadb.sql("CREATE DATABASE agentgate_state; CREATE USER 'gw'@'%' IDENTIFIED BY 'gw-secret';"
                + " GRANT ALL ON agentgate_state.* TO 'gw'@'%';");
        return mariadb;
    }

    @Override
    StateConfig state() {
        return stateAt(mariadb.port());
    }

    @Override
    StateConfig createDatabase(String name) throws Exception {
        mariadb.sql("CREATE DATABASE " + name + "; GRANT ALL ON " + name + ".* TO 'gw'@'%';");
        return new StateConfig("jdbc:mariadb://127.0.0.1:" + mariadb.port() + "/" + name, "gw", "gw-secret", 2);
    }

    private static StateConfig stateAt(int port) {
        return new StateConfig("jdbc:mariadb://127.0.0.1:" + port + "/agentgate_state", "gw", "gw-secret", 2);
    }

    @Test
    void withoutItsSharedStateDatabaseAGatewayRefusesSessionsSayingWhyAndRunsNothing() throws Exception {
        try (ApprovalGatewayFixture gateway = gateway("alone", stateAt(FreePorts.next()))) {
            // a replica of a fleet gives out connection ids from blocks claimed in the state database
            assertThatThrownBy(() -> gateway.connect("agent-7"))
                    .hasMessageContaining("no connection id can be given out yet")
                    .hasMessageContaining("state database did not answer");
        }
        assertThat(target.sql("SELECT COUNT(*) FROM shop.orders WHERE id = 2")).isEqualTo("1");
    }
}
