package dev.agentgate.transport;

import dev.agentgate.analysis.StatementFacts;
import dev.agentgate.analysis.StatementType;
import dev.agentgate.enforcement.GateResult;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.protocol.MySQLFrame;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;
import java.time.Duration;

/**
 * The server's own bound on a statement under {@code statement_timeout_ms}: a single plain SELECT sent as COM_QUERY
 * goes to the backend as {@code SET STATEMENT max_statement_time=<s> FOR <the statement>}, so that MariaDB stops it
 * even when the gateway cannot (it crashed, or lost the control connection). The server's bound is {@link #BACKSTOP}
 * later than the gateway's own timer, so that normally the gateway's error, which names the obligation, comes first. Only that shape is rewritten (the text
 * begins with the SELECT keyword; one statement, parsed): the prefix is ASCII and the client's bytes follow unchanged,
 * so the statement the policy decided is the statement that runs. Everything else relies on the gateway's own timer
 * and KILL QUERY.
 */
final class ServerSideTimeout {

    private static final String SELECT = "select";

    /** How far into the text the keyword and the space after it must be found. */
    private static final int KEYWORD_BYTES = 64;

    static final Duration BACKSTOP = Duration.ofSeconds(1);

    /** The prefix of the last timeout bounded: a policy gives nearly every statement the same one. */
    private record Prefix(Duration timeout, byte[] bytes) {}

    private static volatile Prefix last = new Prefix(Duration.ZERO, new byte[0]);

    private ServerSideTimeout() {}

    /** The frame to send: {@code frame} itself, or (releasing it) one with the bound prefixed. */
    static MySQLFrame bound(
            MySQLFrame frame,
            CommandType command,
            GateResult.Proceed proceed,
            Duration timeout,
            ByteBufAllocator allocator) {
        if (timeout == null
                || command != CommandType.COM_QUERY
                || proceed == null
                || proceed.statements().size() != 1) {
            return frame;
        }
        StatementFacts statement = proceed.statements().get(0);
        ByteBuf sql = frame.payload()
                .slice(frame.payload().readerIndex() + 1, frame.payload().readableBytes() - 1);
        if (!statement.parsed() || statement.type() != StatementType.SELECT || !startsWithPlainSelect(sql)) {
            return frame;
        }
        byte[] prefix = prefix(timeout);
        if (MySQLFrame.chunkCountFor(1 + prefix.length + sql.readableBytes()) != frame.chunkCount()) {
            // The response's sequence ids follow the command's chunks; the client must see the ones it expects.
            return frame;
        }
        ByteBuf payload = allocator.buffer(1 + prefix.length + sql.readableBytes());
        payload.writeByte(CommandType.COM_QUERY.code()).writeBytes(prefix).writeBytes(sql);
        MySQLFrame bounded = MySQLFrame.of(frame.sequenceId(), payload);
        frame.release();
        return bounded;
    }

    /** The text that bounds a statement to {@code timeout} plus the backstop (the caller must not change it). */
    private static byte[] prefix(Duration timeout) {
        Prefix known = last;
        if (!known.timeout().equals(timeout)) {
            known = new Prefix(
                    timeout,
                    ("SET STATEMENT max_statement_time=" + seconds(timeout.plus(BACKSTOP)) + " FOR ")
                            .getBytes(StandardCharsets.US_ASCII));
            last = known;
        }
        return known.bytes();
    }

    /**
     * Whether the client's text, as sent, starts with the keyword SELECT (in any case, after ASCII spaces, tabs and
     * line breaks) and one of those after it, within its first {@link #KEYWORD_BYTES} bytes: no comment, no
     * parenthesis. Byte by byte: this runs for every bounded statement.
     */
    static boolean startsWithPlainSelect(ByteBuf sql) {
        int at = sql.readerIndex();
        int end = Math.min(sql.writerIndex(), sql.readerIndex() + KEYWORD_BYTES);
        while (at < end && isSpace(sql.getByte(at))) {
            at++;
        }
        if (end - at < SELECT.length() + 1) {
            return false;
        }
        for (int i = 0; i < SELECT.length(); i++) {
            // a letter's upper and lower case differ in bit 5 only; no other byte has either form
            if ((sql.getByte(at + i) | 0x20) != SELECT.charAt(i)) {
                return false;
            }
        }
        return isSpace(sql.getByte(at + SELECT.length()));
    }

    private static boolean isSpace(byte b) {
        return b == ' ' || b == '\t' || b == '\r' || b == '\n';
    }

    /** max_statement_time takes seconds with a fraction; the server's resolution is the microsecond. */
    static String seconds(Duration timeout) {
        long millis = Math.max(1, timeout.toMillis());
        long fraction = millis % 1000;
        // Not String.format: this runs for every bounded statement, and the formatter's parsing cost showed in
        // profiles.
        return millis / 1000 + (fraction < 10 ? ".00" : fraction < 100 ? ".0" : ".") + fraction;
    }
}
