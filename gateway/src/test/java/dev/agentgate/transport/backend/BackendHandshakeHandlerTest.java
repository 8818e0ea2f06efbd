package dev.agentgate.transport.backend;

import static dev.agentgate.protocol.CapabilityFlags.*;
import static dev.agentgate.transport.backend.ServerPackets.*;
import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.config.BackendTlsConfig;
import dev.agentgate.config.BackendTlsMode;
import dev.agentgate.config.TargetConfig;
import dev.agentgate.protocol.MySQLFrameDecoder;
import dev.agentgate.protocol.MySQLFrameEncoder;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.DefaultEventLoop;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.util.concurrent.DefaultPromise;
import io.netty.util.concurrent.ImmediateEventExecutor;
import io.netty.util.concurrent.Promise;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.crypto.Cipher;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/**
 * The handshake state machine against scripted servers. caching_sha2_password is MySQL-only and no MySQL server is
 * available here, so its fast path and RSA full-auth path are exercised this way; expected values are computed in
 * the test from the algorithm descriptions, not with the codec's auth classes.
 */
class BackendHandshakeHandlerTest {

    private static final DefaultEventLoop LOOP = new DefaultEventLoop();
    private static final String PASSWORD = "secret";
    private static final byte[] SEED = ascii("abcdefghijklmnopqrst");
    private static final long SERVER_FLAGS = CLIENT_PROTOCOL_41
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA
            | CLIENT_CONNECT_ATTRS
            | CLIENT_TRANSACTIONS
            | CLIENT_DEPRECATE_EOF
            | CLIENT_CONNECT_WITH_DB
            | CLIENT_MULTI_RESULTS;
    private static final long CLIENT_FLAGS = CLIENT_PROTOCOL_41
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CLIENT_TRANSACTIONS
            | CLIENT_DEPRECATE_EOF;

    private final Promise<BackendConnection> promise = new DefaultPromise<>(ImmediateEventExecutor.INSTANCE);
    private final EmbeddedChannel channel = channel(CLIENT_FLAGS);

    @AfterAll
    static void stopLoop() {
        LOOP.shutdownGracefully(0, 1, TimeUnit.SECONDS);
    }

    @Test
    void completesTheCachingSha2FastPathWithTheScrambleOfThePassword() throws Exception {
        serverSends(0, greeting(SERVER_FLAGS, SEED, "caching_sha2_password"));
        ByteBuf response = nextClientPacket(1);
        assertThat(authResponseOf(response)).containsExactly(sha256Scramble(PASSWORD, SEED));
        response.release();

        serverSends(2, authMoreData((byte) 0x03));
        assertThat(channel.<Object>readOutbound())
                .as("nothing is sent after fast-auth success")
                .isNull();
        serverSends(3, ok());

        BackendConnection connection = promise.getNow();
        assertThat(connection.serverVersion()).isEqualTo("8.0.40");
        assertThat(connection.connectionId()).isEqualTo(7);
        assertThat(connection.statusFlags()).isEqualTo(2);
        assertThat(connection.characterSet()).isEqualTo(255);
        assertThat(channel.pipeline().names())
                .startsWith(BackendConnector.FRAME_DECODER, BackendConnector.FRAME_ENCODER)
                .hasSize(3);
    }

    @Test
    void requestsTheServersRsaKeyForFullAuthenticationWithoutTls() throws Exception {
        KeyPair rsa = KeyPairGenerator.getInstance("RSA").generateKeyPair();
        serverSends(0, greeting(SERVER_FLAGS, SEED, "caching_sha2_password"));
        nextClientPacket(1).release();

        serverSends(2, authMoreData((byte) 0x04));
        ByteBuf keyRequest = nextClientPacket(3);
        assertThat(remaining(keyRequest)).containsExactly(0x02);

        serverSends(4, authMoreData(ascii(pem(rsa))));
        ByteBuf encrypted = nextClientPacket(5);
        Cipher oaep = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        oaep.init(Cipher.DECRYPT_MODE, rsa.getPrivate());
        assertThat(xorWithSeed(oaep.doFinal(remaining(encrypted)))).isEqualTo(ascii(PASSWORD + "\0"));

        serverSends(6, ok());
        assertThat(promise.isSuccess()).isTrue();
    }

    @Test
    void answersAnAuthSwitchToNativePasswordWithTheScrambleOfTheNewSeed() throws Exception {
        byte[] newSeed = ascii("ABCDEFGHIJKLMNOPQRST");
        serverSends(0, greeting(SERVER_FLAGS, SEED, "caching_sha2_password"));
        nextClientPacket(1).release();

        serverSends(2, authSwitch("mysql_native_password", newSeed));
        assertThat(remaining(nextClientPacket(3))).containsExactly(nativeScramble(PASSWORD, newSeed));
        serverSends(4, ok());
        assertThat(promise.isSuccess()).isTrue();
    }

    @Test
    void hasAServerThatTracksSessionStateTrackWhatDecidesLexingBeforeTheSessionStarts() {
        serverSends(0, greeting(SERVER_FLAGS | CLIENT_SESSION_TRACK, SEED, "mysql_native_password"));
        nextClientPacket(1).release();
        serverSends(2, ok());
        assertThat(promise.isDone()).as("logged in, tracking not yet set up").isFalse();

        ByteBuf query = nextClientPacket(0);
        assertThat(query.readUnsignedByte()).isEqualTo((short) 0x03);
        assertThat(new String(remaining(query), StandardCharsets.UTF_8))
                .isEqualTo(BackendHandshakeHandler.TRACKING_SQL);
        serverSends(1, okWithSessionState("sql_mode", "ANSI_QUOTES"));

        assertThat(promise.getNow().sessionVariables()).containsExactly(Map.entry("sql_mode", "ANSI_QUOTES"));
        assertThat(promise.getNow().statusFlags())
                .as("the status of the login OK")
                .isEqualTo(2);
    }

    @Test
    void failsWhenTheServerRefusesToTrackSessionState() {
        serverSends(0, greeting(SERVER_FLAGS | CLIENT_SESSION_TRACK, SEED, "mysql_native_password"));
        nextClientPacket(1).release();
        serverSends(2, ok());
        nextClientPacket(0).release();
        serverSends(1, err(1193, "HY000", "Unknown system variable"));

        assertThat(failureMessage())
                .isEqualTo("target 'appdb' refused to track session state: Unknown system variable");
    }

    /** OK (status SERVER_STATUS_AUTOCOMMIT | SERVER_SESSION_STATE_CHANGED), empty info, one system variable change. */
    private static byte[] okWithSessionState(String name, String value) {
        byte[] pair = Unpooled.buffer()
                .writeByte(name.length())
                .writeBytes(ascii(name))
                .writeByte(value.length())
                .writeBytes(ascii(value))
                .array();
        int pairLength = 2 + name.length() + value.length();
        ByteBuf ok = Unpooled.buffer()
                .writeByte(0x00)
                .writeByte(0)
                .writeByte(0)
                .writeShortLE(0x4002)
                .writeShortLE(0)
                .writeByte(0)
                .writeByte(pairLength + 2)
                .writeByte(0)
                .writeByte(pairLength)
                .writeBytes(pair, 0, pairLength);
        return remaining(ok);
    }

    @Test
    void refusesToSendAClearPasswordWithoutTls() {
        serverSends(0, greeting(SERVER_FLAGS, SEED, "mysql_native_password"));
        nextClientPacket(1).release();

        serverSends(2, authSwitch("mysql_clear_password", new byte[0]));

        assertThat(failureMessage())
                .isEqualTo("target 'appdb' asked for mysql_clear_password over an unencrypted connection;"
                        + " enable TLS for this target");
        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void refusesAnUnsupportedAuthPlugin() {
        serverSends(0, greeting(SERVER_FLAGS, SEED, "auth_gssapi_client"));

        assertThat(failureMessage())
                .isEqualTo("target 'appdb' requires unsupported authentication plugin 'auth_gssapi_client'");
    }

    @Test
    void reportsAServerThatRefusesTheConnectionInsteadOfGreeting() {
        serverSends(0, err(1040, "08004", "Too many connections"));

        assertThat(failureMessage()).isEqualTo("target 'appdb' refused the connection: Too many connections");
    }

    @Test
    void failsWhenTheClientWantsDeprecateEofAndTheServerLacksIt() {
        serverSends(0, greeting(SERVER_FLAGS & ~CLIENT_DEPRECATE_EOF, SEED, "mysql_native_password"));

        assertThat(failureMessage())
                .isEqualTo("target 'appdb' does not support CLIENT_DEPRECATE_EOF, which the client"
                        + " requested; reconnect without it");
    }

    @Test
    void reportsAMalformedGreeting() {
        serverSends(0, new byte[] {9, 'x'});

        assertThat(failureMessage()).isEqualTo("target 'appdb' sent a malformed greeting");
    }

    @Test
    void refusesAHandshakePacketLargerThanTheHandshakeLimit() {
        channel.writeInbound(Unpooled.buffer()
                .writeMediumLE(BackendConnector.HANDSHAKE_MAX_PACKET_BYTES + 1)
                .writeByte(0));

        assertThat(failureMessage()).isEqualTo("target 'appdb' broke off the handshake");
    }

    @Test
    void givesUpWhenTheServerIsSilentPastTheConnectTimeout() {
        channel.advanceTimeBy(6, TimeUnit.SECONDS);
        channel.runScheduledPendingTasks();

        assertThat(failureMessage()).isEqualTo("target 'appdb' did not complete the handshake within 5000 ms");
    }

    @Test
    void closesTheBackendWhenTheCallerCancels() {
        promise.cancel(false);

        assertThat(channel.isOpen()).isFalse();
    }

    @Test
    void readsAGreetingThatArrivesInFragments() throws Exception {
        ByteBuf wire = frame(0, greeting(SERVER_FLAGS, SEED, "mysql_native_password"));
        while (wire.isReadable()) {
            channel.writeInbound(wire.readRetainedSlice(Math.min(5, wire.readableBytes())));
        }
        wire.release();

        ByteBuf response = nextClientPacket(1);
        assertThat(authResponseOf(response)).containsExactly(nativeScramble(PASSWORD, SEED));
        response.release();
    }

    private EmbeddedChannel channel(long clientFlags) {
        TargetConfig target = new TargetConfig(
                "appdb",
                "db.internal",
                3306,
                "svc",
                PASSWORD,
                null,
                Duration.ofSeconds(5),
                new BackendTlsConfig(BackendTlsMode.PREFERRED, null));
        BackendConnectRequest request = new BackendConnectRequest(
                target, clientFlags, Map.of(), Map.of("agentgate.subject", "alice"), null, 45, LOOP.next());
        EmbeddedChannel embedded = new EmbeddedChannel();
        embedded.pipeline()
                .addLast(
                        BackendConnector.FRAME_DECODER,
                        new MySQLFrameDecoder(BackendConnector.HANDSHAKE_MAX_PACKET_BYTES))
                .addLast(BackendConnector.FRAME_ENCODER, new MySQLFrameEncoder())
                .addLast(new BackendHandshakeHandler(request, java.util.Optional.empty(), 1 << 24, promise));
        embedded.pipeline().fireChannelActive();
        return embedded;
    }

    private void serverSends(int sequenceId, byte[] payload) {
        channel.writeInbound(frame(sequenceId, payload));
    }

    /** Gathers what the handler wrote and returns the payload of the one packet it must contain. */
    private ByteBuf nextClientPacket(int expectedSequenceId) {
        ByteBuf wire = Unpooled.buffer();
        for (ByteBuf part; (part = channel.readOutbound()) != null; ) {
            wire.writeBytes(part);
            part.release();
        }
        assertThat(wire.readableBytes()).as("bytes written by the handler").isGreaterThanOrEqualTo(4);
        int length = wire.readUnsignedMediumLE();
        assertThat(wire.readUnsignedByte()).as("sequence id").isEqualTo((short) expectedSequenceId);
        assertThat(wire.readableBytes()).as("exactly one packet").isEqualTo(length);
        return wire;
    }

    private String failureMessage() {
        assertThat(promise.cause()).isInstanceOf(BackendConnectException.class);
        return promise.cause().getMessage();
    }

    /** Skips the fixed part and the user name of a HandshakeResponse41 and reads the lenenc auth response. */
    private static byte[] authResponseOf(ByteBuf response) {
        response.skipBytes(4 + 4 + 1 + 23);
        response.skipBytes(response.bytesBefore((byte) 0) + 1);
        byte[] auth = new byte[response.readUnsignedByte()];
        response.readBytes(auth);
        return auth;
    }

    private static byte[] remaining(ByteBuf buffer) {
        byte[] bytes = new byte[buffer.readableBytes()];
        buffer.readBytes(bytes);
        buffer.release();
        return bytes;
    }

    private static byte[] xorWithSeed(byte[] data) {
        byte[] out = data.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] ^= SEED[i % SEED.length];
        }
        return out;
    }

    private static byte[] sha256Scramble(String password, byte[] seed) throws Exception {
        MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
        byte[] hash = sha256.digest(password.getBytes(StandardCharsets.UTF_8));
        byte[] mix = sha256.digest(concat(sha256.digest(hash), seed));
        return xor(hash, mix);
    }

    private static byte[] nativeScramble(String password, byte[] seed) throws Exception {
        MessageDigest sha1 = MessageDigest.getInstance("SHA-1");
        byte[] hash = sha1.digest(password.getBytes(StandardCharsets.UTF_8));
        return xor(hash, sha1.digest(concat(seed, sha1.digest(hash))));
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] out = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, out, first.length, second.length);
        return out;
    }

    private static byte[] xor(byte[] left, byte[] right) {
        byte[] out = new byte[left.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (byte) (left[i] ^ right[i]);
        }
        return out;
    }

    private static String pem(KeyPair rsa) {
        return "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, new byte[] {'\n'})
                        .encodeToString(rsa.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
    }
}
