package dev.agentgate.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.embedded.EmbeddedChannel;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;

/** What a test's client channel was given to send: the buffers in order, and their bytes. */
final class ClientWrites {

    private ClientWrites() {}

    /** Every buffer written to {@code client} so far, in order; the caller releases them. */
    static List<ByteBuf> written(EmbeddedChannel client) {
        List<ByteBuf> written = new ArrayList<>();
        for (Object message = client.readOutbound(); message != null; message = client.readOutbound()) {
            written.add((ByteBuf) message);
        }
        return written;
    }

    /** The bytes of {@code written}, in order; each buffer is released. */
    static byte[] bytesOf(List<ByteBuf> written) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (ByteBuf buffer : written) {
            all.writeBytes(ByteBufUtil.getBytes(buffer));
            buffer.release();
        }
        return all.toByteArray();
    }
}
