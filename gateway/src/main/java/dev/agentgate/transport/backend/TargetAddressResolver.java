package dev.agentgate.transport.backend;

import dev.agentgate.config.TargetConfig;
import io.netty.channel.ConnectTimeoutException;
import io.netty.channel.EventLoop;
import io.netty.util.NetUtil;
import io.netty.util.concurrent.Future;
import io.netty.util.concurrent.Promise;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * Resolves a target's host name off the event loops: Netty's default resolver calls the JDK's blocking
 * {@link InetAddress#getByName} on the loop that connects, which would stall every session sharing it while DNS
 * answers. IP literals need no lookup and are returned at once. The result is delivered on the given loop.
 */
final class TargetAddressResolver {

    private static final int LOOKUP_THREADS = 4;
    private static final ExecutorService LOOKUPS = Executors.newFixedThreadPool(LOOKUP_THREADS, runnable -> {
        Thread thread = new Thread(runnable, "agentgate-backend-dns");
        thread.setDaemon(true);
        return thread;
    });

    private TargetAddressResolver() {}

    static Future<InetSocketAddress> resolve(TargetConfig target, EventLoop loop) {
        Promise<InetSocketAddress> promise = loop.newPromise();
        if (NetUtil.isValidIpV4Address(target.host()) || NetUtil.isValidIpV6Address(target.host())) {
            return promise.setSuccess(
                    new InetSocketAddress(NetUtil.createInetAddressFromIpAddressString(target.host()), target.port()));
        }
        // A hung lookup cannot be interrupted, but the session need not wait for it longer than for a connect.
        loop.schedule(
                () -> promise.tryFailure(new ConnectTimeoutException("lookup of " + target.host() + " timed out")),
                target.connectTimeout().toMillis(),
                TimeUnit.MILLISECONDS);
        try {
            LOOKUPS.execute(() -> {
                try {
                    InetSocketAddress address =
                            new InetSocketAddress(InetAddress.getByName(target.host()), target.port());
                    loop.execute(() -> promise.trySuccess(address));
                } catch (UnknownHostException e) {
                    loop.execute(() -> promise.tryFailure(e));
                }
            });
        } catch (RejectedExecutionException e) {
            promise.tryFailure(e);
        }
        return promise;
    }
}
