package dev.agentgate.transport;

import dev.agentgate.protocol.CommandResponseTracker;
import dev.agentgate.protocol.CommandType;
import dev.agentgate.policy.PolicyQuestion;
import dev.agentgate.protocol.ComFieldListPacket;
import dev.agentgate.protocol.ComInitDbPacket;
import dev.agentgate.protocol.ComQueryPacket;
import dev.agentgate.protocol.ComStmtPreparePacket;
import dev.agentgate.protocol.ErrPacket;
import dev.agentgate.protocol.MySQLErrorCode;
import dev.agentgate.protocol.MySQLFrame;
import dev.agentgate.protocol.MySQLPayload;
import dev.agentgate.session.KillRequest;
import dev.agentgate.session.SessionInfo;
import dev.agentgate.session.SessionRegistry;
import dev.agentgate.session.SessionRegistry.KillDecision;
import io.netty.buffer.ByteBuf;
import java.util.EnumSet;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Looks at each client command before it reaches the backend and decides what the gateway does
 * with it: forward it (possibly rewritten), answer it itself, or refuse it and close.
 */
final class CommandFilter {

  /** What to do with one client command. */
  sealed interface Verdict {
    /** @param question what the policy must allow first, or null for commands it does not decide */
    record Forward(MySQLFrame frame, CommandResponseTracker tracker, PolicyQuestion question) implements Verdict {}

    /** Answer with an error; the session goes on. */
    record Answer(ErrPacket error) implements Verdict {}

    /** Answer with an error and close the connection. */
    record Refuse(ErrPacket error) implements Verdict {}

    record Quit() implements Verdict {}
  }

  /** Commands relayed as they are. Replication, debugging and daemon commands are never relayed. */
  private static final Set<CommandType> RELAYED =
      EnumSet.of(
          CommandType.COM_QUERY,
          CommandType.COM_INIT_DB,
          CommandType.COM_FIELD_LIST,
          CommandType.COM_STATISTICS,
          CommandType.COM_PING,
          CommandType.COM_STMT_PREPARE,
          CommandType.COM_STMT_EXECUTE,
          CommandType.COM_STMT_SEND_LONG_DATA,
          CommandType.COM_STMT_CLOSE,
          CommandType.COM_STMT_RESET,
          CommandType.COM_STMT_FETCH,
          CommandType.COM_SET_OPTION,
          CommandType.COM_RESET_CONNECTION);

  private static final Pattern LOAD_DATA_LOCAL =
      Pattern.compile("^\\s*LOAD\\s+(DATA|XML)\\s+(LOW_PRIORITY\\s+|CONCURRENT\\s+)?LOCAL\\b", Pattern.CASE_INSENSITIVE);

  // Every session shares the gateway's MySQL account, so a KILL with a raw backend thread id could
  // stop another agent's connection. Only the plain form is translated; any other KILL is refused.
  private static final Pattern KILL_ANYWHERE = Pattern.compile("(^|;)\\s*KILL\\b", Pattern.CASE_INSENSITIVE);

  private static final int CURSOR_TYPE_MASK = 0x07;

  private final SessionRegistry registry;
  private final SessionInfo session;
  private final long capabilities;

  CommandFilter(SessionRegistry registry, SessionInfo session, long capabilities) {
    this.registry = registry;
    this.session = session;
    this.capabilities = capabilities;
  }

  /**
   * @param database the session's current database, for commands that name a table without one
   */
  Verdict inspect(MySQLFrame frame, String database) {
    ByteBuf payload = frame.payload();
    if (frame.sequenceId() != 0) {
      return new Verdict.Refuse(Errors.outOfOrder("a command must start with sequence id 0, was " + frame.sequenceId()));
    }
    if (!payload.isReadable()) {
      return new Verdict.Refuse(Errors.malformed("empty command"));
    }
    int code = payload.getUnsignedByte(payload.readerIndex());
    CommandType command = CommandType.fromCode(code).orElse(null);
    if (command == null) {
      return new Verdict.Refuse(Errors.of(MySQLErrorCode.ER_UNKNOWN_COM_ERROR, "Unknown command 0x" + Integer.toHexString(code)));
    }
    return switch (command) {
      case COM_QUIT -> new Verdict.Quit();
      case COM_QUERY -> inspectQuery(frame);
      case COM_STMT_PREPARE -> forward(frame, command, PolicyQuestion.prepare(ComStmtPreparePacket.read(new MySQLPayload(payload.duplicate())).sql()));
      case COM_INIT_DB -> forward(frame, command, PolicyQuestion.initDb(ComInitDbPacket.read(new MySQLPayload(payload.duplicate())).schema()));
      case COM_FIELD_LIST -> forward(frame, command, PolicyQuestion.fieldList(database, ComFieldListPacket.read(new MySQLPayload(payload.duplicate())).table()));
      case COM_PROCESS_KILL -> {
        long id = Integer.toUnsignedLong(new MySQLPayload(payload.duplicate().skipBytes(1)).readInt4());
        yield kill(new KillRequest(false, id), frame, PolicyQuestion.query("KILL " + id));
      }
      case COM_CHANGE_USER -> new Verdict.Refuse(Errors.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, 
          "COM_CHANGE_USER is not supported by agentgate: open a new connection with the new token"));
      default -> RELAYED.contains(command)
          ? forward(frame, command, null)
          : new Verdict.Refuse(Errors.of(MySQLErrorCode.ER_UNKNOWN_COM_ERROR, "Unknown command 0x" + Integer.toHexString(code) + " (" + command + ") is not supported by agentgate"));
    };
  }

  private Verdict inspectQuery(MySQLFrame frame) {
    String sql = ComQueryPacket.read(new MySQLPayload(frame.payload().duplicate())).sql();
    if (startsWithLetterL(sql) && LOAD_DATA_LOCAL.matcher(sql).find()) {
      return new Verdict.Answer(Errors.of(MySQLErrorCode.ER_NOT_ALLOWED_COMMAND, 
          "LOAD DATA LOCAL INFILE is not allowed through agentgate: the gateway never reads client files"));
    }
    if (containsKill(sql) && KILL_ANYWHERE.matcher(sql).find()) {
      return KillRequest.parse(sql)
          .map(request -> kill(request, frame, PolicyQuestion.query(sql)))
          .orElseGet(() -> new Verdict.Answer(Errors.of(MySQLErrorCode.ER_NOT_SUPPORTED_YET, 
              "only a single KILL [CONNECTION | QUERY] <connection id> statement is supported through agentgate")));
    }
    return forward(frame, CommandType.COM_QUERY, PolicyQuestion.query(sql));
  }

  // Cheap tests that rule the patterns out for almost every statement: they run for each query on the
  // event loop, and a regex search tries every position of the text.

  /** Whether the first character after the whitespace {@code \s} matches is an L, as LOAD_DATA_LOCAL needs. */
  private static boolean startsWithLetterL(String sql) {
    for (int i = 0; i < sql.length(); i++) {
      char c = sql.charAt(i);
      if (c != ' ' && c != '\t' && c != '\n' && c != 0x0B && c != '\f' && c != '\r') {
        return c == 'L' || c == 'l';
      }
    }
    return false;
  }

  /** Whether the text holds KILL in any ASCII case, as KILL_ANYWHERE needs. */
  private static boolean containsKill(String sql) {
    for (int i = sql.length() - 4; i >= 0; i--) {
      if (sql.regionMatches(true, i, "KILL", 0, 4)) {
        return true;
      }
    }
    return false;
  }

  private Verdict kill(KillRequest request, MySQLFrame frame, PolicyQuestion question) {
    KillDecision decision = registry.authorizeKill(session, request.connectionId());
    if (decision instanceof KillDecision.Refused refused) {
      return new Verdict.Answer(new ErrPacket(refused.errorCode(), "HY000", refused.message()));
    }
    SessionInfo victim = ((KillDecision.Permitted) decision).victim();
    MySQLFrame rewritten = MySQLFrame.fromPacket(new ComQueryPacket(request.toBackendStatement(victim.backendThreadId())), 0, frame.payload().alloc());
    frame.release();
    return new Verdict.Forward(rewritten, new CommandResponseTracker(CommandType.COM_QUERY, capabilities, false), question);
  }

  private Verdict forward(MySQLFrame frame, CommandType command, PolicyQuestion question) {
    boolean cursor = false;
    if (command == CommandType.COM_STMT_EXECUTE) {
      ByteBuf payload = frame.payload();
      // COM_STMT_EXECUTE: command int<1>, statement_id int<4>, flags int<1> (cursor type).
      cursor = payload.readableBytes() > 5 && (payload.getUnsignedByte(payload.readerIndex() + 5) & CURSOR_TYPE_MASK) != 0;
    }
    return new Verdict.Forward(frame, new CommandResponseTracker(command, capabilities, cursor), question);
  }

}
