package dev.agentgate.analysis;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.IntStream;
import net.sf.jsqlparser.JSQLParserException;
import net.sf.jsqlparser.parser.CCJSqlParserUtil;
import net.sf.jsqlparser.statement.Statement;
import org.junit.jupiter.api.Test;

class RecentParsesTest {

    private final RecentParses recent = new RecentParses();

    private static Statement tree(String sql) throws JSQLParserException {
        return CCJSqlParserUtil.parse(sql);
    }

    @Test
    void handsOutTheTreeRememberedForExactlyTheSameText() throws JSQLParserException {
        Statement tree = tree("SELECT a FROM t WHERE id = 1");
        recent.remember("SELECT a FROM t WHERE id = 1", tree);
        assertThat(recent.take("SELECT a FROM t WHERE id = 1")).containsSame(tree);
    }

    @Test
    void handsOutATreeOnlyOnceSoThatNoTwoWalksShareIt() throws JSQLParserException {
        recent.remember("SELECT a FROM t", tree("SELECT a FROM t"));
        recent.take("SELECT a FROM t");
        assertThat(recent.take("SELECT a FROM t")).isEmpty();
    }

    @Test
    void handsOutNothingForATextThatDiffersInAnyCharacter() throws JSQLParserException {
        recent.remember("SELECT a FROM t", tree("SELECT a FROM t"));
        assertThat(recent.take("select a FROM t")).isEmpty();
        assertThat(recent.take("SELECT a FROM t ")).isEmpty();
    }

    @Test
    void keepsNoTreeOfAStatementLongerThan8KCharacters() throws JSQLParserException {
        String longStatement = "SELECT a FROM t WHERE b = '" + "x".repeat(8 * 1024) + "'";
        recent.remember(longStatement, tree(longStatement));
        assertThat(recent.take(longStatement)).isEmpty();
    }

    @Test
    void forgetsTheOldestTreesOnceTheTextsKeptExceed32KCharacters() throws JSQLParserException {
        Statement tree = tree("SELECT 1");
        String padding = " ".repeat(4 * 1024);
        for (int i = 10; i < 26; i++) { // 16 texts of 4105 characters: the last 7 fit
            recent.remember("SELECT " + i + padding, tree);
        }
        assertThat(IntStream.range(10, 26)
                        .filter(i -> recent.take("SELECT " + i + padding).isPresent()))
                .containsExactlyElementsOf(IntStream.range(19, 26).boxed().toList());
    }

    @Test
    void keepsTheNewerTreeWhenTheSameTextIsRememberedTwice() throws JSQLParserException {
        Statement newer = tree("SELECT a FROM t");
        recent.remember("SELECT a FROM t", tree("SELECT a FROM t"));
        recent.remember("SELECT a FROM t", newer);
        assertThat(recent.take("SELECT a FROM t")).containsSame(newer);
        assertThat(recent.take("SELECT a FROM t")).isEmpty();
    }
}
