package dev.agentgate.analysis;

import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The facts that tokens alone establish reliably, parsed or not: the functions called and the risky features.
 * Working on tokens means a function hidden where the AST walk does not look (a DDL default, a CALL argument,
 * a versioned comment) is still reported.
 */
final class TokenFacts {

    /** Keywords that may be followed by '(' without being a function call. */
    private static final Set<String> NOT_CALLS = Set.of(
            "IN",
            "VALUES",
            "VALUE",
            "EXISTS",
            "AS",
            "USING",
            "ON",
            "AND",
            "OR",
            "NOT",
            "XOR",
            "SELECT",
            "FROM",
            "JOIN",
            "WHERE",
            "HAVING",
            "OVER",
            "PARTITION",
            "WINDOW",
            "KEY",
            "INDEX",
            "PRIMARY",
            "UNIQUE",
            "FOREIGN",
            "REFERENCES",
            "TABLE",
            "INTO",
            "ANY",
            "ALL",
            "SOME",
            "WITH",
            "RECURSIVE",
            "CHECK",
            "CONSTRAINT",
            "UNION",
            "EXCEPT",
            "INTERSECT",
            "LATERAL",
            "BY",
            "SET",
            "THEN",
            "ELSE",
            "WHEN",
            "RETURN",
            "RETURNS",
            "LIKE",
            "IS",
            "BETWEEN",
            "DISTINCT",
            "CASE",
            "DO",
            "CALL",
            "LIMIT",
            "OFFSET",
            "UPDATE",
            "DELETE",
            "INSERT",
            "REPLACE",
            "TO",
            "COLUMNS",
            "PARTITIONS",
            "LINES",
            "FIELDS",
            "ROWS",
            "ROW",
            "INTERVAL",
            "OF",
            "FOR",
            "GENERATED",
            "STORED",
            "VIRTUAL",
            "AGAINST",
            "MATCH");

    private static final Set<String> DATA_TYPES = Set.of(
            "TINYINT",
            "SMALLINT",
            "MEDIUMINT",
            "INT",
            "INTEGER",
            "BIGINT",
            "DECIMAL",
            "DEC",
            "NUMERIC",
            "FLOAT",
            "DOUBLE",
            "REAL",
            "BIT",
            "CHAR",
            "VARCHAR",
            "NCHAR",
            "NVARCHAR",
            "BINARY",
            "VARBINARY",
            "ENUM",
            "SET",
            "TEXT",
            "BLOB",
            "DATETIME",
            "TIMESTAMP",
            "TIME",
            "YEAR",
            "VECTOR");

    private static final Set<String> TABLE_INTRODUCERS = Set.of(
            "INTO",
            "TABLE",
            "FROM",
            "JOIN",
            "UPDATE",
            "ON",
            "REFERENCES",
            "KEY",
            "INDEX",
            "VIEW",
            "PROCEDURE",
            "FUNCTION",
            "TRIGGER",
            "CALL",
            "WITH",
            "RECURSIVE");

    private static final Map<String, Feature> FEATURE_FUNCTIONS = Map.of(
            "SLEEP",
            Feature.SLEEP,
            "BENCHMARK",
            Feature.BENCHMARK,
            "LOAD_FILE",
            Feature.LOAD_FILE,
            "GET_LOCK",
            Feature.LOCK_FUNCTIONS,
            "RELEASE_LOCK",
            Feature.LOCK_FUNCTIONS,
            "RELEASE_ALL_LOCKS",
            Feature.LOCK_FUNCTIONS,
            "IS_FREE_LOCK",
            Feature.LOCK_FUNCTIONS,
            "IS_USED_LOCK",
            Feature.LOCK_FUNCTIONS);

    private TokenFacts() {}

    static void collect(StatementText statement, StatementType type, StatementFacts.Builder facts) {
        List<SqlToken> tokens = statement.tokens();
        boolean definesColumns = type == StatementType.CREATE_TABLE || type == StatementType.ALTER_TABLE;
        for (int i = 0; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            SqlToken previous = i > 0 ? tokens.get(i - 1) : null;
            SqlToken next = i + 1 < tokens.size() ? tokens.get(i + 1) : null;
            if (isCall(previous, token, next) && !(definesColumns && DATA_TYPES.contains(upper(token)))) {
                facts.function(token.text());
                Feature feature = FEATURE_FUNCTIONS.get(upper(token));
                if (feature != null) {
                    facts.feature(feature);
                }
            }
            if (token.kind() == SqlToken.Kind.USER_VARIABLE && !isHostOfAccount(previous, token)) {
                facts.feature(Feature.USER_VARIABLES);
            }
            if (token.kind() == SqlToken.Kind.SYSTEM_VARIABLE) {
                facts.feature(Feature.SYSTEM_VARIABLES);
            }
            if (token.isWord("INTO") && next != null) {
                intoTarget(next, facts);
            }
        }
        statementLevelFeatures(statement, type, facts);
    }

    private static void intoTarget(SqlToken next, StatementFacts.Builder facts) {
        if (next.isWord("OUTFILE")) {
            facts.feature(Feature.INTO_OUTFILE);
        } else if (next.isWord("DUMPFILE")) {
            facts.feature(Feature.INTO_DUMPFILE);
        } else if (next.kind() == SqlToken.Kind.USER_VARIABLE) {
            facts.feature(Feature.INTO_VARIABLES);
        }
    }

    private static void statementLevelFeatures(
            StatementText statement, StatementType type, StatementFacts.Builder facts) {
        List<SqlToken> tokens = statement.tokens();
        if (statement.versioned()) {
            facts.feature(Feature.VERSIONED_COMMENT);
        }
        if (type == StatementType.LOAD_DATA && tokens.stream().limit(6).anyMatch(t -> t.isWord("LOCAL"))) {
            facts.feature(Feature.LOAD_DATA_LOCAL);
        }
        boolean analyzeExecutes =
                type == StatementType.EXPLAIN && tokens.stream().limit(2).anyMatch(t -> t.isWord("ANALYZE"));
        if (analyzeExecutes) {
            facts.feature(Feature.EXPLAIN_ANALYZE);
        }
        if (type == StatementType.SET && assignsServerVariable(tokens)) {
            facts.feature(Feature.SYSTEM_VARIABLES);
        }
        if (DiagnosticsReads.reads(tokens)) {
            facts.feature(Feature.DIAGNOSTICS_READS);
        }
    }

    /** SET x = ..., SET GLOBAL x, SET NAMES ..., SET @@x = ...: any assignment target that is not a user variable. */
    static boolean assignsServerVariable(List<SqlToken> tokens) {
        int depth = 0;
        for (int i = 1; i < tokens.size(); i++) {
            SqlToken token = tokens.get(i);
            depth += token.kind() == SqlToken.Kind.LEFT_PAREN ? 1 : token.kind() == SqlToken.Kind.RIGHT_PAREN ? -1 : 0;
            boolean targetPosition = i == 1 || (depth == 0 && tokens.get(i - 1).kind() == SqlToken.Kind.COMMA);
            if (targetPosition && (token.isIdentifier() || token.kind() == SqlToken.Kind.SYSTEM_VARIABLE)) {
                return true;
            }
        }
        return false;
    }

    static boolean isCall(SqlToken previous, SqlToken token, SqlToken next) {
        if (token.kind() != SqlToken.Kind.WORD || next == null || next.kind() != SqlToken.Kind.LEFT_PAREN) {
            return false;
        }
        if (NOT_CALLS.contains(upper(token))) {
            return false;
        }
        return previous == null
                || (previous.kind() != SqlToken.Kind.DOT && !TABLE_INTRODUCERS.contains(upper(previous)));
    }

    /** 'app'@'%' names an account; the '@...' glued to the user name is no variable. */
    private static boolean isHostOfAccount(SqlToken previous, SqlToken variable) {
        return previous != null
                && previous.end() == variable.start()
                && (previous.kind() == SqlToken.Kind.STRING || previous.isIdentifier());
    }

    private static String upper(SqlToken token) {
        return token.text().toUpperCase(Locale.ROOT);
    }
}
