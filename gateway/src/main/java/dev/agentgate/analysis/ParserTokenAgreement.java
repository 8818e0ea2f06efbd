package dev.agentgate.analysis;

import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Set;
import net.sf.jsqlparser.parser.CCJSqlParserConstants;
import net.sf.jsqlparser.parser.CCJSqlParserTokenManager;
import net.sf.jsqlparser.parser.SimpleCharStream;
import net.sf.jsqlparser.parser.StringProvider;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.parser.TokenMgrException;
import net.sf.jsqlparser.parser.feature.Feature;
import net.sf.jsqlparser.parser.feature.FeatureConfiguration;

/**
 * Whether JSqlParser's own lexer cuts the parser text where the gateway's lexer (MariaDB's reading) cuts it, for
 * every literal and quoted name. The gateway's lexer decides the canonical text, but the lineage is walked on
 * JSqlParser's tree, built from JSqlParser's tokens: where JSqlParser ends a string or a quoted name elsewhere
 * ({@code "a\"b"}, {@code `a``b`}, {@code 0x1F FROM}: JSqlParser's hex literal goes on over the space and the F),
 * text that is inside a literal to one is code to the other, so the statement is
 * refused rather than analysed. Kinds may differ (JSqlParser takes {@code "abc"} for a name, {@code 0b101} for an
 * identifier): only where a literal or quoted name begins and ends counts, and that nothing cuts it inside.
 */
final class ParserTokenAgreement {

    private static final Set<Integer> JSQLPARSER_LITERALS = Set.of(
            CCJSqlParserConstants.S_CHAR_LITERAL,
            CCJSqlParserConstants.S_QUOTED_IDENTIFIER,
            CCJSqlParserConstants.S_HEX,
            CCJSqlParserConstants.S_LONG,
            CCJSqlParserConstants.S_DOUBLE);

    private static final Set<SqlToken.Kind> GATEWAY_LITERALS = Set.of(
            SqlToken.Kind.STRING, SqlToken.Kind.QUOTED_IDENTIFIER, SqlToken.Kind.NUMBER, SqlToken.Kind.HEX_OR_BIT);

    /** The lexing the parser is run with (BoundedSqlParser): a backslash escapes in strings, as in MariaDB. */
    private static final FeatureConfiguration BACKSLASH_ESCAPES =
            new FeatureConfiguration().setValue(Feature.allowBackslashEscapeCharacter, true); // only ever read

    private static final String CANNOT_CUT =
            "JSqlParser cannot cut the statement into tokens (a literal or quoted name it does not end)";

    private ParserTokenAgreement() {}

    /**
     * Where JSqlParser reads {@code parserText} (in MariaDB's default lexing) with other literal boundaries than the
     * gateway (also where it cannot cut the text into tokens at all), or null when they agree. Cuts the text with
     * JSqlParser's token manager alone: for text that did not parse.
     */
    static String disagreement(String parserText) {
        List<Token> tokens = new ArrayList<>();
        try {
            // The token manager alone: a whole parser (as CCJSqlParserUtil.newParser makes) costs more to set up
            // than cutting a short statement into tokens.
            CCJSqlParserTokenManager manager =
                    new CCJSqlParserTokenManager(new SimpleCharStream(new StringProvider(parserText), 1, 1));
            manager.configuration = BACKSLASH_ESCAPES;
            for (Token token = manager.getNextToken();
                    token.kind != CCJSqlParserConstants.EOF;
                    token = manager.getNextToken()) {
                tokens.add(token);
            }
        } catch (TokenMgrException | StackOverflowError cannotCut) {
            return CANNOT_CUT;
        }
        return disagreement(parserText, tokens);
    }

    /**
     * As {@link #disagreement(String)}, with the tokens a parse of {@code parserText} read: the chain after {@code
     * beforeFirst} (a parser's {@code token} before it started). A chain that ends before the end of the text
     * (the parse did not read that far) is not trusted: the text is cut again.
     */
    static String disagreement(String parserText, Token beforeFirst) {
        List<Token> tokens = new ArrayList<>();
        Token token = beforeFirst.next;
        while (token != null && token.kind != CCJSqlParserConstants.EOF) {
            tokens.add(token);
            token = token.next;
        }
        return token == null ? disagreement(parserText) : disagreement(parserText, tokens);
    }

    private static String disagreement(String parserText, List<Token> parserTokens) {
        List<SqlToken> gateway = MySqlLexer.tokenize(parserText);
        BitSet gatewayCuts = new BitSet(parserText.length() + 1);
        for (SqlToken token : gateway) {
            gatewayCuts.set(token.start());
            gatewayCuts.set(token.end());
            int quote = introducedQuote(token);
            if (quote > 0) {
                gatewayCuts.set(quote); // _utf8mb4'x': JSqlParser has the introducer and the string apart
            }
        }
        BitSet parserCuts = new BitSet(parserText.length() + 1);
        List<int[]> parserLiterals = new ArrayList<>();
        for (Token token : parserTokens) {
            int start = token.absoluteBegin - 1;
            int end = start + token.image.stripTrailing().length(); // x'AB' takes the space after it
            if (start < 0 || end > parserText.length()) {
                return CANNOT_CUT;
            }
            parserCuts.set(start);
            parserCuts.set(end);
            if (JSQLPARSER_LITERALS.contains(token.kind)) {
                parserLiterals.add(new int[] {start, end});
            }
        }
        for (SqlToken token : gateway) {
            if (GATEWAY_LITERALS.contains(token.kind())
                    && !agrees(token.start(), token.end(), parserCuts, introducedQuote(token))) {
                return "JSqlParser ends the literal or quoted name at offset " + token.start() + " elsewhere";
            }
        }
        for (int[] literal : parserLiterals) {
            if (!agrees(literal[0], literal[1], gatewayCuts, -1)) {
                return "JSqlParser reads a literal or quoted name at offset " + literal[0] + " the server does not";
            }
        }
        return null;
    }

    /** Whether {@code cuts} has both ends of {@code [start, end)} and nothing inside but {@code allowed}. */
    private static boolean agrees(int start, int end, BitSet cuts, int allowed) {
        if (!cuts.get(start) || !cuts.get(end)) {
            return false;
        }
        int inside = cuts.nextSetBit(start + 1);
        if (allowed > start && inside == allowed) {
            inside = cuts.nextSetBit(allowed + 1);
        }
        return inside >= end;
    }

    /**
     * Where the quote of a string with a charset introducer ({@code _utf8mb4'x'}) or of a quoted user variable or host
     * ({@code @`%`}) is, which JSqlParser reads as a token of its own; else -1.
     */
    private static int introducedQuote(SqlToken token) {
        if (token.kind() == SqlToken.Kind.USER_VARIABLE && token.text().length() > 1) {
            char quote = token.text().charAt(1);
            return quote == '\'' || quote == '"' || quote == '`' ? token.start() + 1 : -1;
        }
        if (token.kind() != SqlToken.Kind.STRING || !token.text().startsWith("_")) {
            return -1;
        }
        int quote = token.text().indexOf('\'');
        int doubleQuote = token.text().indexOf('"');
        int first = quote < 0 ? doubleQuote : doubleQuote < 0 ? quote : Math.min(quote, doubleQuote);
        return first < 0 ? -1 : token.start() + first;
    }
}
