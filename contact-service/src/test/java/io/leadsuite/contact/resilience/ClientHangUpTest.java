package io.leadsuite.contact.resilience;

import java.util.UUID;

import io.leadsuite.kit.testing.ClientHangUpContract;
import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Contact creations abandoned at random points by their clients. */
@QuarkusTest
class ClientHangUpTest extends ClientHangUpContract {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String request(int i) {
        return HangUps.post("/contacts", MARKETING,
                "{\"email\": \"hangup-" + run + "-" + i + "@example.com\", \"firstName\": \"Ana\"}");
    }
}
