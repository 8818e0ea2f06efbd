package dev.agentgate.config;

import java.nio.file.Path;
import java.util.List;

/** The local development issuer (only with dev_mode). */
public record DevIssuerConfig(Path keyFile, List<String> audiences) {}
