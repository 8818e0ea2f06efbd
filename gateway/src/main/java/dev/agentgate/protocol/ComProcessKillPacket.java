package dev.agentgate.protocol;

/**
 * Asks the server to kill a connection (clients mostly send {@code KILL n} as COM_QUERY instead).
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_process_kill.html">COM_PROCESS_KILL</a>
 */
public record ComProcessKillPacket(int connectionId) implements MySQLPacket {

    public static ComProcessKillPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_PROCESS_KILL);
        return new ComProcessKillPacket(payload.readInt4());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_PROCESS_KILL.code());
        payload.writeInt4(connectionId);
    }
}
