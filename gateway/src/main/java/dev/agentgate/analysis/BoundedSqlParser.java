package dev.agentgate.analysis;

import java.time.Duration;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Semaphore;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import net.sf.jsqlparser.parser.CCJSqlParser;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.parser.ParseException;
import net.sf.jsqlparser.parser.Token;
import net.sf.jsqlparser.statement.Statement;
import net.sf.jsqlparser.statement.UnsupportedStatement;

/**
 * JSqlParser with a hard time budget per statement, fair between sessions. The budget counts the statement's own
 * parse time only: it starts when a parser thread takes the statement up, not while it waits for one. The first
 * attempt is the fast non-complex grammar; only if that fails is the complex grammar tried, with what is left.
 *
 * <p>JSqlParser does not always stop when its budget is spent (its lookahead on nested parentheses can run for
 * minutes past the interrupt). Such a parse is abandoned: it no longer holds one of the {@code threads} slots, so
 * it cannot starve other sessions' statements, but it still holds its session's only slot, so the session's next
 * statements are not parsed until it ends; at most {@code threads} abandoned parses run at once.
 */
final class BoundedSqlParser implements AutoCloseable {

    /**
     * Result of one parse: the statement, or a short reason why there is none.
     *
     * @param tokens the parser's token chain ({@link Token#next}, from the token before the first) for a statement
     *     that parsed; null otherwise
     */
    record Outcome(Statement statement, String error, Token tokens) {
        Outcome(Statement statement, String error) {
            this(statement, error, null);
        }

        boolean parsed() {
            return statement != null;
        }
    }

    /** How long a statement may wait for a parser thread, in budgets: beyond that the parser is busy. */
    private static final int MAX_WAIT_IN_BUDGETS = 10;

    private static final int MAX_ERROR_LENGTH = 200;

    private final long timeoutNanos;
    private final Outcome timedOut;
    private final Semaphore running;
    private final Semaphore abandoned;
    private final Set<Object> ownersParsing = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor executor;

    BoundedSqlParser(Duration timeout, int threads) {
        Objects.requireNonNull(timeout, "parse timeout must not be null");
        if (timeout.isNegative() || timeout.isZero()) {
            throw new IllegalArgumentException("parse timeout must be positive, was " + timeout);
        }
        if (threads < 1) {
            throw new IllegalArgumentException("parser threads must be at least 1, was " + threads);
        }
        this.timeoutNanos = timeout.toNanos();
        this.timedOut = new Outcome(null, "parse timed out after " + timeout.toMillis() + " ms");
        this.running = new Semaphore(threads, true);
        this.abandoned = new Semaphore(threads);
        AtomicInteger counter = new AtomicInteger();
        // No queue: a thread per admitted parse; the semaphores bound how many there are.
        this.executor = new ThreadPoolExecutor(0, 4 * threads, 60, TimeUnit.SECONDS, new SynchronousQueue<>(), r -> {
            Thread thread = new Thread(r, "agentgate-sql-parser-" + counter.incrementAndGet());
            thread.setDaemon(true);
            return thread;
        });
    }

    Outcome parse(String sql) {
        return parse(sql, null);
    }

    /**
     * @param owner the session the statement belongs to (at most one of its parses runs at a time), or null for a
     *     parse that belongs to none
     */
    Outcome parse(String sql, Object owner) {
        if (owner != null && !ownersParsing.add(owner)) {
            return new Outcome(null, "not parsed: this session's previous statement is still being parsed");
        }
        boolean released = true;
        try {
            if (!running.tryAcquire(MAX_WAIT_IN_BUDGETS * timeoutNanos, TimeUnit.NANOSECONDS)) {
                return new Outcome(null, "parser busy");
            }
            ParseTask task = new ParseTask(sql, owner);
            try {
                executor.execute(task);
            } catch (RejectedExecutionException full) {
                running.release();
                return new Outcome(null, "parser busy");
            }
            released = false;
            return task.await();
        } catch (InterruptedException interrupted) {
            Thread.currentThread().interrupt();
            return new Outcome(null, "parse interrupted");
        } finally {
            if (released && owner != null) {
                ownersParsing.remove(owner);
            }
        }
    }

    /** One statement on a parser thread; frees its owner's slot when the thread is done with it, however late. */
    private final class ParseTask implements Runnable {
        private final String sql;
        private final Object owner;
        private final CountDownLatch started = new CountDownLatch(1);
        private volatile long startedAt;
        private volatile CCJSqlParser current;
        private volatile Thread worker;
        private volatile Outcome outcome;
        private final CountDownLatch done = new CountDownLatch(1);
        private boolean abandonedHere; // guarded by this
        private boolean finished; // guarded by this

        ParseTask(String sql, Object owner) {
            this.sql = sql;
            this.owner = owner;
        }

        @Override
        public void run() {
            worker = Thread.currentThread();
            startedAt = System.nanoTime();
            started.countDown();
            try {
                Outcome simple = attempt(false);
                long left = timeoutNanos - (System.nanoTime() - startedAt);
                outcome = simple.parsed() || left <= 0 ? simple : attempt(true);
            } finally {
                Thread.interrupted(); // a late interrupt must not reach the next task of this thread
                finish(); // before the waiter hears of it: the session's next statement may come at once
                done.countDown();
            }
        }

        private synchronized void finish() {
            finished = true;
            if (abandonedHere) {
                abandoned.release();
            } else {
                running.release();
            }
            if (owner != null) {
                ownersParsing.remove(owner);
            }
        }

        private Outcome attempt(boolean complexGrammar) {
            try {
                CCJSqlParser parser = CCJSqlParserUtil.newParser(sql)
                        .withAllowComplexParsing(complexGrammar)
                        .withBackslashEscapeCharacter(true);
                current = parser;
                Token beforeFirst = parser.token; // every token the parser reads is linked after it
                Statement statement = parser.Statement();
                // JSqlParser's fallback for what its grammar does not know: a list of tokens, not a parse
                return statement instanceof UnsupportedStatement
                        ? new Outcome(null, "statement not supported by the parser")
                        : new Outcome(statement, null, beforeFirst);
            } catch (ParseException failed) {
                return new Outcome(null, shortMessage(failed));
            } catch (RuntimeException | StackOverflowError failed) {
                return new Outcome(null, "parser failed: " + failed.getClass().getSimpleName());
            }
        }

        /** Waits for the parse, its budget counted from when it started; past it, stops or abandons it. */
        Outcome await() throws InterruptedException {
            started.await();
            long left = timeoutNanos - (System.nanoTime() - startedAt);
            if (left > 0 && done.await(left, TimeUnit.NANOSECONDS)) {
                return outcome;
            }
            CCJSqlParser parser = current;
            if (parser != null) {
                parser.interrupted = true; // JSqlParser's own way to stop, checked in its grammar
            }
            Thread thread = worker;
            if (thread != null) {
                thread.interrupt();
            }
            abandon();
            return timedOut;
        }

        /** Gives the running slot back for other statements; the abandoned one holds an abandoned slot instead. */
        private synchronized void abandon() {
            if (finished || !abandoned.tryAcquire()) {
                return; // finished meanwhile, or too many abandoned already: it keeps its running slot
            }
            abandonedHere = true;
            running.release();
        }
    }

    /** The first line of JSqlParser's message, which otherwise lists every expected token. */
    private static String shortMessage(ParseException cause) {
        if (cause.getMessage() == null) {
            return "parser failed: " + cause.getClass().getSimpleName();
        }
        String message = cause.getMessage().strip();
        int newline = message.indexOf('\n');
        String firstLine = (newline < 0
                        ? message
                        : message.substring(0, newline).strip())
                .replaceFirst("^([\\w$]+\\.)+\\w*Exception: ", "");
        return firstLine.length() > MAX_ERROR_LENGTH ? firstLine.substring(0, MAX_ERROR_LENGTH) + "..." : firstLine;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
