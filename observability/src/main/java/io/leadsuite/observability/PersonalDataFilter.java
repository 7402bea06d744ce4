package io.leadsuite.observability;

import java.util.logging.Filter;
import java.util.logging.LogRecord;
import java.util.regex.Pattern;

import org.jboss.logmanager.ExtLogRecord;

import io.quarkus.logging.LoggingFilter;

/**
 * Keeps personal data out of the logs: e-mail addresses and phone numbers in a log line, and in the messages of the
 * exceptions it carries (a database error quoting a duplicate key, a client error quoting a request), are masked before
 * any handler writes them. Every service turns it on with {@code quarkus.log.console.filter=personal-data}.
 * <p>
 * An address keeps its first character and its domain ({@code a***@example.com}), enough to tell a test address from
 * a customer's; a phone number (international form, with its +) keeps its last two digits.
 */
@LoggingFilter(name = "personal-data")
public final class PersonalDataFilter implements Filter {

    private static final Pattern EMAIL = Pattern.compile("([A-Za-z0-9])[A-Za-z0-9._%+\\-]*@([A-Za-z0-9.\\-]+\\.[A-Za-z]{2,})");
    /**
     * An international number as contact-service stores them (E.164, maybe as typed: {@code +49 30 1234-5678}): a +
     * and 7 to 15 digits with spaces, dots, dashes or brackets between them. Bare digit runs (ids, counts, dates) are
     * left alone.
     */
    private static final Pattern PHONE = Pattern.compile("(?<![\\w+])\\+\\d(?:[ .()\\-]?\\d){6,14}(?!\\d)");

    @Override
    public boolean isLoggable(LogRecord record) {
        String message = record instanceof ExtLogRecord ext ? ext.getFormattedMessage() : record.getMessage();
        String masked = mask(message);
        if (masked != null && !masked.equals(message)) {
            if (record instanceof ExtLogRecord ext) {
                ext.setMessage(masked, ExtLogRecord.FormatStyle.NO_FORMAT);
            } else {
                record.setMessage(masked);
            }
            record.setParameters(null);
        }
        Throwable thrown = record.getThrown();
        if (thrown != null && carriesPersonalData(thrown)) {
            record.setThrown(MaskedThrowable.of(thrown));
        }
        return true;
    }

    /** The text with e-mail addresses and phone numbers masked; null stays null. */
    public static String mask(String text) {
        if (text == null || text.isEmpty()) {
            return text;
        }
        String masked = text.indexOf('@') >= 0 ? EMAIL.matcher(text).replaceAll("$1***@$2") : text;
        return PHONE.matcher(masked).replaceAll(match -> {
            String digits = match.group().replaceAll("\\D", "");
            return "***" + digits.substring(Math.max(0, digits.length() - 2));
        });
    }

    private static boolean carriesPersonalData(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause() == t ? null : t.getCause()) {
            String message = t.getMessage();
            if (message != null && !message.equals(mask(message))) {
                return true;
            }
        }
        return false;
    }

    /**
     * An exception in the log in place of the original: same class name, stack trace and causes, with masked messages.
     */
    static final class MaskedThrowable extends RuntimeException {

        private static final long serialVersionUID = 1L;
        private final String className;

        private MaskedThrowable(Throwable original, Throwable cause) {
            super(mask(original.getMessage()), cause, false, true);
            this.className = original.getClass().getName();
            setStackTrace(original.getStackTrace());
        }

        static MaskedThrowable of(Throwable original) {
            Throwable cause = original.getCause();
            return new MaskedThrowable(original, cause == null || cause == original ? null : of(cause));
        }

        @Override
        public String toString() {
            String message = getMessage();
            return message == null ? className : className + ": " + message;
        }
    }
}
