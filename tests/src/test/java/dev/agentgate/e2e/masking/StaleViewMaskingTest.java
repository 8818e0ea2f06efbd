package dev.agentgate.e2e.masking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.MariaDbServer;
import dev.agentgate.e2e.env.OpaSidecar;
import dev.agentgate.e2e.policy.Identities;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A view redefined directly on the server (not through the gateway, so its catalog cache is not told) right after
 * the gateway read it: the agent's next read of the view, as text or as another EXECUTE of a statement prepared
 * before the change, gets no PII in clear.
 */
class StaleViewMaskingTest {

    @TempDir
    static Path policyDirectory;

    @RegisterExtension
    @Order(1)
    static final OpaSidecar opa = new OpaSidecar();

    @RegisterExtension
    @Order(2)
    static final GatewayExtension gateway = MaskingGateway.withShippedPolicy(opa, () -> policyDirectory);

    private static final String HARMLESS =
            "CREATE OR REPLACE VIEW shop.nameplate AS SELECT id, name AS label FROM shop.customers";
    private static final String QUERY = "SELECT label FROM nameplate WHERE id = 1";
    private static final String PREPARED = "SELECT label FROM nameplate WHERE id = ?";

    @BeforeEach
    void viewOfNamesOnly() throws SQLException {
        PiiShop.use(PiiShop.Variant.values()[0]);
        asAdmin(HARMLESS);
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONCAT(ssn, ' ', email)", "ssn", "email"})
    void aTextQueryOfTheViewReadsItsNewDefinition(String pii) throws SQLException {
        try (Connection agent = agent(JdbcClient.CONNECTOR_J)) {
            assertThat(queried(agent)).as("the harmless view in clear").hasSize(1);
            asAdmin("CREATE OR REPLACE VIEW shop.nameplate AS SELECT id, " + pii + " AS label FROM shop.customers");

            List<String> received = queried(agent);

            assertThat(received).isNotEmpty();
            assertThat(PiiShop.leaksIn(String.join("\n", received)))
                    .as("clear PII in %s", received)
                    .isEmpty();
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"CONCAT(ssn, ' ', email)", "ssn", "email"})
    void anExecuteOfAStatementPreparedBeforeTheChangeIsRefusedAndAPrepareAfterItMasks(String pii) throws SQLException {
        try (Connection agent = agent(JdbcClient.CONNECTOR_J, "useServerPrepStmts=true", "cachePrepStmts=false");
                PreparedStatement statement = agent.prepareStatement(PREPARED)) {
            assertThat(executed(statement)).as("the harmless view in clear").hasSize(1);
            asAdmin("CREATE OR REPLACE VIEW shop.nameplate AS SELECT id, " + pii + " AS label FROM shop.customers");

            assertThatThrownBy(() -> executed(statement))
                    .isInstanceOf(SQLException.class)
                    .hasMessageContaining(
                            "view shop.nameplate was redefined since this statement was prepared; prepare it again")
                    .satisfies(refused ->
                            assertThat(PiiShop.leaksIn(refused.getMessage())).isEmpty());
            try (PreparedStatement again = agent.prepareStatement(PREPARED)) {
                String received = String.join("\n", executed(again));
                assertThat(received).isNotEmpty();
                assertThat(PiiShop.leaksIn(received))
                        .as("clear PII in %s", received)
                        .isEmpty();
            }
        }
    }

    private static Connection agent(JdbcClient client, String... options) throws SQLException {
        return gateway.connectWithToken(client, new Identities(gateway.issuer()).agent(), options);
    }

    private static List<String> queried(Connection agent) throws SQLException {
        try (Statement statement = agent.createStatement();
                ResultSet rs = statement.executeQuery(QUERY)) {
            return values(rs);
        }
    }

    private static List<String> executed(PreparedStatement statement) throws SQLException {
        statement.setInt(1, 1);
        try (ResultSet rs = statement.executeQuery()) {
            return values(rs);
        }
    }

    private static List<String> values(ResultSet rs) throws SQLException {
        List<String> values = new ArrayList<>();
        while (rs.next()) {
            values.add(rs.getString(1));
        }
        return values;
    }

    private static void asAdmin(String sql) throws SQLException {
        try (Connection admin = MariaDbServer.shared().connectAsAdmin();
                Statement statement = admin.createStatement()) {
            statement.execute(sql);
        }
    }
}
