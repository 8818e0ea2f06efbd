package dev.agentgate.cli;

public final class AgentgateCommand {
  public static void main(String[] args) {}
}
