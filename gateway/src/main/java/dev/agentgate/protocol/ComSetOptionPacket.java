package dev.agentgate.protocol;

/**
 * Turns multi-statement support on or off; answered with EOF (or OK) or ERR.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_com_set_option.html">COM_SET_OPTION</a>
 */
public record ComSetOptionPacket(int option) implements MySQLPacket {

    public static final int MYSQL_OPTION_MULTI_STATEMENTS_ON = 0;
    public static final int MYSQL_OPTION_MULTI_STATEMENTS_OFF = 1;

    public static ComSetOptionPacket read(MySQLPayload payload) {
        payload.readCommand(CommandType.COM_SET_OPTION);
        return new ComSetOptionPacket(payload.readInt2());
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(CommandType.COM_SET_OPTION.code());
        payload.writeInt2(option);
    }
}
