package dev.agentgate.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An identity provider that hangs: its port on 127.0.0.1 accepts every connection and never sends a byte, so
 * each discovery or JWKS request made to it waits for the client's read time-out. Its URL is a valid issuer for
 * the gateway config; tokens claiming it can be minted with another issuer's keys ({@code token(..).issuer(url)}).
 */
public final class HangingIssuer implements AutoCloseable {

    private final ServerSocket socket;
    private final List<Socket> held = new CopyOnWriteArrayList<>();
    private final AtomicInteger accepted = new AtomicInteger();

    private HangingIssuer(ServerSocket socket) {
        this.socket = socket;
        Thread acceptor = new Thread(this::acceptForever, "hanging-issuer-" + socket.getLocalPort());
        acceptor.setDaemon(true);
        acceptor.start();
    }

    public static HangingIssuer start() {
        try {
            return new HangingIssuer(new ServerSocket(0, 100, InetAddress.getLoopbackAddress()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open the hanging issuer's port", e);
        }
    }

    /** The issuer URL, as in the {@code iss} claim and the gateway config. */
    public String issuer() {
        return "http://127.0.0.1:" + socket.getLocalPort();
    }

    /** How many connections the gateway opened to it so far. */
    public int connectionsAccepted() {
        return accepted.get();
    }

    private void acceptForever() {
        while (!socket.isClosed()) {
            try {
                held.add(socket.accept());
                accepted.incrementAndGet();
            } catch (IOException closed) {
                return;
            }
        }
    }

    @Override
    public void close() {
        try {
            socket.close();
            for (Socket connection : held) {
                connection.close();
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the hanging issuer", e);
        }
    }
}
