package io.leadsuite.lead.metrics;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.LogRecord;

import org.jboss.logging.Logger;
import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;

/** The console handler of the running service masks personal data: what it would print has no e-mail address. */
@QuarkusTest
class PersonalDataInLogsTest {

    @Test
    void theConsoleHandlerMasksEmailAddresses() {
        List<Handler> consoles = new ArrayList<>();
        for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
            collect(handler, consoles);
        }
        assertTrue(!consoles.isEmpty(), "no console handler");
        LogRecord record = new org.jboss.logmanager.ExtLogRecord(java.util.logging.Level.WARNING,
                "Cannot match %s", org.jboss.logmanager.ExtLogRecord.FormatStyle.PRINTF, Logger.class.getName());
        record.setParameters(new Object[] { "ana.lopez@example.com" });
        for (Handler console : consoles) {
            assertTrue(console.getFilter() == null || console.getFilter().isLoggable(record));
            assertTrue(console.getFilter() != null, console + " has no filter");
        }
        String printed = ((org.jboss.logmanager.ExtLogRecord) record).getFormattedMessage();
        assertTrue(printed.equals("Cannot match a***@example.com"), printed);
    }

    private static void collect(Handler handler, List<Handler> consoles) {
        if (handler.getClass().getSimpleName().contains("Console")) {
            consoles.add(handler);
        }
        if (handler instanceof ExtHandler ext) {
            for (Handler child : ext.getHandlers()) {
                collect(child, consoles);
            }
        }
    }
}
