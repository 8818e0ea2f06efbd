package dev.agentgate.e2e.env;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestWatcher;

/** Prints the tail of every running gateway's log when a test fails (the log files are deleted afterwards). */
public final class GatewayLogOnFailure implements TestWatcher {

  @Override
  public void testFailed(ExtensionContext context, Throwable cause) {
    for (GatewayProcess gateway : GatewayProcess.running()) {
      System.err.println("---- " + context.getDisplayName() + " failed; tail of " + gateway + " ----");
      System.err.println(gateway.logTail(60));
    }
  }
}
