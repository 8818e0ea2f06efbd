package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class LexingModeTest {

    private static final LexingMode AT_LOGIN = LexingMode.atLogin("5.5.5-10.11.14-MariaDB", 45)
            .afterLoginReport(Map.of(
                    "sql_mode",
                    "STRICT_TRANS_TABLES",
                    "character_set_client",
                    "utf8mb4",
                    "session_track_system_variables",
                    "autocommit,sql_mode,character_set_client,session_track_system_variables"));

    @Test
    void followsTheSqlModeAndCharacterSetTheServerReports() {
        LexingMode after = AT_LOGIN.afterReport(
                Map.of("sql_mode", "ANSI_QUOTES,NO_BACKSLASH_ESCAPES", "character_set_client", "gbk"));
        assertThat(after.ansiQuotes()).isTrue();
        assertThat(after.noBackslashEscapes()).isTrue();
        assertThat(after.characterSet()).isEqualTo("gbk");
        assertThat(after.unreadableReason()).isNull();
    }

    @Test
    void losesTrackWhenTheTrackingListNoLongerCoversWhatDecidesLexing() {
        assertThat(AT_LOGIN.afterReport(Map.of("session_track_system_variables", "autocommit"))
                        .unreadableReason())
                .contains("no longer reports");
    }

    @Test
    void keepsTrackWhenEverythingIsTracked() {
        assertThat(AT_LOGIN.afterReport(Map.of("session_track_system_variables", "*"))
                        .unreadableReason())
                .isNull();
    }

    @Test
    void isUntrackedWhenTheLoginReportLacksTheSqlMode() {
        assertThat(LexingMode.atLogin("10.11.14-MariaDB", 45)
                        .afterLoginReport(Map.of())
                        .unreadableReason())
                .contains("does not report");
    }

    @Test
    void staysUntrackedWhateverIsReportedLater() {
        LexingMode untracked = AT_LOGIN.untracked("reset");
        assertThat(untracked.afterReport(Map.of("sql_mode", "")).unreadableReason())
                .isEqualTo("reset");
    }
}
