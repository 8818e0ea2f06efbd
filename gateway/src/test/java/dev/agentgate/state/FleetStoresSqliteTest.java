package dev.agentgate.state;

import dev.agentgate.config.StateConfig;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The fleet's stores on an SQLite file (a single gateway's default state database). */
class FleetStoresSqliteTest extends FleetStoresContract {

    @TempDir
    Path directory;

    private StateDatabase database;

    @BeforeEach
    void open() {
        database = StateDatabase.open(StateConfig.sqlite(directory.resolve("state.db")));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Override
    StateDatabase database() {
        return database;
    }
}
