package dev.agentgate.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ParameterException;

/** {@code agentgate policy whatif}: tools for changing the policy safely. */
@Command(
        name = "policy",
        mixinStandardHelpOptions = true,
        description = "Policy tools: replay recorded decisions against a candidate policy before rolling it out.",
        subcommands = {WhatIfCommand.class})
public final class PolicyCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command: 'whatif'");
    }
}
