package io.leadsuite.lead.resilience;

import java.util.UUID;

import io.leadsuite.kit.testing.ClientHangUpContract;
import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * Captures abandoned at random points by their clients. Before every resource was made {@code @Cancellable(false)}
 * this ended with no connection left in lead-service's pool.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class ClientHangUpTest extends ClientHangUpContract {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String request(int i) {
        return HangUps.post("/captures", MARKETING, "{\"email\": \"hangup-" + run + "-" + i + "@example.com\", "
                + "\"topic\": \"t" + (i % 3) + "\", \"source\": \"MARKETING_FORM\"}");
    }
}
