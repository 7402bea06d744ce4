package io.leadsuite.observability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.logging.Level;

import org.jboss.logmanager.ExtLogRecord;
import org.junit.jupiter.api.Test;

class PersonalDataFilterTest {

    private final PersonalDataFilter filter = new PersonalDataFilter();

    @Test
    void masksAddressesAndInternationalNumbersAndLeavesIdsDatesAndCountsAlone() {
        assertEquals("capture of a***@example.com failed", PersonalDataFilter.mask("capture of ana.lopez@example.com failed"));
        assertEquals("B***@mail.example.co.uk and j***@x.io",
                PersonalDataFilter.mask("Bob.Smith+crm@mail.example.co.uk and j@x.io"));
        assertEquals("call ***78 or ***34", PersonalDataFilter.mask("call +49 30 1234-5678 or +441632960634"));
        String plain = "lead 5f0c7c1e-8a0e-4c38-9d8f-6a1f3c2b9e10 sequence 1234567890 at 2026-12-03T19:50:06Z took 12345678 ms"
                + " from 10.0.0.12:8080";
        assertEquals(plain, PersonalDataFilter.mask(plain));
        assertNull(PersonalDataFilter.mask(null));
    }

    @Test
    void masksTheFormattedMessageOfARecord() {
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Cannot match %s for lead %d", ExtLogRecord.FormatStyle.PRINTF,
                "test");
        record.setParameters(new Object[] { "ana@example.com", 42 });
        assertTrue(filter.isLoggable(record));
        assertEquals("Cannot match a***@example.com for lead 42", record.getFormattedMessage());
    }

    @Test
    void masksTheMessagesOfTheExceptionAndItsCausesKeepingTheirStackTraces() {
        IllegalStateException cause = new IllegalStateException("duplicate key (email)=(ana@example.com)");
        RuntimeException thrown = new RuntimeException("capture failed", cause);
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "Unexpected", "test");
        record.setThrown(thrown);
        assertTrue(filter.isLoggable(record));
        Throwable logged = record.getThrown();
        assertEquals("java.lang.RuntimeException: capture failed", logged.toString());
        assertEquals("java.lang.IllegalStateException: duplicate key (email)=(a***@example.com)",
                logged.getCause().toString());
        assertEquals(cause.getStackTrace().length, logged.getCause().getStackTrace().length);
        assertFalse(logged.getCause().toString().contains("ana@"));
    }

    @Test
    void anExceptionWithoutPersonalDataIsLoggedAsItIs() {
        RuntimeException thrown = new RuntimeException("connection refused: localhost/127.0.0.1:5432");
        ExtLogRecord record = new ExtLogRecord(Level.SEVERE, "Unexpected", "test");
        record.setThrown(thrown);
        filter.isLoggable(record);
        assertSame(thrown, record.getThrown());
    }

    @Test
    void jsonLinesAreMaskedTooAndCarryTheTraceIds() {
        // the cluster's console format (quarkus.log.console.json.enabled=true): the filter runs before the formatter
        ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Cannot match %s", ExtLogRecord.FormatStyle.PRINTF, "test");
        record.setParameters(new Object[] { "ana.lopez@example.com" });
        record.setThrown(new IllegalStateException("duplicate key (email)=(ana.lopez@example.com)",
                new RuntimeException("call +49 30 1234-5678")));
        record.putMdc("traceId", "4bf92f3577b34da6a3ce929d0e0e4736");
        record.putMdc("spanId", "00f067aa0ba902b7");
        assertTrue(filter.isLoggable(record));
        String line = new io.quarkus.logging.json.runtime.JsonFormatter().format(record);
        assertTrue(line.contains("\"message\":\"Cannot match a***@example.com\""), line);
        assertTrue(line.contains("duplicate key (email)=(a***@example.com)"), line);
        assertTrue(line.contains("call ***78"), line);
        assertFalse(line.contains("ana.lopez"), line);
        assertFalse(line.contains("1234-5678"), line);
        assertTrue(line.contains("\"traceId\":\"4bf92f3577b34da6a3ce929d0e0e4736\""), line);
        assertTrue(line.contains("\"spanId\":\"00f067aa0ba902b7\""), line);
    }
}
