package dev.agentgate.approval.slack;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.List;

/**
 * The few Block Kit elements approval messages use, as JSON nodes. Slack's Java SDK (which models them) is
 * not available to this build, so the shapes follow Slack's Block Kit reference and the tests check them
 * field by field.
 */
final class BlockKit {
    /** Slack refuses text objects longer than this in a section. */
    static final int MAX_SECTION_TEXT = 3000;

    private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

    private BlockKit() {}

    static ObjectNode header(String text) {
        return block("header").set("text", plainText(truncate(text, 150)));
    }

    static ObjectNode section(String markdown) {
        return block("section").set("text", markdown(truncate(markdown, MAX_SECTION_TEXT)));
    }

    static ObjectNode fields(List<String> markdownFields) {
        ArrayNode fields = NODES.arrayNode();
        markdownFields.forEach(field -> fields.add(markdown(truncate(field, 2000))));
        return block("section").set("fields", fields);
    }

    static ObjectNode context(String markdown) {
        return block("context").set("elements", NODES.arrayNode().add(markdown(markdown)));
    }

    static ObjectNode actions(String blockId, ObjectNode... buttons) {
        ObjectNode actions = block("actions").put("block_id", blockId);
        actions.set("elements", NODES.arrayNode().addAll(List.of(buttons)));
        return actions;
    }

    /** @param style {@code primary} or {@code danger} */
    static ObjectNode button(String text, String actionId, String value, String style) {
        ObjectNode button = NODES.objectNode().put("type", "button");
        button.set("text", plainText(text));
        return button.put("action_id", actionId).put("value", value).put("style", style);
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static ObjectNode block(String type) {
        return NODES.objectNode().put("type", type);
    }

    private static ObjectNode plainText(String text) {
        return NODES.objectNode().put("type", "plain_text").put("text", text).put("emoji", true);
    }

    private static ObjectNode markdown(String text) {
        return NODES.objectNode().put("type", "mrkdwn").put("text", text);
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
