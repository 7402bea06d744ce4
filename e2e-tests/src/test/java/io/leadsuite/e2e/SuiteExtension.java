package io.leadsuite.e2e;

import java.time.Duration;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * Starts the four services before a test class's first test and stops them after its last: the start and stop every
 * end-to-end test needs. A test registers it on a static field, through which it reaches the running suite:
 *
 * <pre>
 * &#64;RegisterExtension
 * static final SuiteExtension SUITE = new SuiteExtension();
 * </pre>
 *
 * JUnit calls it before the class's own {@code @BeforeAll} methods and after its {@code @AfterAll} methods, so a test's
 * own fixtures (a webhook receiver, API clients) start once the suite is up and stop before it goes down.
 * {@code FaultsIT} and {@code TracingIT} keep starting the suite themselves, because fixtures of theirs must exist
 * before it and outlive it: the fault proxies the second replicas connect through, and the span collector the
 * services export to until they stop.
 */
final class SuiteExtension implements BeforeAllCallback, AfterAllCallback {

    private Suite suite;

    /** The running suite. */
    Suite suite() {
        if (suite == null) {
            throw new IllegalStateException("The suite runs only while the test class does");
        }
        return suite;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        suite = new Suite();
        Duration took = suite.startAll();
        System.out.printf("[e2e] %s: the four services ready in %d ms%n", context.getDisplayName(), took.toMillis());
    }

    @Override
    public void afterAll(ExtensionContext context) {
        if (suite != null) {
            suite.close();
            suite = null;
        }
    }
}
