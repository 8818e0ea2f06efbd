package dev.agentgate.transport;

import dev.agentgate.config.GatewayConfig;

/**
 * PLACEHOLDER written on the config branch so that {@code ServeCommand} compiles; the lead replaces
 * this file with the real Netty server. Only the public API below is relied upon.
 */
public final class GatewayServer {
  private GatewayServer() {}

  /** Binds the listener and returns once the gateway accepts connections. */
  public static GatewayServer start(GatewayConfig config) throws Exception {
    throw new UnsupportedOperationException("GatewayServer is a placeholder on the config branch");
  }

  /** Blocks until the server has closed. */
  public void awaitTermination() throws InterruptedException {
    throw new UnsupportedOperationException("GatewayServer is a placeholder on the config branch");
  }

  /** Stops accepting, lets running statements finish within listen.shutdown_grace, then closes. */
  public void shutdownGracefully() {
    throw new UnsupportedOperationException("GatewayServer is a placeholder on the config branch");
  }
}
