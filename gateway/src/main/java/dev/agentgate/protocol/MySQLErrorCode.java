package dev.agentgate.protocol;

/**
 * The server error codes the gateway itself sends, with their SQLSTATE and MySQL's message format
 * ({@link String#format} placeholders).
 *
 * @see <a href="https://dev.mysql.com/doc/mysql-errors/8.0/en/server-error-reference.html">Server Error Message Reference</a>
 */
public enum MySQLErrorCode {
    ER_CON_COUNT_ERROR(1040, "08004", "Too many connections"),
    ER_HANDSHAKE_ERROR(1043, "08S01", "Bad handshake"),
    ER_DBACCESS_DENIED_ERROR(1044, "42000", "Access denied for user '%s'@'%s' to database '%s'"),
    ER_ACCESS_DENIED_ERROR(1045, "28000", "Access denied for user '%s'@'%s' (using password: %s)"),
    ER_NO_DB_ERROR(1046, "3D000", "No database selected"),
    ER_UNKNOWN_COM_ERROR(1047, "08S01", "Unknown command"),
    ER_SERVER_SHUTDOWN(1053, "08S01", "Server shutdown in progress"),
    ER_NO_SUCH_THREAD(1094, "HY000", "Unknown thread id: %s"),
    ER_KILL_DENIED_ERROR(1095, "HY000", "You are not owner of thread %s"),
    ER_PARSE_ERROR(1064, "42000", "%s"),
    ER_EMPTY_QUERY(1065, "42000", "Query was empty"),
    ER_UNKNOWN_ERROR(1105, "HY000", "%s"),
    ER_TABLEACCESS_DENIED_ERROR(1142, "42000", "%s command denied to user '%s'@'%s' for table '%s'"),
    ER_NOT_ALLOWED_COMMAND(1148, "42000", "The used command is not allowed with this MySQL version"),
    ER_SYNTAX_ERROR(1149, "42000", "You have an error in your SQL syntax"),
    ER_NET_PACKET_TOO_LARGE(1153, "08S01", "Got a packet bigger than 'max_allowed_packet' bytes"),
    ER_NET_READ_ERROR(1158, "08S01", "Got an error reading communication packets"),
    ER_NET_READ_INTERRUPTED(1159, "08S01", "Got timeout reading communication packets"),
    ER_SPECIFIC_ACCESS_DENIED_ERROR(
            1227, "42000", "Access denied; you need (at least one of) the %s privilege(s) for this operation"),
    ER_UNKNOWN_STMT_HANDLER(1243, "HY000", "Unknown prepared statement handler (%s) given to %s"),
    ER_NOT_SUPPORTED_YET(1235, "42000", "This version of MySQL doesn't yet support '%s'"),
    ER_QUERY_INTERRUPTED(1317, "70100", "Query execution was interrupted"),
    /** MariaDB's error when max_statement_time stops a statement. */
    ER_STATEMENT_TIMEOUT(1969, "70100", "Query execution was interrupted (max_statement_time exceeded)"),
    CR_SERVER_LOST(2013, "HY000", "Lost connection to MySQL server during query"),
    ER_CLIENT_INTERACTION_TIMEOUT(
            4031,
            "HY000",
            "The client was disconnected by the server because of "
                    + "inactivity. See wait_timeout and interactive_timeout for configuring this behavior.");

    private final int code;
    private final String sqlState;
    private final String messageFormat;

    MySQLErrorCode(int code, String sqlState, String messageFormat) {
        this.code = code;
        this.sqlState = sqlState;
        this.messageFormat = messageFormat;
    }

    public int code() {
        return code;
    }

    public String sqlState() {
        return sqlState;
    }

    public String messageFormat() {
        return messageFormat;
    }

    /** The default message with {@code args} filled in. */
    public String message(Object... args) {
        return String.format(messageFormat, args);
    }
}
