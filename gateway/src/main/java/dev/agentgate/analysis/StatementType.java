package dev.agentgate.analysis;

import com.fasterxml.jackson.annotation.JsonValue;
import java.util.Locale;

/** What kind of statement it is; serialised in lower case (e.g. {@code create_table}). */
public enum StatementType {
    SELECT,
    INSERT,
    UPDATE,
    DELETE,
    REPLACE,
    VALUES,
    TABLE,
    CREATE_TABLE,
    ALTER_TABLE,
    DROP_TABLE,
    TRUNCATE_TABLE,
    RENAME_TABLE,
    CREATE_VIEW,
    ALTER_VIEW,
    DROP_VIEW,
    CREATE_INDEX,
    DROP_INDEX,
    CREATE_DATABASE,
    ALTER_DATABASE,
    DROP_DATABASE,
    CREATE_PROCEDURE,
    ALTER_PROCEDURE,
    DROP_PROCEDURE,
    CREATE_FUNCTION,
    ALTER_FUNCTION,
    DROP_FUNCTION,
    CREATE_TRIGGER,
    DROP_TRIGGER,
    CREATE_EVENT,
    ALTER_EVENT,
    DROP_EVENT,
    CREATE_USER,
    ALTER_USER,
    DROP_USER,
    RENAME_USER,
    CREATE_ROLE,
    DROP_ROLE,
    CREATE_OTHER,
    ALTER_OTHER,
    DROP_OTHER,
    GRANT,
    REVOKE,
    SET,
    SET_PASSWORD,
    SHOW,
    USE,
    CALL,
    DO,
    LOAD_DATA,
    LOCK_TABLES,
    UNLOCK_TABLES,
    START_TRANSACTION,
    COMMIT,
    ROLLBACK,
    SAVEPOINT,
    RELEASE_SAVEPOINT,
    XA,
    PREPARE,
    EXECUTE,
    DEALLOCATE,
    HANDLER,
    EXPLAIN,
    DESCRIBE,
    KILL,
    FLUSH,
    RESET,
    PURGE,
    ANALYZE_TABLE,
    OPTIMIZE_TABLE,
    CHECK_TABLE,
    REPAIR_TABLE,
    CHECKSUM_TABLE,
    INSTALL,
    UNINSTALL,
    SHUTDOWN,
    REPLICATION,
    SIGNAL,
    OTHER;

    @JsonValue
    public String jsonName() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** Statements that change data rows (the ones whose WHERE and LIMIT matter). */
    public boolean isDataChange() {
        return this == INSERT || this == UPDATE || this == DELETE || this == REPLACE || this == LOAD_DATA;
    }
}
