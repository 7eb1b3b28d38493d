package dev.streams.history.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.util.regex.Pattern;
import org.sqlite.Function;

/**
 * SQLite's {@code X REGEXP Y}, which SQLite leaves to the application: a Java regular expression that must
 * match the whole text. History queries use it to keep to the topics a credential may read. One instance per
 * connection, and a connection runs one statement at a time, so the compiled pattern needs no locking.
 */
final class RegexpFunction extends Function {
    private String lastRegex;
    private Pattern lastPattern;

    static void register(Connection c) throws SQLException {
        Function.create(c, "regexp", new RegexpFunction());
    }

    @Override
    protected void xFunc() throws SQLException {
        if (args() != 2) {
            throw new SQLException("regexp takes a pattern and a text");
        }
        String regex = value_text(0);
        String text = value_text(1);
        if (regex == null || text == null) {
            result();
            return;
        }
        if (!regex.equals(lastRegex)) {
            lastPattern = Pattern.compile(regex);
            lastRegex = regex;
        }
        result(lastPattern.matcher(text).matches() ? 1 : 0);
    }
}
