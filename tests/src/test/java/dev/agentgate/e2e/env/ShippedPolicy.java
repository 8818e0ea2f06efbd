package dev.agentgate.e2e.env;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * The shipped policies of {@code rego/} with a test copy of {@code rego/data.json}. The shipped data binds
 * roles by issuer (https://idp.example.com, agentgate-dev, https://token.actions.githubusercontent.com);
 * the copy, generated from the shipped file at run time, names the e2e {@link OidcIssuer} instead in every
 * {@code issuer} field, so that its tokens get the roles their claims select. Nothing else is changed.
 */
public final class ShippedPolicy {

    private static final ObjectMapper JSON = new ObjectMapper();

    private ShippedPolicy() {}

    /** The repository's {@code rego/} directory. */
    public static Path regoDirectory() {
        return Path.of(System.getProperty("agentgate.repo", ".."))
                .resolve("rego")
                .toAbsolutePath()
                .normalize();
    }

    /**
     * The policy files ({@code rego/*.rego} without the {@code _test} files) and the test data file, written
     * to {@code directory/data.json}, for {@code opa run}.
     */
    public static Path[] files(OidcIssuer issuer, Path directory) {
        return files(issuer, directory, config -> {});
    }

    /**
     * Like {@link #files(OidcIssuer, Path)}, with the test data's {@code agentgate.config} object changed by
     * {@code change} first (e.g. a shorter approval timeout than the shipped one).
     */
    public static Path[] files(OidcIssuer issuer, Path directory, Consumer<ObjectNode> change) {
        List<Path> files = new ArrayList<>(policyFiles());
        files.add(writeTestData(issuer.issuer(), directory.resolve("data.json"), change));
        return files.toArray(Path[]::new);
    }

    private static List<Path> policyFiles() {
        try (Stream<Path> entries = Files.list(regoDirectory())) {
            return entries.filter(path -> path.toString().endsWith(".rego")
                            && !path.toString().endsWith("_test.rego"))
                    .sorted()
                    .toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list the shipped policies in " + regoDirectory(), e);
        }
    }

    private static Path writeTestData(String issuer, Path file, Consumer<ObjectNode> change) {
        try {
            JsonNode data = JSON.readTree(regoDirectory().resolve("data.json").toFile());
            replaceIssuers(data, issuer);
            change.accept((ObjectNode) data.path("agentgate").path("config"));
            Files.createDirectories(file.getParent());
            JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), data);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the test policy data " + file, e);
        }
    }

    /** Sets every {@code issuer} field, at any depth, to {@code issuer}. */
    private static void replaceIssuers(JsonNode node, String issuer) {
        if (node instanceof ObjectNode object && object.has("issuer")) {
            object.put("issuer", issuer);
        }
        node.forEach(child -> replaceIssuers(child, issuer));
    }
}
