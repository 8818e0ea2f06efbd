package dev.agentgate.enforcement.catalog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.testing.MariaDbServer;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The catalog's JDBC connection against a real MariaDB without TLS. */
@Tag("integration")
class JdbcSqlExecutorMariaDbTest {

    private static final String PASSWORD = "svc-secret";
    private static final String COLUMNS =
            "SELECT COLUMN_NAME FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ? ORDER BY ORDINAL_POSITION";

    @TempDir
    static Path directory;

    private static MariaDbServer mariadb;

    @BeforeAll
    static void startMariaDb() throws Exception {
        mariadb = MariaDbServer.start(directory);
        mariadb.sql("CREATE USER 'svc'@'%' IDENTIFIED BY '" + PASSWORD + "'; GRANT SELECT ON shop.* TO 'svc'@'%';"
                + "CREATE DATABASE shop; CREATE TABLE shop.customers (id INT PRIMARY KEY, ssn CHAR(11));");
    }

    @AfterAll
    static void stopMariaDb() {
        if (mariadb != null) {
            mariadb.close();
        }
    }

    private static TargetConfig target(BackendTlsMode mode) {
        TargetConfig plain = TargetConfig.of("appdb", "127.0.0.1", mariadb.port(), "svc", PASSWORD);
        return new TargetConfig(
                plain.name(),
                plain.host(),
                plain.port(),
                plain.user(),
                plain.password(),
                null,
                plain.connectTimeout(),
                new BackendTlsConfig(mode, null));
    }

    @Test
    void runsAQueryWithItsParametersAsTheServiceAccount() throws Exception {
        try (JdbcSqlExecutor executor = new JdbcSqlExecutor(target(BackendTlsMode.DISABLED))) {
            assertThat(executor.query(COLUMNS, List.of("shop", "customers")))
                    .containsExactly(List.of("id"), List.of("ssn"));
        }
    }

    @Test
    void reconnectsWhenTheServerClosedItsConnection() throws Exception {
        try (JdbcSqlExecutor executor = new JdbcSqlExecutor(target(BackendTlsMode.DISABLED))) {
            executor.query(COLUMNS, List.of("shop", "customers"));
            mariadb.sql("SELECT CONCAT('KILL ', ID) FROM information_schema.PROCESSLIST WHERE USER = 'svc' INTO @kill;"
                    + " PREPARE k FROM @kill; EXECUTE k;");

            assertThat(executor.query(COLUMNS, List.of("shop", "customers"))).hasSize(2);
        }
    }

    @Test
    void connectsWithoutTlsWhenTlsIsPreferredAndTheServerHasNone() throws Exception {
        try (JdbcSqlExecutor executor = new JdbcSqlExecutor(target(BackendTlsMode.PREFERRED))) {
            assertThat(executor.query(COLUMNS, List.of("shop", "customers"))).hasSize(2);
        }
    }

    @Test
    void refusesToConnectWithoutTlsWhenTlsIsRequired() {
        try (JdbcSqlExecutor executor = new JdbcSqlExecutor(target(BackendTlsMode.REQUIRED))) {
            assertThatThrownBy(() -> executor.query(COLUMNS, List.of("shop", "customers")))
                    .isInstanceOf(SQLException.class);
        }
    }
}
