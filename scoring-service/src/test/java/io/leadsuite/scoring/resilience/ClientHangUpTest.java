package io.leadsuite.scoring.resilience;

import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.PoolCheck;
import io.leadsuite.kit.testing.ResourceRules;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Clients that hang up at random points (thousands of interaction batches, more at once than the pool has
 * connections) must not cost scoring-service a connection or leave a transaction open.
 */
@QuarkusTest
class ClientHangUpTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int maxSize;

    @Test
    void interactionsAbandonedAtRandomPointsLeaveThePoolWhole() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PoolCheck.assertServiceSurvives(RestAssured.port, pool.getDelegate(), maxSize,
                i -> HangUps.post("/interactions", MARKETING, "[{\"id\": \"hangup-" + run + "-" + i
                        + "-a\", \"type\": \"EMAIL_OPENED\", \"email\": \"hangup-" + run + "-" + (i % 50)
                        + "@example.com\"}, {\"id\": \"hangup-" + run + "-" + i
                        + "-b\", \"type\": \"PAGE_VISITED\", \"email\": \"hangup-" + run + "-" + (i % 50)
                        + "@example.com\"}]"));
    }

    @Test
    void everyResourceRunsAcceptedWorkToItsEnd() {
        ResourceRules.assertRunToTheirEnd();
    }
}
