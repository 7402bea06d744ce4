package io.leadsuite.scoring.resilience;

import java.util.UUID;

import io.leadsuite.kit.testing.ClientHangUpContract;
import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;

/** Batches of interactions abandoned at random points by their clients. */
@QuarkusTest
class ClientHangUpTest extends ClientHangUpContract {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private final String run = UUID.randomUUID().toString().substring(0, 8);

    @Override
    protected String request(int i) {
        String email = "hangup-" + run + "-" + (i % 50) + "@example.com";
        return HangUps.post("/interactions", MARKETING, "[{\"id\": \"hangup-" + run + "-" + i
                + "-a\", \"type\": \"EMAIL_OPENED\", \"email\": \"" + email + "\"}, {\"id\": \"hangup-" + run + "-" + i
                + "-b\", \"type\": \"PAGE_VISITED\", \"email\": \"" + email + "\"}]");
    }
}
