package dev.agentgate.approval;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/**
 * A MySQL client written byte by byte, for what no driver does on request: it logs in over TLS with the token as a
 * {@code mysql_clear_password}, then writes several COM_QUERY packets in one go before reading any answer (a
 * pipelining client), and counts every byte the gateway sends after the login. Answers are read as text: {@code OK
 * <affected rows>}, {@code ERR <code> <message>}, or {@code ROWS [[v, ...], ...]}.
 */
final class PipeliningClient implements AutoCloseable {

    private static final int CLIENT_CONNECT_WITH_DB = 0x8;
    private static final int CLIENT_PROTOCOL_41 = 0x200;
    private static final int CLIENT_SSL = 0x800;
    private static final int CLIENT_TRANSACTIONS = 0x2000;
    private static final int CLIENT_SECURE_CONNECTION = 0x8000;
    private static final int CLIENT_PLUGIN_AUTH = 0x80000;
    private static final int CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA = 0x200000;
    private static final int CAPABILITIES = CLIENT_CONNECT_WITH_DB
            | CLIENT_PROTOCOL_41
            | CLIENT_SSL
            | CLIENT_TRANSACTIONS
            | CLIENT_SECURE_CONNECTION
            | CLIENT_PLUGIN_AUTH
            | CLIENT_PLUGIN_AUTH_LENENC_CLIENT_DATA;
    private static final int UTF8MB4 = 45;

    private final SSLSocket socket;
    private final DataInputStream in;
    private final OutputStream out;
    private final AtomicLong received = new AtomicLong();
    private volatile boolean counting;

    private PipeliningClient(SSLSocket socket) throws IOException {
        this.socket = socket;
        this.in = new DataInputStream(new FilterInputStream(socket.getInputStream()) {
            @Override
            public int read() throws IOException {
                int b = super.read();
                count(b < 0 ? 0 : 1);
                return b;
            }

            @Override
            public int read(byte[] buffer, int offset, int length) throws IOException {
                int n = super.read(buffer, offset, length);
                count(Math.max(0, n));
                return n;
            }
        });
        this.out = socket.getOutputStream();
    }

    /** Logs in to target {@code user} of the gateway on {@code port} with {@code token}, in {@code database}. */
    static PipeliningClient login(int port, String user, String token, String database) throws Exception {
        Socket plain = new Socket("127.0.0.1", port);
        DataInputStream greeting = new DataInputStream(plain.getInputStream());
        byte[] handshake = packet(greeting);
        if (handshake[0] != 10) {
            throw new IOException("not a protocol 10 greeting: " + handshake[0]);
        }
        ByteArrayOutputStream sslRequest = new ByteArrayOutputStream();
        header(sslRequest);
        plain.getOutputStream().write(frame(1, sslRequest.toByteArray()));
        SSLSocket tls =
                (SSLSocket) trustingEveryCertificate().getSocketFactory().createSocket(plain, "localhost", port, true);
        tls.startHandshake();
        PipeliningClient client = new PipeliningClient(tls);
        ByteArrayOutputStream response = new ByteArrayOutputStream();
        header(response);
        response.writeBytes(nul(user));
        byte[] auth = token.getBytes(StandardCharsets.US_ASCII);
        if (auth.length < 0xFB) {
            response.write(auth.length);
        } else {
            response.write(0xFC);
            response.write(auth.length & 0xFF);
            response.write(auth.length >> 8);
        }
        response.writeBytes(auth);
        response.writeBytes(nul(database));
        response.writeBytes(nul("mysql_clear_password"));
        client.out.write(frame(2, response.toByteArray()));
        client.out.flush();
        byte[] answer = packet(client.in);
        if ((answer[0] & 0xFF) == 0xFE) { // a switch to mysql_clear_password: the token again, NUL-terminated
            client.out.write(frame(4, nul(token)));
            client.out.flush();
            answer = packet(client.in);
        }
        if (answer[0] != 0) {
            throw new IOException("login refused: " + text(answer));
        }
        client.counting = true;
        return client;
    }

    /** Writes a COM_QUERY for each statement, all in one write, before reading anything. */
    void sendAtOnce(String... statements) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (String sql : statements) {
            ByteArrayOutputStream query = new ByteArrayOutputStream();
            query.write(0x03);
            query.writeBytes(sql.getBytes(StandardCharsets.UTF_8));
            all.writeBytes(frame(0, query.toByteArray()));
        }
        out.write(all.toByteArray());
        out.flush();
    }

    /** Bytes the gateway sent since the login. */
    long bytesReceived() {
        return received.get();
    }

    /** The next command's whole answer, as text. */
    String readAnswer() throws IOException {
        byte[] first = packet(in);
        int kind = first[0] & 0xFF;
        if (kind == 0x00) {
            return "OK " + new Reader(first, 1).lengthEncoded();
        }
        if (kind == 0xFF) {
            return "ERR " + text(first);
        }
        long columns = new Reader(first, 0).lengthEncoded();
        for (long i = 0; i <= columns; i++) {
            packet(in); // each column definition, then the EOF after them
        }
        List<List<String>> rows = new ArrayList<>();
        for (byte[] row = packet(in); (row[0] & 0xFF) != 0xFE || row.length >= 9; row = packet(in)) {
            Reader values = new Reader(row, 0);
            List<String> cells = new ArrayList<>();
            for (long i = 0; i < columns; i++) {
                cells.add(values.lengthEncodedString());
            }
            rows.add(cells);
        }
        return "ROWS " + rows;
    }

    private void count(int bytes) {
        if (counting) {
            received.addAndGet(bytes);
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }

    /** The fixed start of SSLRequest and HandshakeResponse41: capabilities, max packet size, charset, filler. */
    private static void header(ByteArrayOutputStream payload) {
        for (int shift = 0; shift < 32; shift += 8) {
            payload.write(CAPABILITIES >> shift);
        }
        payload.writeBytes(new byte[] {0, 0, 0, 1});
        payload.write(UTF8MB4);
        payload.writeBytes(new byte[23]);
    }

    private static byte[] frame(int sequenceId, byte[] payload) {
        byte[] framed = new byte[payload.length + 4];
        framed[0] = (byte) payload.length;
        framed[1] = (byte) (payload.length >> 8);
        framed[2] = (byte) (payload.length >> 16);
        framed[3] = (byte) sequenceId;
        System.arraycopy(payload, 0, framed, 4, payload.length);
        return framed;
    }

    private static byte[] packet(DataInputStream in) throws IOException {
        byte[] header = new byte[4];
        in.readFully(header);
        int length = (header[0] & 0xFF) | (header[1] & 0xFF) << 8 | (header[2] & 0xFF) << 16;
        byte[] payload = new byte[length];
        in.readFully(payload);
        return payload;
    }

    private static byte[] nul(String text) {
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        byte[] terminated = new byte[bytes.length + 1];
        System.arraycopy(bytes, 0, terminated, 0, bytes.length);
        return terminated;
    }

    /** An ERR packet as {@code <code> <message>}. */
    private static String text(byte[] error) {
        int code = (error[1] & 0xFF) | (error[2] & 0xFF) << 8;
        int start = error.length > 3 && error[3] == '#' ? 9 : 3;
        return code + " " + new String(error, start, error.length - start, StandardCharsets.UTF_8);
    }

    private static SSLContext trustingEveryCertificate() throws Exception {
        TrustManager trustAll = new X509TrustManager() {
            @Override
            public void checkClientTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public void checkServerTrusted(X509Certificate[] chain, String authType) {}

            @Override
            public X509Certificate[] getAcceptedIssuers() {
                return new X509Certificate[0];
            }
        };
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {trustAll}, new SecureRandom());
        return context;
    }

    /** Length-encoded integers and strings of one payload, read from {@code position} on. */
    private static final class Reader {
        private final byte[] payload;
        private int position;

        Reader(byte[] payload, int position) {
            this.payload = payload;
            this.position = position;
        }

        long lengthEncoded() {
            int first = payload[position++] & 0xFF;
            int bytes = first < 0xFB ? 0 : first == 0xFC ? 2 : first == 0xFD ? 3 : 8;
            if (bytes == 0) {
                return first;
            }
            long value = 0;
            for (int i = 0; i < bytes; i++) {
                value |= (long) (payload[position++] & 0xFF) << (8 * i);
            }
            return value;
        }

        String lengthEncodedString() {
            if ((payload[position] & 0xFF) == 0xFB) {
                position++;
                return "NULL";
            }
            int length = (int) lengthEncoded();
            String value = new String(payload, position, length, StandardCharsets.UTF_8);
            position += length;
            return value;
        }
    }
}
