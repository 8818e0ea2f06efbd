package dev.agentgate.state;

import dev.agentgate.config.StateConfig;
import dev.agentgate.testing.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;

/** The fleet's stores on a real PostgreSQL (a fleet's shared state database). */
@Tag("integration")
class FleetStoresPostgresTest extends FleetStoresContract {

    private static PostgresServer postgres;
    private static StateDatabase database;

    @BeforeAll
    static void start() throws Exception {
        postgres = PostgresServer.start();
        database = StateDatabase.open(
                new StateConfig(postgres.jdbcUrl(), PostgresServer.USER, PostgresServer.PASSWORD, 4));
    }

    @AfterAll
    static void stop() {
        if (database != null) {
            database.close();
        }
        if (postgres != null) {
            postgres.close();
        }
    }

    @BeforeEach
    void empty() {
        emptyFleetTables(database);
    }

    @Override
    StateDatabase database() {
        return database;
    }
}
