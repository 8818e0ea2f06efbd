package dev.agentgate.analysis;

import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * JSqlParser with a hard time budget per statement. JSqlParser runs the parse on an executor and cancels it
 * (its grammar checks the interrupt flag) when the budget is spent. The first attempt is the fast
 * non-complex grammar; only if that fails is the complex grammar tried, with what is left of the budget.
 * The pool is small and its queue bounded: when it is saturated a statement counts as unparsed, never waits.
 */
final class BoundedSqlParser implements AutoCloseable {

    /** Result of one parse: the statement, or a short reason why there is none. */
    record Outcome(Statement statement, String error) {
        boolean parsed() {
            return statement != null;
        }
    }

    private static final int QUEUE_CAPACITY = 256;
    private static final int MAX_ERROR_LENGTH = 200;

    private final long timeoutMillis;
    private final Outcome timedOut;
    private final ThreadPoolExecutor executor;

    BoundedSqlParser(Duration timeout, int threads) {
        Objects.requireNonNull(timeout, "parse timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("parse timeout must be positive, was " + timeout);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("parser threads must be at least 1, was " + threads);
        }
        this.timeoutMillis = timeout.toMillis();
        this.timedOut = new Outcome(null, "parse timed out after " + timeoutMillis + " ms");
        AtomicInteger counter = new AtomicInteger();
        this.executor = new ThreadPoolExecutor(threads, threads, 60, TimeUnit.SECONDS, new ArrayBlockingQueue<>(QUEUE_CAPACITY), r -> {
            Thread thread = new Thread(r, "agentgate-sql-parser-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
        executor.allowCoreThreadTimeOut(true);
    }

    Outcome parse(String sql) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMillis);
        Outcome simple = attempt(sql, false, timeoutMillis);
        if (simple.parsed() || simple.equals(timedOut)) {
            return simple;
        }
        long left = TimeUnit.NANOSECONDS.toMillis(deadline - System.nanoTime());
        return left <= 0 ? timedOut : attempt(sql, true, left);
    }

    private Outcome attempt(String sql, boolean complexGrammar, long budgetMillis) {
        try {
            CCJSqlParser parser = CCJSqlParserUtil.newParser(sql)
                    .withAllowComplexParsing(complexGrammar)
                    .withBackslashEscapeCharacter(true)
                    .withTimeOut(Math.max(1, budgetMillis));
            Statement statement = CCJSqlParserUtil.parseStatement(parser, executor);
            // JSqlParser's fallback for what its grammar does not know: a list of tokens, not a parse
            return statement instanceof UnsupportedStatement ? new Outcome(null, "statement not supported by the parser") : new Outcome(statement, null);
        } catch (JSQLParserException failed) {
            return isTimeout(failed) ? timedOut : new Outcome(null, shortMessage(failed));
        } catch (RejectedExecutionException busy) {
            return new Outcome(null, "parser busy");
        } catch (RuntimeException | StackOverflowError failed) {
            return new Outcome(null, "parser failed: " + failed.getClass().getSimpleName());
        }
    }

    private static boolean isTimeout(JSQLParserException e) {
        return e.getMessage() != null && e.getMessage().startsWith("Time out");
    }

    /** The first line of JSqlParser's message, which otherwise lists every expected token. */
    private static String shortMessage(JSQLParserException e) {
        Throwable cause = e.getCause() != null ? e.getCause() : e;
        if (cause instanceof Error || cause.getMessage() == null) {
            return "parser failed: " + cause.getClass().getSimpleName();
        }
        String message = cause.getMessage().strip();
        int newline = message.indexOf('\n');
        String firstLine = (newline < 0 ? message : message.substring(0, newline).strip()).replaceFirst("^([\\w$]+\\.)+\\w*Exception: ", "");
        return firstLine.length() > MAX_ERROR_LENGTH ? firstLine.substring(0, MAX_ERROR_LENGTH) + "..." : firstLine;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
