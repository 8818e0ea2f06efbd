package dev.agentgate.review;

import dev.agentgate.admin.AdminResponse;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/** The sessions page's files, read once from the gateway's resources ({@code review/}), and its message page. */
final class PageAssets {

    /** One file of the page. */
    record Asset(String contentType, String text) {}

    private static final Map<String, String> TYPES = Map.of(
            "index.html", "text/html; charset=utf-8",
            "message.html", "text/html; charset=utf-8",
            "app.js", "text/javascript; charset=utf-8",
            "app.css", "text/css; charset=utf-8");

    private final Map<String, Asset> assets;

    private PageAssets(Map<String, Asset> assets) {
        this.assets = assets;
    }

    static PageAssets load() {
        Map<String, Asset> assets = new HashMap<>();
        TYPES.forEach((name, type) -> assets.put(name, new Asset(type, read(name))));
        return new PageAssets(Map.copyOf(assets));
    }

    Asset get(String name) {
        return assets.get(name);
    }

    /** A page with one sentence and a link back to the sessions page. */
    AdminResponse message(int status, String title, String sentence) {
        String html = assets.get("message.html")
                .text()
                .replace("{{title}}", escape(title))
                .replace("{{message}}", escape(sentence));
        return new AdminResponse(status, "text/html; charset=utf-8", html, SessionsPageRoute.pageHeaders());
    }

    private static String read(String name) {
        try (InputStream in = PageAssets.class.getResourceAsStream("/review/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the gateway jar lacks review/" + name);
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read review/" + name, e);
        }
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;")
                .replace("<", "&lt;")
                .replace(">", "&gt;")
                .replace("\"", "&quot;")
                .replace("'", "&#39;");
    }
}
