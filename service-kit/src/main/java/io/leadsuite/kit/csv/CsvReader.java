package io.leadsuite.kit.csv;

import java.io.IOException;
import java.io.Reader;
import java.util.ArrayList;
import java.util.List;

/**
 * A streaming RFC 4180 reader: one record at a time from a {@link Reader}, never the whole input in memory. Fields
 * may be quoted; a quoted field may hold the delimiter, doubled quotes and line breaks. Line breaks are CRLF, LF or CR.
 * A byte order mark at the start is skipped. Each record knows the physical line it starts on (the first line is 1).
 * Lenient where RFC 4180 is silent: a quote inside an unquoted field is kept as a character, and text after a closing
 * quote is appended to the field. An unterminated quoted field is reported as a record with an error.
 * <p>
 * With limits, a record with a field longer than {@code maxFieldLength} characters, or longer than
 * {@code maxRecordLength} characters in all (its line breaks inside quotes included), is reported as a record with an
 * error naming the limit; the rest of it is read past without being kept, so one huge line costs no memory and the
 * records after it are read as usual.
 */
public final class CsvReader {

    /** A record: the line it starts on and its fields, or why it cannot be read. */
    public record Row(int line, List<String> fields, String error) {
        /** A line with nothing on it. */
        public boolean blank() {
            return error == null && fields.size() == 1 && fields.get(0).isEmpty();
        }
    }

    private static final int EOF = -1;

    private final Reader in;
    private final char delimiter;
    private final char[] buffer = new char[64 * 1024];
    private int position;
    private int limit;
    private int line = 1;
    private boolean started;
    private boolean done;

    private final int maxFieldLength;
    private final int maxRecordLength;

    public CsvReader(Reader in, char delimiter) {
        this(in, delimiter, Integer.MAX_VALUE, Integer.MAX_VALUE);
    }

    public CsvReader(Reader in, char delimiter, int maxFieldLength, int maxRecordLength) {
        this.in = in;
        this.delimiter = delimiter;
        this.maxFieldLength = maxFieldLength;
        this.maxRecordLength = maxRecordLength;
    }

    private int read() throws IOException {
        int c = peek();
        if (c != EOF) {
            position++;
        }
        return c;
    }

    private int peek() throws IOException {
        if (position == limit) {
            limit = in.read(buffer, 0, buffer.length);
            position = 0;
            if (limit <= 0) {
                limit = 0;
                return EOF;
            }
        }
        return buffer[position];
    }

    /** The next record, or null at the end of the input. */
    public Row next() throws IOException {
        if (done) {
            return null;
        }
        if (!started) {
            started = true;
            if (peek() == '\uFEFF') {
                read();
            }
        }
        int startLine = line;
        List<String> fields = new ArrayList<>();
        StringBuilder field = new StringBuilder();
        boolean quoted = false;
        boolean any = false;
        long length = 0;
        String tooLong = null;
        while (true) {
            int c = read();
            if (c == EOF) {
                done = true;
                if (quoted) {
                    return new Row(startLine, null, tooLong != null ? tooLong : "unterminated quoted field");
                }
                if (!any && fields.isEmpty()) {
                    return null;
                }
                if (tooLong != null) {
                    return new Row(startLine, null, tooLong);
                }
                fields.add(field.toString());
                return new Row(startLine, fields, null);
            }
            any = true;
            boolean lineBreak = !quoted && (c == '\r' || c == '\n');
            boolean structural = lineBreak || (!quoted && c == delimiter);
            if (tooLong == null && !lineBreak && ++length > maxRecordLength) {
                tooLong = "the line is longer than " + maxRecordLength + " characters";
            }
            if (tooLong == null && !structural && c != '"' && field.length() >= maxFieldLength) {
                tooLong = "field " + (fields.size() + 1) + " is longer than " + maxFieldLength + " characters";
            }
            if (tooLong != null) {
                // keep nothing more of this record, only find where it ends
                field.setLength(0);
                fields.clear();
            }
            if (quoted) {
                if (c == '"') {
                    if (peek() == '"') {
                        read();
                        field.append('"');
                    } else {
                        quoted = false;
                    }
                } else {
                    if (c == '\n' || (c == '\r' && peek() != '\n')) {
                        line++;
                    }
                    field.append((char) c);
                }
            } else if (c == delimiter) {
                fields.add(field.toString());
                field.setLength(0);
            } else if (c == '\r' || c == '\n') {
                if (c == '\r' && peek() == '\n') {
                    read();
                }
                line++;
                if (tooLong != null) {
                    return new Row(startLine, null, tooLong);
                }
                fields.add(field.toString());
                return new Row(startLine, fields, null);
            } else if (c == '"' && field.isEmpty()) {
                quoted = true;
            } else {
                field.append((char) c);
            }
        }
    }
}
