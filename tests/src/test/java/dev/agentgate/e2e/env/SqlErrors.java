package dev.agentgate.e2e.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.sql.SQLException;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

/** Assertions on the SQL error a call ends with; failures show the whole exception, not just the code. */
public final class SqlErrors {

    private SqlErrors() {}

    /** {@code call} throws an SQLException with {@code errorCode}; returns it for further checks. */
    public static SQLException assertSqlError(ThrowingCallable call, int errorCode) {
        Throwable thrown = catchThrowable(call);
        assertThat(thrown).as("expected SQL error %d", errorCode).isInstanceOf(SQLException.class);
        SQLException error = (SQLException) thrown;
        assertThat(error.getErrorCode())
                .as("error code of %s (cause %s)", error, error.getCause())
                .isEqualTo(errorCode);
        return error;
    }

    /** Like {@link #assertSqlError(ThrowingCallable, int)}, also checking SQLSTATE and a part of the message. */
    public static SQLException assertSqlError(
            ThrowingCallable call, int errorCode, String sqlState, String messagePart) {
        SQLException error = assertSqlError(call, errorCode);
        assertThat(error.getSQLState()).as("SQLSTATE of %s", error).isEqualTo(sqlState);
        assertThat(error.getMessage()).contains(messagePart);
        return error;
    }
}
