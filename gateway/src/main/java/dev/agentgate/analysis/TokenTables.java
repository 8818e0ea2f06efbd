package dev.agentgate.analysis;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * Tables and databases of the statements whose targets a short token grammar finds reliably, with no parse:
 * DDL targets, LOCK TABLES, LOAD DATA, HANDLER, DESCRIBE, SHOW ... FROM, GRANT/REVOKE ... ON, table
 * maintenance, database statements and USE. JSqlParser does not understand several of these, and a policy
 * must see their tables even then.
 */
final class TokenTables {

    /**
     * Statements whose every fact comes from tokens: nothing in them is a query, so the token grammar is the
     * whole analysis and JSqlParser (which rejects most of them) is not asked.
     */
    private static final Set<StatementType> COMPLETE_FROM_TOKENS = EnumSet.of(
            StatementType.START_TRANSACTION,
            StatementType.COMMIT,
            StatementType.ROLLBACK,
            StatementType.SAVEPOINT,
            StatementType.RELEASE_SAVEPOINT,
            StatementType.XA,
            StatementType.LOCK_TABLES,
            StatementType.UNLOCK_TABLES,
            StatementType.KILL,
            StatementType.FLUSH,
            StatementType.RESET,
            StatementType.PURGE,
            StatementType.USE,
            StatementType.SHOW,
            StatementType.SET,
            StatementType.SET_PASSWORD,
            StatementType.DEALLOCATE,
            StatementType.HANDLER,
            StatementType.LOAD_DATA,
            StatementType.DESCRIBE,
            StatementType.DO,
            StatementType.DROP_TABLE,
            StatementType.DROP_VIEW,
            StatementType.DROP_INDEX,
            StatementType.DROP_DATABASE,
            StatementType.DROP_PROCEDURE,
            StatementType.DROP_FUNCTION,
            StatementType.DROP_TRIGGER,
            StatementType.DROP_EVENT,
            StatementType.DROP_USER,
            StatementType.DROP_ROLE,
            StatementType.CREATE_USER,
            StatementType.ALTER_USER,
            StatementType.RENAME_USER,
            StatementType.CREATE_ROLE,
            StatementType.TRUNCATE_TABLE,
            StatementType.RENAME_TABLE,
            StatementType.ALTER_TABLE,
            StatementType.CREATE_INDEX,
            StatementType.CREATE_DATABASE,
            StatementType.ALTER_DATABASE,
            StatementType.GRANT,
            StatementType.REVOKE,
            StatementType.ANALYZE_TABLE,
            StatementType.OPTIMIZE_TABLE,
            StatementType.CHECK_TABLE,
            StatementType.REPAIR_TABLE,
            StatementType.CHECKSUM_TABLE,
            StatementType.INSTALL,
            StatementType.UNINSTALL,
            StatementType.SHUTDOWN,
            StatementType.REPLICATION,
            StatementType.SIGNAL);

    private final TokenCursor cursor;
    private final String currentDatabase;
    private final StatementFacts.Builder facts;

    private TokenTables(List<SqlToken> tokens, String currentDatabase, StatementFacts.Builder facts) {
        this.cursor = new TokenCursor(tokens);
        this.currentDatabase = currentDatabase;
        this.facts = facts;
    }

    /**
     * True when tokens establish all facts: a covered type with no query inside (SET @x = (SELECT ...) is not).
     * In GRANT and REVOKE, SELECT is a privilege, never a query.
     */
    static boolean isComplete(StatementType type, List<SqlToken> tokens) {
        boolean privileges = type == StatementType.GRANT || type == StatementType.REVOKE;
        return COMPLETE_FROM_TOKENS.contains(type)
                && (privileges || tokens.stream().noneMatch(token -> token.isWord("SELECT")));
    }

    static void collect(
            List<SqlToken> tokens, StatementType type, String currentDatabase, StatementFacts.Builder facts) {
        new TokenTables(tokens, currentDatabase, facts).collect(type);
    }

    private void collect(StatementType type) {
        switch (type) {
            case CREATE_TABLE, ALTER_TABLE, DROP_TABLE -> afterKeyword(TableAccess.DDL, "TABLE", "TABLES");
            case TRUNCATE_TABLE -> afterKeyword(TableAccess.DDL, "TRUNCATE");
            case CREATE_VIEW, ALTER_VIEW, DROP_VIEW -> afterKeyword(TableAccess.DDL, "VIEW");
            case CREATE_INDEX, DROP_INDEX, CREATE_TRIGGER -> afterKeyword(TableAccess.DDL, "ON");
            case RENAME_TABLE -> afterKeyword(TableAccess.DDL, "TABLE", "TABLES");
            case OPTIMIZE_TABLE, REPAIR_TABLE -> afterKeyword(TableAccess.DDL, "TABLE", "TABLES");
            case ANALYZE_TABLE, CHECK_TABLE, CHECKSUM_TABLE -> afterKeyword(TableAccess.READ, "TABLE", "TABLES");
            case LOAD_DATA -> afterKeyword(TableAccess.WRITE, "TABLE");
            case HANDLER -> afterKeyword(TableAccess.READ, "HANDLER");
            case DESCRIBE -> afterKeyword(TableAccess.READ, "DESCRIBE", "DESC", "EXPLAIN");
            case LOCK_TABLES -> lockTables();
            case SHOW -> show();
            case GRANT, REVOKE -> grantTarget();
            case CREATE_DATABASE, ALTER_DATABASE, DROP_DATABASE -> database("DATABASE", "SCHEMA");
            case USE -> database("USE");
            default -> {}
        }
    }

    /** The comma-separated names after the keyword; for RENAME, both sides of each TO. */
    private void afterKeyword(TableAccess access, String... keywords) {
        if (!cursor.seek(keywords)) {
            return;
        }
        cursor.skipAny("IF", "NOT", "EXISTS", "NO_WRITE_TO_BINLOG", "LOCAL", "ONLY", "TABLE");
        do {
            table(cursor.qualifiedName(), access);
            if (cursor.accept("TO")) {
                table(cursor.qualifiedName(), access);
            }
        } while (cursor.accept(SqlToken.Kind.COMMA));
        if (cursor.accept("RENAME")) { // ALTER TABLE t RENAME [TO|AS] t2
            cursor.skipAny("TO", "AS");
            table(cursor.qualifiedName(), access);
        }
    }

    /** LOCK TABLES t [AS a] READ [LOCAL], u [LOW_PRIORITY] WRITE, ... */
    private void lockTables() {
        cursor.advance();
        cursor.skipAny("TABLE", "TABLES");
        do {
            TokenCursor.QualifiedName name = cursor.qualifiedName();
            TableAccess access = TableAccess.READ;
            while (!cursor.atEnd() && cursor.peek().kind() != SqlToken.Kind.COMMA) {
                access = cursor.peek().isWord("WRITE") ? TableAccess.WRITE : access;
                cursor.advance();
            }
            table(name, access);
        } while (cursor.accept(SqlToken.Kind.COMMA));
    }

    /** SHOW COLUMNS|INDEX|KEYS FROM t [FROM db], SHOW CREATE TABLE|VIEW t; SHOW TABLES FROM db names a database. */
    private void show() {
        cursor.advance();
        cursor.skipAny("FULL", "EXTENDED");
        SqlToken what = cursor.peek();
        if (what == null) {
            return;
        }
        if (cursor.accept("CREATE")) {
            if (cursor.accept("TABLE") || cursor.accept("VIEW")) {
                table(cursor.qualifiedName(), TableAccess.READ);
            }
        } else if (what.isWord("COLUMNS")
                || what.isWord("FIELDS")
                || what.isWord("INDEX")
                || what.isWord("INDEXES")
                || what.isWord("KEYS")) {
            cursor.advance();
            if (cursor.accept("FROM") || cursor.accept("IN")) {
                TokenCursor.QualifiedName name = cursor.qualifiedName();
                String schema =
                        cursor.accept("FROM") || cursor.accept("IN") ? nameOrNull(cursor.qualifiedName()) : null;
                table(
                        name == null || schema == null ? name : new TokenCursor.QualifiedName(schema, name.name()),
                        TableAccess.READ);
            }
        } else if (cursor.seek("FROM", "IN")) {
            String database = nameOrNull(cursor.qualifiedName());
            if (database != null) {
                facts.database(database);
            }
        }
    }

    /** GRANT ... ON [TABLE|PROCEDURE|FUNCTION] priv_level TO ...: the privilege level as a table ({@code *} for all). */
    private void grantTarget() {
        if (!cursor.seek("ON")) {
            return;
        }
        cursor.skipAny("TABLE", "PROCEDURE", "FUNCTION");
        table(cursor.qualifiedName(), TableAccess.DDL);
    }

    private void database(String... keywords) {
        if (!cursor.seek(keywords)) {
            return;
        }
        cursor.skipAny("IF", "NOT", "EXISTS");
        String name = nameOrNull(cursor.qualifiedName());
        if (name != null && !MySqlKeywords.isKeyword(name)) {
            facts.database(name);
        }
    }

    private void table(TokenCursor.QualifiedName name, TableAccess access) {
        if (name != null && !name.name().isEmpty()) {
            facts.table(name.schema() != null ? name.schema() : currentDatabase, name.name(), access);
        }
    }

    private static String nameOrNull(TokenCursor.QualifiedName name) {
        return name == null ? null : name.name();
    }
}
