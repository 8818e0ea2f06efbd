package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import dev.agentgate.analysis.GatewayStatements.Reason;
import dev.agentgate.analysis.GatewayStatements.Screen;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class GatewayStatementsTest {

    @ParameterizedTest
    @ValueSource(
            strings = {
                "KILL 42",
                "kill 42;",
                "/* c */ KILL 42",
                "# c\nKILL 42",
                "-- c\nkIlL 42",
                "/*!KILL 42*/",
                "/*M!100000 KILL */ 42",
                "KILL CONNECTION 42",
                "  Kill   Connection\n42 ",
                "KILL/**/CONNECTION/**/42"
            })
    void aKillOfAConnectionIsFoundWhateverCommentsOrCaseSurroundIt(String sql) {
        assertThat(GatewayStatements.screen(sql, false)).isEqualTo(new Screen.Kill(false, 42));
    }

    @ParameterizedTest
    @ValueSource(strings = {"KILL QUERY 7", "/* x */ kill query 7", "KILL/*x*/QUERY/*y*/7;"})
    void aKillQueryIsFoundWhateverCommentsOrCaseSurroundIt(String sql) {
        assertThat(GatewayStatements.screen(sql, false)).isEqualTo(new Screen.Kill(true, 7));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "KILL USER bob",
                "KILL HARD 5",
                "KILL SOFT QUERY 5",
                "KILL QUERY ID 5",
                "KILL @id",
                "KILL 2+3",
                "KILL (SELECT 5)",
                "KILL 99999999999999999999",
                "KILL 0x10",
                "KILL 5.0",
                "KILL"
            })
    void otherFormsOfKillAreRefused(String sql) {
        assertThat(GatewayStatements.screen(sql, false))
                .isInstanceOf(Screen.Refused.class)
                .extracting(screen -> ((Screen.Refused) screen).reason())
                .isEqualTo(Reason.KILL_FORM);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1; KILL 5",
                "KILL 5; SELECT 1",
                "SELECT 1;/* c */KILL 5",
                "SELECT 1; /*!KILL 5*/",
                "PREPARE s FROM 'KILL 5'",
                "PREPARE s FROM '/* c */ kill 5'",
                "EXECUTE IMMEDIATE 'KILL QUERY 5'",
                "EXECUTE IMMEDIATE \"KILL 5\""
            })
    void aKillInsideAMultiStatementOrADynamicStatementIsRefused(String sql) {
        assertThat(GatewayStatements.screen(sql, false))
                .isInstanceOf(Screen.Refused.class)
                .extracting(screen -> ((Screen.Refused) screen).reason())
                .isEqualTo(Reason.KILL_PREPARED);
    }

    @Test
    void aPreparedKillIsRefused() {
        assertThat(GatewayStatements.screen("KILL 5", true)).isInstanceOf(Screen.Refused.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "LOAD DATA LOCAL INFILE '/etc/passwd' INTO TABLE t",
                "/* c */ load data local infile 'x' into table t",
                "LOAD DATA LOW_PRIORITY LOCAL INFILE 'x' INTO TABLE t",
                "LOAD XML CONCURRENT LOCAL INFILE 'x' INTO TABLE t",
                "SELECT 1; LOAD DATA LOCAL INFILE 'x' INTO TABLE t",
                "/*!LOAD DATA LOCAL INFILE 'x' INTO TABLE t*/",
                "LOAD/**/DATA/**/LOCAL/**/INFILE 'x' INTO TABLE t",
                "PREPARE s FROM 'LOAD DATA LOCAL INFILE ''x'' INTO TABLE t'"
            })
    void loadDataLocalIsRefusedWhereverItIs(String sql) {
        assertThat(GatewayStatements.screen(sql, false))
                .isInstanceOf(Screen.Refused.class)
                .extracting(screen -> ((Screen.Refused) screen).reason())
                .isEqualTo(Reason.LOAD_DATA_LOCAL);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 1",
                "SELECT 'KILL 5'",
                "SELECT 1 /* KILL 5 */",
                "SELECT `kill` FROM t",
                "SELECT local FROM kill_log",
                "LOAD DATA INFILE 'local' INTO TABLE t",
                "UPDATE t SET note = 'LOAD DATA LOCAL INFILE'",
                "SELECT 1 -- KILL 5",
                "PREPARE s FROM 'SELECT ''KILL 5'''",
                "SET @kill = 'KILL 5'"
            })
    void statementsThatOnlyMentionTheWordsAreOrdinary(String sql) {
        assertThat(GatewayStatements.screen(sql, false)).isEqualTo(new Screen.Ordinary());
    }

    @Test
    void aKillHiddenInAStringByTheDefaultModeIsFoundAsAServerUnderNoBackslashEscapesCutsTheText() {
        String sql = "SELECT 'a\\'; KILL 5; -- '";
        LexingMode noBackslashEscapes = LexingMode.DEFAULT.withSqlMode("NO_BACKSLASH_ESCAPES");

        assertThat(GatewayStatements.screen(sql, false)).isInstanceOf(Screen.Ordinary.class);
        assertThat(GatewayStatements.screen(sql, false, noBackslashEscapes))
                .isInstanceOfSatisfying(
                        Screen.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.KILL_PREPARED));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SELECT 'kill'",
                "SELECT 'K\u0131LL'",
                "SELECT '\u212AILL'",
                "SELECT a FROM locals",
                "SELECT 'prepared'",
                "SELECT '\u0131mmed\u0131ate'"
            })
    void textMentioningAKeywordInAnyCaseTheServerOrJavaKnowsIsReadWithTheLexer(String sql) {
        LexingMode untracked = LexingMode.DEFAULT.untracked("the tracking list was reset");

        assertThat(GatewayStatements.screen(sql, false, untracked))
                .as("only read with the lexer, which refuses in an untracked session")
                .isInstanceOf(Screen.Refused.class);
    }

    @Test
    void textMentioningNoneOfTheKeywordsSkipsTheLexer() {
        LexingMode untracked = LexingMode.DEFAULT.untracked("the tracking list was reset");

        assertThat(GatewayStatements.screen("SELECT id, name, email FROM customers WHERE id = 5", false, untracked))
                .isInstanceOf(Screen.Ordinary.class);
    }

    @Test
    void aKillInASessionWhoseLexingTheGatewayLostIsRefusedAsUnreadable() {
        LexingMode untracked = LexingMode.DEFAULT.untracked("the tracking list was reset");

        assertThat(GatewayStatements.screen("KILL 5", false, untracked))
                .isInstanceOfSatisfying(
                        Screen.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void aStatementWithoutKillOrLocalIsNotLexedEvenWhenTheSessionIsUnreadable() {
        LexingMode untracked = LexingMode.DEFAULT.untracked("the tracking list was reset");

        assertThat(GatewayStatements.screen("SELECT 1", false, untracked)).isInstanceOf(Screen.Ordinary.class);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PREPARE s FROM @q",
                "PREPARE s FROM CONCAT('KI', 'LL 5')",
                "PREPARE s FROM 'KI' 'LL 5'",
                "PREPARE s FROM 0x4B494C4C2035",
                "PREPARE s FROM X'4B494C4C2035'",
                "PREPARE s FROM _latin1'KILL 5'",
                "PREPARE s FROM N'KILL 5'",
                "PREPARE s FROM (SELECT 'KILL 5')",
                "PREPARE s FROM @@init_connect",
                "PREPARE s /* c */ FROM /*!@q*/",
                "EXECUTE IMMEDIATE @q",
                "EXECUTE IMMEDIATE CONCAT('KI', 'LL 5')",
                "execute immediate 0x4B494C4C2035",
                "EXECUTE IMMEDIATE",
                "SET @q = 'x'; PREPARE s FROM @q; EXECUTE s",
                "EXECUTE IMMEDIATE 'EXECUTE IMMEDIATE @q'",
                "CREATE PROCEDURE p() BEGIN PREPARE s FROM @q; EXECUTE s; END",
                "BEGIN NOT ATOMIC EXECUTE IMMEDIATE CONCAT('KI', 'LL 5'); END"
            })
    void dynamicSqlWhoseTextIsNotOnePlainLiteralIsRefusedWithTheWayToWriteIt(String sql) {
        assertThat(GatewayStatements.screen(sql, false)).isInstanceOfSatisfying(Screen.Refused.class, refused -> {
            assertThat(refused.reason()).isEqualTo(Reason.DYNAMIC_TEXT);
            assertThat(refused.message()).contains("PREPARE s FROM 'SELECT ...'");
        });
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "EXECUTE IMMEDIATE 'EXECUTE IMMEDIATE ''KILL 5'''",
                "PREPARE s FROM 'KILL 5 /*\"*/'",
                "EXECUTE IMMEDIATE 'KILL 5' USING @x",
                "CREATE PROCEDURE p() BEGIN PREPARE s FROM 'KILL 5'; EXECUTE s; END",
                "CREATE PROCEDURE p() KILL 5",
                "CREATE EVENT e ON SCHEDULE EVERY 1 HOUR DO KILL 5",
                "BEGIN NOT ATOMIC IF 1 THEN KILL 5; END IF; END"
            })
    void aKillInsideNestedDynamicSqlOrAStoredProgramIsRefused(String sql) {
        assertThat(GatewayStatements.screen(sql, false))
                .isInstanceOfSatisfying(
                        Screen.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.KILL_PREPARED));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "PREPARE s FROM 'SELECT 1'",
                "PREPARE s FROM 'SELECT ?'; EXECUTE s USING @x",
                "EXECUTE IMMEDIATE 'SELECT ?' USING 5",
                "DEALLOCATE PREPARE s",
                "SELECT t.kill, t.prepare FROM t",
                "CREATE PROCEDURE p() BEGIN PREPARE s FROM 'SELECT 1'; EXECUTE s; END"
            })
    void dynamicSqlWithALiteralTextThatRunsNothingTheGatewayHandlesIsOrdinary(String sql) {
        assertThat(GatewayStatements.screen(sql, false)).isEqualTo(new Screen.Ordinary());
    }

    @Test
    void aBackslashInALiteralDynamicTextIsReadAsTheSessionsSqlModeReadsIt() {
        LexingMode noBackslashEscapes = LexingMode.DEFAULT.withSqlMode("NO_BACKSLASH_ESCAPES");
        String sql = "PREPARE s FROM 'SELECT ''a\\''; KILL 5'";

        assertThat(GatewayStatements.screen(sql, false)).isInstanceOf(Screen.Refused.class);
        assertThat(GatewayStatements.screen(sql, false, noBackslashEscapes))
                .isInstanceOfSatisfying(
                        Screen.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.KILL_PREPARED));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "SET sql_mode = 'NO_BACKSLASH_ESCAPES'; SELECT 'a\\'; KILL 5; -- '",
                "SET sql_mode = 'ANSI_QUOTES'; SELECT \"a\\\"; KILL 5; -- \"",
                "SET NAMES gbk; SELECT 'a'; KILL 5",
                "CALL p(); PREPARE s FROM 'SELECT 1'",
                "EXECUTE IMMEDIATE 'SET sql_mode = ''NO_BACKSLASH_ESCAPES'''; SELECT 'a\\'; KILL 5; -- '"
            })
    void aBatchThatMayChangeHowTheServerReadsTheRestMayNotMentionKillAfterThatChange(String sql) {
        assertThat(GatewayStatements.screen(sql, false))
                .isInstanceOfSatisfying(
                        Screen.Refused.class,
                        refused -> assertThat(refused.reason()).isEqualTo(Reason.UNREADABLE));
    }

    @Test
    void aBatchWhoseStatementsAfterASetMentionNothingTheGatewayHandlesIsOrdinary() {
        assertThat(GatewayStatements.screen("SELECT 'kill'; SET sql_mode = 'ANSI_QUOTES'; SELECT 1", false))
                .isEqualTo(new Screen.Ordinary());
    }
}
