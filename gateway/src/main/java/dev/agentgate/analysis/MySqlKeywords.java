package dev.agentgate.analysis;

import java.util.Locale;
import java.util.Set;

/** The MySQL/MariaDB keywords the digest upper-cases (reserved words plus common statement words). */
final class MySqlKeywords {

    private static final Set<String> KEYWORDS =
            Set.of(("ACCESSIBLE ADD AFTER AGAINST AGGREGATE ALGORITHM ALL ALTER ANALYZE AND ANY AS ASC ASENSITIVE AT "
                            + "AUTO_INCREMENT BEFORE BEGIN BETWEEN BIGINT BINARY BLOB BOTH BTREE BY CALL CASCADE CASE CHANGE CHAR "
                            + "CHARACTER CHARSET CHECK CHECKSUM COLLATE COLUMN COLUMNS COMMIT COMMITTED CONSTRAINT CONTINUE "
                            + "CONVERT CREATE CROSS CUBE CURRENT_DATE CURRENT_TIME CURRENT_TIMESTAMP CURRENT_USER CURSOR "
                            + "DATABASE DATABASES DAY DEALLOCATE DEC DECIMAL DECLARE DEFAULT DEFINER DELAYED DELETE "
                            + "DELIMITER DESC DESCRIBE DETERMINISTIC DISABLE DISTINCT DISTINCTROW DIV DO DOUBLE DROP DUAL DUMPFILE "
                            + "DUPLICATE EACH ELSE ELSEIF ENABLE ENCLOSED END ENGINES ENUM ESCAPED EVENTS EVERY EXCEPT "
                            + "EXECUTE EXISTS EXIT EXPLAIN EXTENDED FALSE FETCH FIELDS FLOAT FLUSH FOLLOWING FOR FORCE FOREIGN "
                            + " FROM FULL FULLTEXT FUNCTION GLOBAL GRANT GRANTS GROUP HANDLER HAVING HIGH_PRIORITY HOUR IDENTIFIED "
                            + "IF IGNORE IN INDEX INDEXES INFILE INNER INOUT INSERT INT INTEGER INTERSECT INTERVAL INTO INVOKER IS "
                            + "ISOLATION ITERATE JOIN KEY KEYS KILL LANGUAGE LATERAL LEADING LEAVE LEFT LESS LIKE LIMIT "
                            + "LINES LOAD LOCAL LOCK LOCKED LOGS LONGBLOB LONGTEXT LOOP LOW_PRIORITY MASTER MATCH MAXVALUE MEDIUMINT "
                            + "MEDIUMTEXT MINUTE MOD MODIFIES MODIFY MONTH NATURAL NO NONE NOT NOWAIT NO_WRITE_TO_BINLOG NULL "
                            + "NUMERIC OF OFFSET ON ONLY OPEN OPTIMIZE OPTION OPTIONALLY OR ORDER OUT OUTER OUTFILE OVER PARTITION "
                            + "PARTITIONS PERSIST PLUGIN PLUGINS PRECEDING PREPARE PRIMARY PRIVILEGES PROCEDURE PROCESS "
                            + "PROCESSLIST PURGE QUICK RANGE READ READS REAL RECURSIVE REFERENCES REGEXP RELEASE RENAME REPAIR "
                            + "REPEAT REPEATABLE REPLACE REPLICA REQUIRE RESET RESIGNAL RESTRICT RETURN RETURNS REVOKE RIGHT RLIKE "
                            + " ROLLBACK ROLLUP ROW ROWS SAVEPOINT SCHEMA SCHEMAS SECOND SECURITY SELECT SEPARATOR SERIALIZABLE "
                            + "SESSION SET SHARE SHOW SHUTDOWN SIGNAL SKIP SLAVE SMALLINT SOME SPATIAL SQL SQL_BIG_RESULT "
                            + "SQL_CALC_FOUND_ROWS SQL_NO_CACHE SQL_SMALL_RESULT SSL START STARTING STOP STORED STRAIGHT_JOIN "
                            + "TABLE TABLES TEMPORARY TERMINATED THEN TINYINT TINYTEXT TO TRAILING TRANSACTION "
                            + "TRIGGER TRIGGERS TRUE TRUNCATE UNBOUNDED UNCOMMITTED UNDO UNINSTALL UNION UNIQUE UNLOCK UNSIGNED UNTIL "
                            + "UPDATE USAGE USE USING VALUES VARBINARY VARCHAR VARIABLES VIEW VIRTUAL WAIT WARNINGS WHEN "
                            + "WHERE WHILE WINDOW WITH WORK WRITE XA XOR YEAR ZEROFILL")
                    .trim()
                    .split(" +"));

    /**
     * The keywords again, open-addressed by an ASCII case-folding hash: the digest asks this for every word of
     * every statement, on the event loop for a cached decision, so a lookup must neither upper-case nor allocate.
     */
    private static final String[] FOLDED_TABLE = foldedTable();

    private static final int MAX_LENGTH =
            KEYWORDS.stream().mapToInt(String::length).max().orElse(0);

    private MySqlKeywords() {}

    static boolean isKeyword(String word) {
        return isKeyword(word, 0, word.length());
    }

    /** Whether {@code text[start, end)} is a keyword, in any case. */
    static boolean isKeyword(String text, int start, int end) {
        int length = end - start;
        if (length > MAX_LENGTH) {
            return false;
        }
        int hash = 0;
        for (int i = start; i < end; i++) {
            char c = text.charAt(i);
            if (c >= 0x80) { // some non-ASCII letters upper-case to ASCII ones
                return KEYWORDS.contains(text.substring(start, end).toUpperCase(Locale.ROOT));
            }
            hash = 31 * hash + (c >= 'a' && c <= 'z' ? c - ('a' - 'A') : c);
        }
        int mask = FOLDED_TABLE.length - 1;
        for (int slot = spread(hash) & mask; FOLDED_TABLE[slot] != null; slot = (slot + 1) & mask) {
            String keyword = FOLDED_TABLE[slot];
            if (keyword.length() == length && keyword.regionMatches(true, 0, text, start, length)) {
                return true;
            }
        }
        return false;
    }

    /** Keywords are upper-case ASCII, so their String hash is the folded hash a lookup computes. */
    private static String[] foldedTable() {
        String[] table = new String[Integer.highestOneBit(KEYWORDS.size() * 4)];
        for (String keyword : KEYWORDS) {
            int slot = spread(keyword.hashCode()) & (table.length - 1);
            while (table[slot] != null) {
                slot = (slot + 1) & (table.length - 1);
            }
            table[slot] = keyword;
        }
        return table;
    }

    private static int spread(int hash) {
        return hash ^ (hash >>> 16);
    }
}
