package dev.agentgate.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.e2e.env.GatewayExtension;
import dev.agentgate.e2e.env.RawLogin;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Sequence ids count modulo 256: a login whose last packet carries 255 is answered with 0. A clear-text token
 * login without TLS (dev mode's allow_insecure_token_login) is the shortest way to a real login from a raw socket.
 */
class SequenceIdWrapTest {

    @RegisterExtension
    static final GatewayExtension gateway = GatewayExtension.configured(config -> config.insecureDevLogin());

    @Test
    void logsInAClientWhoseLoginPacketCarriesSequenceId255AndAnswersItsCommands() throws Exception {
        String token = gateway.issuer().valid("agent-seq-255");
        try (Socket socket =
                new Socket(gateway.process().host(), gateway.process().port())) {
            socket.setSoTimeout(15_000);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            RawLogin.readPacket(in);
            out.write(RawLogin.handshakeResponse(255, GatewayExtension.TARGET, "mysql_clear_password", token));
            out.flush();

            byte[] header = in.readNBytes(4);
            assertThat(header).as("a packet header").hasSize(4);
            assertThat(header[3]).as("sequence id after 255").isZero();
            byte[] ok = in.readNBytes((header[0] & 0xFF) | (header[1] & 0xFF) << 8);
            assertThat(ok[0]).as("an OK packet").isEqualTo((byte) 0x00);
            out.write(RawLogin.comQuery("SELECT 1"));
            out.flush();
            byte[] columnCount = RawLogin.readPacket(in);
            assertThat(columnCount).as("a result set of one column").containsExactly(1);
        }
    }
}
