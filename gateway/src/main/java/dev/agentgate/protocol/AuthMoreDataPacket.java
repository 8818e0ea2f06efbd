package dev.agentgate.protocol;

/**
 * Extra authentication data from the server, e.g. caching_sha2_password's fast-auth result or its RSA key.
 *
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_protocol_connection_phase_packets_protocol_auth_more_data.html">Protocol::AuthMoreData</a>
 * @see <a href="https://dev.mysql.com/doc/dev/mysql-server/latest/page_caching_sha2_authentication_exchanges.html">caching_sha2_password exchanges</a>
 */
public record AuthMoreDataPacket(byte[] data) implements MySQLPacket {

    public static final int HEADER = 0x01;
    /** caching_sha2_password: the scramble matched the server's cache. */
    public static final int FAST_AUTH_SUCCESS = 0x03;
    /** caching_sha2_password: send the password over TLS or RSA-encrypted. */
    public static final int PERFORM_FULL_AUTHENTICATION = 0x04;

    public static AuthMoreDataPacket read(MySQLPayload payload) {
        payload.readHeader(HEADER, "AuthMoreData");
        return new AuthMoreDataPacket(payload.readStringEofBytes());
    }

    /** True for the one-byte caching_sha2_password status {@code status} (FAST_AUTH_SUCCESS, PERFORM_FULL_...). */
    public boolean isStatus(int status) {
        return data.length == 1 && (data[0] & 0xFF) == status;
    }

    @Override
    public void write(MySQLPayload payload) {
        payload.writeInt1(HEADER);
        payload.writeBytes(data);
    }
}
