package dev.agentgate.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine.IVersionProvider;

/** Reads the version Maven records in the jar, so it is never maintained by hand. */
final class VersionProvider implements IVersionProvider {
    private static final String POM_PROPERTIES = "/META-INF/maven/dev.agentgate/agentgate-gateway/pom.properties";

    @Override
    public String[] getVersion() throws IOException {
        return new String[] {"agentgate " + version()};
    }

    static String version() throws IOException {
        try (InputStream in = VersionProvider.class.getResourceAsStream(POM_PROPERTIES)) {
            if (in == null) {
                return "(development build)";
            }
            Properties properties = new Properties();
            properties.load(in);
            return properties.getProperty("version", "(unknown)");
        }
    }
}
