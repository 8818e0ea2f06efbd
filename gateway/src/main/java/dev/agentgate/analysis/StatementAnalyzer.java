package dev.agentgate.analysis;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * Turns the SQL text of one command into the facts the policy decides on. Thread-safe and meant to be shared:
 * the only state is the bounded parser pool and the trees of the last statements analysed, which {@link #parse}
 * takes over for the same text. Never throws for bad SQL: what JSqlParser cannot parse in time
 * is reported with {@code parsed: false}, a type from its first keywords and a digest from the tokenizer.
 */
public final class StatementAnalyzer implements AutoCloseable {

    public static final Duration DEFAULT_PARSE_TIMEOUT = Duration.ofMillis(200);

    private static final String UNREADABLE = "agentgate cannot read this statement exactly as the server does: ";

    private final BoundedSqlParser parser;
    private final RecentParses recentParses = new RecentParses();

    public StatementAnalyzer() {
        this(DEFAULT_PARSE_TIMEOUT);
    }

    public StatementAnalyzer(Duration parseTimeout) {
        this.parser = new BoundedSqlParser(
                parseTimeout, Math.max(2, Runtime.getRuntime().availableProcessors()));
    }

    /** {@link #analyze(String, String, LexingMode)} in the {@link LexingMode#DEFAULT} mode, for callers without a session. */
    public Analysis analyze(String sql, String currentDatabase) {
        return analyze(sql, currentDatabase, LexingMode.DEFAULT);
    }

    /**
     * @param sql             the text of a COM_QUERY (may hold several statements) or COM_STMT_PREPARE
     * @param currentDatabase the session's current database, or null when none is selected
     * @param lexing          how the session's server reads SQL: the facts' {@code sql} is the statement in canonical
     *                        form ({@link MySqlLexer}), and what the gateway cannot read as the server does comes back
     *                        unparsed, with the reason
     */
    public Analysis analyze(String sql, String currentDatabase, LexingMode lexing) {
        return analyze(sql, currentDatabase, lexing, null);
    }

    /**
     * As {@link #analyze(String, String, LexingMode)}, for a session's text.
     *
     * @param session the session that sent the text: at most one of its statements is parsed at a time, so that
     *     one session cannot take the parser from the others; null for text that belongs to no session
     */
    public Analysis analyze(String sql, String currentDatabase, LexingMode lexing, Object session) {
        Objects.requireNonNull(sql, "sql must not be null");
        MySqlLexer.Lexed lexed = MySqlLexer.lex(sql, lexing);
        List<StatementText> texts = StatementSplitter.split(lexed.canonical(), lexed.tokens());
        if (lexed.unreadable() != null) {
            return new Analysis(List.of(unreadable(sql, texts, lexed.unreadable())));
        }
        if (texts.isEmpty()) {
            return new Analysis(List.of(emptyQuery(sql)));
        }
        List<StatementFacts> statements = new ArrayList<>(texts.size());
        String changedBy = null;
        for (StatementText text : texts) {
            StatementFacts facts = analyze(text, currentDatabase, texts.size() > 1, lexing, session);
            String tracking = LexingChanges.touchesTracking(text, facts.type(), texts.size() > 1);
            if (tracking != null || changedBy != null) {
                facts = unreadable(
                        text.sql(),
                        List.of(text),
                        tracking != null
                                ? tracking
                                : "it follows " + changedBy
                                        + " in the same batch, which may change how the server reads it; send it separately");
            } else if (LexingChanges.mayChange(text, facts.type())) {
                changedBy = "a " + facts.type().jsonName() + " statement";
            }
            statements.add(facts);
        }
        return new Analysis(statements);
    }

    /**
     * The cache key of a query that is one plain statement, from the lexer alone (microseconds, no
     * parser), so that a cached decision can be found before the statement is parsed. Empty for
     * batches, for USE (whose facts change the session) and for PREPARE (whose digest depends on the
     * prepared text): those always take the full analysis.
     */
    public Optional<StatementKey> singleStatementKey(String sql) {
        return singleStatementKey(sql, LexingMode.DEFAULT);
    }

    /**
     * As {@link #singleStatementKey(String)}, for a session in {@code lexing}: empty unless the statement reads the
     * same there as in the default mode (same quotes, no versioned comment the server skips, nothing unreadable),
     * so that a key always names what the server will execute.
     */
    public Optional<StatementKey> singleStatementKey(String sql, LexingMode lexing) {
        if (!lexing.quotesAsDefault()) {
            return Optional.empty();
        }
        MySqlLexer.Lexed lexed = MySqlLexer.lex(sql, lexing);
        if (lexed.unreadable() != null || !lexed.canonical().equals(sql)) {
            return Optional.empty();
        }
        List<SqlToken> tokens = lexed.tokens();
        String text;
        if (isPlainSingleStatement(tokens)) {
            text = sql.strip(); // as the splitter cuts it, without its copies
        } else {
            List<StatementText> texts = StatementSplitter.split(sql, tokens);
            if (texts.size() != 1) {
                return Optional.empty();
            }
            text = texts.get(0).sql();
            tokens = texts.get(0).tokens();
        }
        // as classify() would type them USE or PREPARE, without upper-casing words
        if (StatementClassifier.startsWithWord(tokens, "USE")
                || StatementClassifier.startsWithWord(tokens, "PREPARE")) {
            return Optional.empty();
        }
        StatementShape.Shape shape = StatementShape.of(tokens);
        return Optional.of(new StatementKey(text, StatementDigest.text(tokens), shape.text(), shape.plainLiterals()));
    }

    /** Whether the text is one statement without comments or versioned comments: almost every statement an application sends. */
    private static boolean isPlainSingleStatement(List<SqlToken> tokens) {
        for (SqlToken token : tokens) {
            SqlToken.Kind kind = token.kind();
            if (kind == SqlToken.Kind.SEMICOLON
                    || kind == SqlToken.Kind.COMMENT
                    || kind == SqlToken.Kind.VERSIONED_OPEN
                    || kind == SqlToken.Kind.VERSIONED_CLOSE) {
                return false;
            }
        }
        return !tokens.isEmpty();
    }

    private StatementFacts analyze(
            StatementText text, String currentDatabase, boolean partOfBatch, LexingMode lexing, Object session) {
        StatementType type = StatementClassifier.classify(text.tokens());
        String digest = StatementDigest.text(text.tokens());
        StatementFacts.Builder facts =
                StatementFacts.builder().sql(text.sql()).type(type).digest(digest, StatementDigest.hash(digest));
        if (partOfBatch) {
            facts.feature(Feature.MULTIPLE_STATEMENTS);
        }
        TokenFacts.collect(text, type, facts);
        TokenTables.collect(text.tokens(), type, currentDatabase, facts);
        if (type == StatementType.PREPARE) {
            return includePreparedText(text, currentDatabase, facts, lexing, session);
        }
        if (TokenTables.isComplete(type, text.tokens())) {
            return facts.parsed(true).build();
        }
        Optional<String> tooLarge = StatementSize.excess(text.tokens());
        if (tooLarge.isPresent()) {
            return facts.parsed(false).parseError(tooLarge.get()).build();
        }
        // JSqlParser knows no SELECT ... INTO @v: parse the query without it (the tokens reported the feature)
        String parserText =
                SelectIntoClause.cut(text, ParserDialect.adapt(text)).query();
        BoundedSqlParser.Outcome outcome = parser.parse(parserText, session);
        // the tree is built from the parser's own tokens: those are the ones that must agree with the server's
        String disagreement = outcome.parsed()
                ? ParserTokenAgreement.disagreement(parserText, outcome.tokens())
                : ParserTokenAgreement.disagreement(parserText);
        if (disagreement != null) {
            return facts.parsed(false).parseError(UNREADABLE + disagreement).build();
        }
        if (!outcome.parsed()) {
            return facts.parsed(false).parseError(outcome.error()).build();
        }
        try {
            int walked = AstFacts.collect(outcome.statement(), currentDatabase, facts);
            recentParses.remember(parserText, outcome.statement());
            if (walked < selectKeywords(text)) {
                // a query hidden where the walk does not reach (say inside JSON_OBJECT(...)) could read any table:
                // admit it rather than present the facts as complete
                return facts.parsed(false)
                        .parseError("analysis incomplete: a subquery was not analysed")
                        .build();
            }
            return facts.parsed(true).build();
        } catch (RuntimeException | StackOverflowError walkFailed) {
            // facts gathered so far are true but may be incomplete: say so rather than claim a full analysis
            return facts.parsed(false)
                    .parseError("analysis failed: " + walkFailed.getClass().getSimpleName())
                    .build();
        }
    }

    /** PREPARE is judged by what it prepares: the facts of its text, with the type kept as prepare. */
    private StatementFacts includePreparedText(
            StatementText text,
            String currentDatabase,
            StatementFacts.Builder facts,
            LexingMode lexing,
            Object session) {
        Optional<String> prepared = PreparedText.of(text.tokens(), lexing);
        if (prepared.isEmpty()) {
            return facts.parsed(false)
                    .parseError("prepared text is not a string literal")
                    .build();
        }
        List<StatementFacts> inner =
                analyze(prepared.get(), currentDatabase, lexing, session).statements();
        inner.forEach(facts::include);
        // the digest names what is prepared: "PREPARE s FROM ?" alone would let a cached decision for one
        // prepared text answer for any other
        String digest = StatementDigest.text(text.tokens().subList(0, 3)) + " ( "
                + inner.stream().map(StatementFacts::digest).collect(Collectors.joining(" ; ")) + " )";
        facts.digest(digest, StatementDigest.hash(digest));
        boolean parsed = inner.size() == 1 && inner.get(0).parsed();
        String error = inner.size() != 1
                ? "prepared text must be one statement"
                : inner.get(0).parseError();
        return facts.parsed(parsed).parseError(parsed ? null : error).build();
    }

    /**
     * The syntax tree of each statement of a command, parsed under the same time budget as {@link #analyze};
     * for the column lineage, which needs the tree rather than the facts. A statement whose facts were just
     * collected from the same parser text is not parsed again: its tree is taken over. Never throws for bad SQL.
     */
    public List<ParsedStatement> parse(String sql) {
        Objects.requireNonNull(sql, "sql must not be null");
        List<ParsedStatement> statements = new ArrayList<>();
        for (StatementText text : StatementSplitter.split(sql)) {
            SelectIntoClause.Cut cut = SelectIntoClause.cut(text, ParserDialect.adapt(text));
            Optional<String> tooLarge = StatementSize.excess(text.tokens());
            BoundedSqlParser.Outcome outcome = tooLarge.isPresent()
                    ? new BoundedSqlParser.Outcome(null, tooLarge.get())
                    : recentParses
                            .take(cut.query())
                            .map(tree -> new BoundedSqlParser.Outcome(tree, null))
                            .orElseGet(() -> parser.parse(cut.query()));
            List<String> identifiers = text.tokens().stream()
                    .filter(SqlToken::isIdentifier)
                    .map(SqlToken::identifier)
                    .toList();
            statements.add(new ParsedStatement(
                    text.sql(),
                    StatementClassifier.classify(text.tokens()),
                    outcome.statement(),
                    outcome.error(),
                    (int) selectKeywords(text),
                    cut.clause(),
                    PreparedText.of(text.tokens()).orElse(null),
                    identifiers));
        }
        return statements;
    }

    private static long selectKeywords(StatementText text) {
        return text.tokens().stream().filter(token -> token.isWord("SELECT")).count();
    }

    /** Facts of text the gateway cannot read as the server does: unparsed, with the reason, so the policy refuses it. */
    private static StatementFacts unreadable(String sql, List<StatementText> texts, String reason) {
        List<SqlToken> tokens = texts.isEmpty() ? List.of() : texts.get(0).tokens();
        String digest = StatementDigest.text(tokens);
        return StatementFacts.builder()
                .sql(sql.strip())
                .type(StatementClassifier.classify(tokens))
                .parsed(false)
                .parseError(UNREADABLE + reason)
                .digest(digest, StatementDigest.hash(digest))
                .build();
    }

    private static StatementFacts emptyQuery(String sql) {
        String digest = "";
        return StatementFacts.builder()
                .sql(sql.strip())
                .type(StatementType.OTHER)
                .parsed(false)
                .parseError("empty query")
                .digest(digest, StatementDigest.hash(digest))
                .build();
    }

    @Override
    public void close() {
        parser.close();
    }
}
