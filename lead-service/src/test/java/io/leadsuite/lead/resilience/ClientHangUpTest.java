package io.leadsuite.lead.resilience;

import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.PoolCheck;
import io.leadsuite.kit.testing.ResourceRules;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * Clients that hang up at random points (thousands of captures, more at once than the pool has connections) must not
 * cost lead-service a connection or leave a transaction open. Before every resource was made
 * {@code @Cancellable(false)} this ended with no connection left in the pool.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class ClientHangUpTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int maxSize;

    @Test
    void capturesAbandonedAtRandomPointsLeaveThePoolWhole() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        PoolCheck.assertServiceSurvives(RestAssured.port, pool.getDelegate(), maxSize, i -> HangUps.post("/captures",
                MARKETING, "{\"email\": \"hangup-" + run + "-" + i + "@example.com\", \"topic\": \"t" + (i % 3)
                        + "\", \"source\": \"MARKETING_FORM\"}"));
    }

    @Test
    void everyResourceRunsAcceptedWorkToItsEnd() {
        ResourceRules.assertRunToTheirEnd();
    }
}
