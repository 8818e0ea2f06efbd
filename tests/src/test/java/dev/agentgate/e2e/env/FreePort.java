package dev.agentgate.e2e.env;

import dev.agentgate.testing.FreePorts;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.time.Instant;
import java.util.function.BooleanSupplier;

/** Loopback port helpers for the processes the suite starts. */
public final class FreePort {

    private FreePort() {}

    /** A port that was free a moment ago on 127.0.0.1 (the kernel picks it; a race with other processes is possible but rare). */
    public static int find() {
        return FreePorts.next();
    }

    /** Whether something accepts TCP connections on 127.0.0.1:port right now. */
    public static boolean isAccepting(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * Polls {@code ready} every 50 ms until it holds; gives up early when {@code alive} turns false.
     *
     * @return true when ready, false on timeout or when the watched process died
     */
    public static boolean await(Duration timeout, BooleanSupplier alive, BooleanSupplier ready) {
        Instant deadline = Instant.now().plus(timeout);
        while (Instant.now().isBefore(deadline)) {
            if (ready.getAsBoolean()) {
                return true;
            }
            if (!alive.getAsBoolean()) {
                return false;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return ready.getAsBoolean();
    }
}
