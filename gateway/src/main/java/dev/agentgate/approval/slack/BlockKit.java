package dev.agentgate.approval.slack;

import com.slack.api.model.block.ActionsBlock;
import com.slack.api.model.block.ContextBlock;
import com.slack.api.model.block.ContextBlockElement;
import com.slack.api.model.block.HeaderBlock;
import com.slack.api.model.block.SectionBlock;
import com.slack.api.model.block.composition.MarkdownTextObject;
import com.slack.api.model.block.composition.PlainTextObject;
import com.slack.api.model.block.composition.TextObject;
import com.slack.api.model.block.element.BlockElement;
import com.slack.api.model.block.element.ButtonElement;
import java.util.List;

/**
 * The few Block Kit elements approval messages use, built with Slack's SDK model. Slack refuses a message
 * whose texts exceed its limits rather than cutting them, so the texts are cut here.
 */
final class BlockKit {
    /** Slack refuses text objects longer than this in a section. */
    static final int MAX_SECTION_TEXT = 3000;

    private static final int MAX_HEADER_TEXT = 150;
    private static final int MAX_FIELD_TEXT = 2000;

    private BlockKit() {}

    static HeaderBlock header(String text) {
        return HeaderBlock.builder()
                .text(plainText(truncate(text, MAX_HEADER_TEXT)))
                .build();
    }

    static SectionBlock section(String markdown) {
        return SectionBlock.builder()
                .text(markdown(truncate(markdown, MAX_SECTION_TEXT)))
                .build();
    }

    static SectionBlock fields(List<String> markdownFields) {
        List<TextObject> fields = markdownFields.stream()
                .map(field -> (TextObject) markdown(truncate(field, MAX_FIELD_TEXT)))
                .toList();
        return SectionBlock.builder().fields(fields).build();
    }

    static ContextBlock context(String markdown) {
        return ContextBlock.builder()
                .elements(List.<ContextBlockElement>of(markdown(markdown)))
                .build();
    }

    static ActionsBlock actions(String blockId, ButtonElement... buttons) {
        return ActionsBlock.builder()
                .blockId(blockId)
                .elements(List.<BlockElement>of(buttons))
                .build();
    }

    /** @param style {@code primary} or {@code danger} */
    static ButtonElement button(String text, String actionId, String value, String style) {
        return ButtonElement.builder()
                .text(plainText(text))
                .actionId(actionId)
                .value(value)
                .style(style)
                .build();
    }

    /** Escapes the three characters Slack's mrkdwn treats as control characters. */
    static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }

    private static PlainTextObject plainText(String text) {
        return PlainTextObject.builder().text(text).emoji(true).build();
    }

    private static MarkdownTextObject markdown(String text) {
        return MarkdownTextObject.builder().text(text).build();
    }

    private static String truncate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
