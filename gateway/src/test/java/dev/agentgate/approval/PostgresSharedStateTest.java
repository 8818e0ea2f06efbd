package dev.agentgate.approval;

import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.PostgresServer;
import java.nio.file.Path;

/** Two gateways sharing a PostgreSQL state database (Debian's, started privately). */
class PostgresSharedStateTest extends SharedStateContract {

    private PostgresServer postgres;

    @Override
    AutoCloseable startStateServer(Path directory) throws Exception {
        postgres = PostgresServer.start();
        return postgres;
    }

    @Override
    StateConfig state() {
        return new StateConfig(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD, 2);
    }

    @Override
    StateConfig createDatabase(String name) throws Exception {
        postgres.sql("CREATE DATABASE " + name + " OWNER " + PostgresServer.USER);
        return new StateConfig(
                postgres.jdbcUrl().replace(PostgresServer.DATABASE, name),
                PostgresServer.USER,
                PostgresServer.PASSWORD,
                2);
    }
}
