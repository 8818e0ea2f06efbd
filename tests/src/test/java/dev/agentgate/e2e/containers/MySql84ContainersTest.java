package dev.agentgate.e2e.containers;

import static dev.agentgate.e2e.env.SqlErrors.assertSqlError;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayConfigBuilder;
import dev.agentgate.e2e.env.GatewayProcess;
import dev.agentgate.e2e.env.JdbcClient;
import dev.agentgate.e2e.env.OidcIssuer;
import dev.agentgate.e2e.env.ShippedPolicy;
import dev.agentgate.e2e.env.Sql;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.MySQLContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

/**
 * The gateway in front of MySQL 8.4 and the OPA image, both as containers: the deployment most teams run,
 * with the shipped policy. Runs where a Docker engine is reachable; elsewhere JUnit reports the class skipped
 * ("disabledWithoutDocker is true and Docker is not available"), and the MariaDB suites cover the same paths.
 */
@Testcontainers(disabledWithoutDocker = true)
class MySql84ContainersTest {

    private static final String TARGET = "shop";

    @Container
    static final MySQLContainer<?> mysql = new MySQLContainer<>(DockerImageName.parse("mysql:8.4"))
            .withDatabaseName("shop")
            .withUsername("agentgate_svc")
            .withPassword("svc-password-for-tests")
            .withInitScript("containers/shop.sql");

    private static OidcIssuer issuer;
    private static GenericContainer<?> opa;
    private static GatewayProcess gateway;

    @BeforeAll
    static void startOpaAndTheGateway(@TempDir Path policyDirectory) {
        issuer = OidcIssuer.start();
        opa = new GenericContainer<>(DockerImageName.parse("openpolicyagent/opa:1.22.2"))
                .withExposedPorts(8181)
                .withCommand("run", "--server", "--addr=0.0.0.0:8181", "/policy")
                .waitingFor(Wait.forHttp("/health").forPort(8181));
        for (Path file : ShippedPolicy.files(issuer, policyDirectory)) {
            opa.withCopyFileToContainer(MountableFile.forHostPath(file), "/policy/" + file.getFileName());
        }
        opa.start();
        gateway = GatewayProcess.builder()
                .issuer(issuer)
                .opaPolicy("http://" + opa.getHost() + ":" + opa.getMappedPort(8181))
                .policySetting("timeout", "5s")
                .target(new GatewayConfigBuilder.Target(
                        TARGET,
                        mysql.getHost(),
                        mysql.getFirstMappedPort(),
                        "agentgate_svc",
                        "svc-password-for-tests",
                        "shop"))
                .start();
    }

    @AfterAll
    static void stop() {
        if (gateway != null) {
            gateway.close();
        }
        if (opa != null) {
            opa.stop();
        }
        if (issuer != null) {
            issuer.close();
        }
    }

    private static Connection agent() throws SQLException {
        String token =
                issuer.token("agent-c").claim("groups", List.of("ai-agents")).mint();
        return JdbcClient.CONNECTOR_J.connect(gateway, TARGET, token);
    }

    @Test
    void anAgentReadsOrdersFromMySql84ThroughTheGateway() throws SQLException {
        try (Connection connection = agent()) {
            assertThat(Sql.row(connection, "SELECT id, total FROM orders WHERE id = 10"))
                    .containsExactly("10", "99.50");
        }
    }

    @Test
    void anAgentSeesTheSocialSecurityNumberMasked() throws SQLException {
        try (Connection connection = agent()) {
            assertThat(Sql.row(connection, "SELECT name, ssn FROM customers WHERE id = 1"))
                    .containsExactly("Ada Lovelace", "*******6789");
        }
    }

    @Test
    void anAgentIsRefusedADropTable() throws SQLException {
        try (Connection connection = agent()) {
            assertSqlError(() -> Sql.row(connection, "DROP TABLE orders"), 1142, "42000", "readonly");
        }
    }
}
