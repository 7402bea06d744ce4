package io.leadsuite.kit.csv;

import java.util.List;

/**
 * Writes RFC 4180 CSV (comma-separated, CRLF line ends) that a spreadsheet opens without running anything: a cell
 * that starts with {@code =}, {@code +}, {@code -}, {@code @}, a tab or a carriage return would be read as a formula,
 * so it gets a leading {@code '} (OWASP's advice against CSV injection). A cell with a comma, a quote or a line break
 * is quoted, its quotes doubled; null is an empty cell.
 */
public final class CsvWriter {

    private final StringBuilder out = new StringBuilder();

    /** Adds one record. */
    public CsvWriter row(List<?> cells) {
        for (int i = 0; i < cells.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            out.append(cell(cells.get(i)));
        }
        out.append("\r\n");
        return this;
    }

    @Override
    public String toString() {
        return out.toString();
    }

    /** One cell as written: neutralised, then quoted when it must be. */
    public static String cell(Object value) {
        if (value == null) {
            return "";
        }
        String text = value.toString();
        if (!text.isEmpty() && "=+-@\t\r".indexOf(text.charAt(0)) >= 0) {
            text = "'" + text;
        }
        if (text.indexOf(',') >= 0 || text.indexOf('"') >= 0 || text.indexOf('\n') >= 0 || text.indexOf('\r') >= 0) {
            return '"' + text.replace("\"", "\"\"") + '"';
        }
        return text;
    }
}
