package dev.agentgate.protocol;

/**
 * What a backend packet is within the response to a command, as classified by {@link CommandResponseTracker}.
 */
public enum PacketRole {
    /** A complete OK response (or one of a chain of results when SERVER_MORE_RESULTS_EXISTS is set). */
    OK,
    /** An error; it ends the whole response. */
    ERR,
    /** A plain EOF response (COM_SET_OPTION, COM_DEBUG). */
    EOF,
    /** LOAD DATA LOCAL: the server asks the client for a file; the client's data and the final OK/ERR follow. */
    LOCAL_INFILE_REQUEST,
    /** First packet of a result set: the number of columns. */
    COLUMN_COUNT,
    /** One column of a result set, of a COM_STMT_PREPARE response or of a COM_FIELD_LIST response. */
    COLUMN_DEFINITION,
    /** The EOF after column or parameter definitions (only without CLIENT_DEPRECATE_EOF). */
    METADATA_EOF,
    /** A row in the text protocol (COM_QUERY). */
    TEXT_ROW,
    /** A row in the binary protocol (COM_STMT_EXECUTE, COM_STMT_FETCH). */
    BINARY_ROW,
    /** End of a result set's rows: an EOF packet, or an OK packet with 0xFE header under CLIENT_DEPRECATE_EOF. */
    RESULTSET_END,
    /** First packet of a successful COM_STMT_PREPARE response. */
    PREPARE_OK,
    /** One parameter of a COM_STMT_PREPARE response. */
    PARAMETER_DEFINITION,
    /** The human-readable string answering COM_STATISTICS. */
    STATISTICS,
    /** The EOF ending a COM_FIELD_LIST response. */
    FIELD_LIST_END
}
