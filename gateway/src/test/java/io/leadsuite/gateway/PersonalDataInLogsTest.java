package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;

import org.jboss.logmanager.ExtHandler;
import org.jboss.logmanager.ExtLogRecord;
import org.jboss.logmanager.LogContext;
import org.junit.jupiter.api.Test;

import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The gateway's console handler masks personal data as the services' do (the observability module's filter): what it
 * would print has no e-mail address.
 */
@QuarkusTest
@WithTestResource(FakeUpstreams.class)
class PersonalDataInLogsTest {

    @Test
    void theConsoleHandlerMasksEmailAddresses() {
        List<Handler> consoles = new ArrayList<>();
        for (Handler handler : LogContext.getLogContext().getLogger("").getHandlers()) {
            collect(handler, consoles);
        }
        assertFalse(consoles.isEmpty(), "no console handler");
        for (Handler console : consoles) {
            ExtLogRecord record = new ExtLogRecord(Level.WARNING, "Form capture for %s refused",
                    ExtLogRecord.FormatStyle.PRINTF, getClass().getName());
            record.setParameters(new Object[] { "ana.lopez@example.com" });
            assertNotNull(console.getFilter(), console + " has no filter");
            console.getFilter().isLoggable(record);
            assertEquals("Form capture for a***@example.com refused", record.getFormattedMessage());
        }
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
