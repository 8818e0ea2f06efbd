package dev.agentgate.transport;

import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.agentgate.config.ListenConfig;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.embedded.EmbeddedChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the whole connection phase as each accepted connection gets it (frame decoder,
 * handshake state machine, token dialogue), through an EmbeddedChannel. Seeds in
 * {@code src/test/resources/dev/agentgate/transport/ConnectionPhaseFuzzTestInputs}; long runs with
 * {@code scripts/fuzz.sh}. The properties: no exception escapes the pipeline, a connection the gateway has
 * answered with an error is closed, and none outlives the handshake time-out.
 */
class ConnectionPhaseFuzzTest {

    private static Path dir;
    private static ConnectionPhaseGateway gateway;
    private static ClientChannelInitializer initializer;

    @BeforeAll
    static void startGateway() throws Exception {
        dir = Files.createTempDirectory("agentgate-fuzz");
        gateway = ConnectionPhaseGateway.create(
                dir, new GatewayContext.Greeting("10.11.0-MariaDB-agentgate", 45), ListenConfig.defaults());
        initializer = new ClientChannelInitializer(gateway.context());
    }

    @AfterAll
    static void stopGateway() throws Exception {
        gateway.close();
        try (var files = Files.walk(dir)) {
            files.sorted(java.util.Comparator.reverseOrder())
                    .forEach(path -> path.toFile().delete());
        }
    }

    /** The first byte picks how the rest is cut into reads (1-64 bytes each). */
    @FuzzTest
    void answersAnyClientBytesWithoutAnEscapedExceptionAndClosesAfterAnError(byte[] input) {
        if (input.length == 0) {
            return;
        }
        int fragment = (input[0] & 0x3F) + 1;
        EmbeddedChannel channel = new EmbeddedChannel(initializer);
        try {
            boolean errorSent = false;
            for (int offset = 1; offset < input.length && channel.isOpen(); offset += fragment) {
                // writeInbound rethrows whatever reached the end of the pipeline unhandled.
                channel.writeInbound(Unpooled.wrappedBuffer(
                        Arrays.copyOfRange(input, offset, Math.min(input.length, offset + fragment))));
                channel.runPendingTasks();
                errorSent |= wroteAnError(channel);
            }
            channel.runPendingTasks();
            errorSent |= wroteAnError(channel);
            if (errorSent && channel.isOpen()) {
                throw new AssertionError("an error was sent but the connection stayed open");
            }
            // Nothing here can log in (no backend), so whatever state it got into, the handshake time-out ends it.
            channel.advanceTimeBy(ListenConfig.DEFAULT_HANDSHAKE_TIMEOUT.toMillis() + 1, TimeUnit.MILLISECONDS);
            channel.runScheduledPendingTasks();
            channel.runPendingTasks();
            if (channel.isOpen()) {
                throw new AssertionError("the connection outlived the handshake time-out");
            }
        } finally {
            channel.finishAndReleaseAll();
        }
    }

    /**
     * Reads what the gateway wrote; true when one of its packets was an ERR (0xff after the 4-byte header; the
     * encoder writes a small packet as one buffer). Once TLS is on, the bytes are records, not packets.
     */
    private static boolean wroteAnError(EmbeddedChannel channel) {
        boolean plain = channel.pipeline().get("tls") == null;
        boolean error = false;
        for (Object out = channel.readOutbound(); out != null; out = channel.readOutbound()) {
            ByteBuf bytes = (ByteBuf) out;
            error |= plain && bytes.readableBytes() > 4 && bytes.getUnsignedByte(bytes.readerIndex() + 4) == 0xFF;
            bytes.release();
        }
        return error;
    }
}
