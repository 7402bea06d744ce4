package io.leadsuite.contact.resilience;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.sqlclient.SqlConnection;

/**
 * A pool that cannot hand out a connection is reported (metric, then liveness DOWN after the configured time, so an
 * orchestrator restarts the service), and liveness comes back once connections do. Here the test itself holds every
 * connection of a small pool, as leaked connections would.
 */
@QuarkusTest
@TestProfile(PoolWatchTest.SmallWatchedPool.class)
class PoolWatchTest {

    public static class SmallWatchedPool implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("quarkus.datasource.reactive.max-size", "3",
                    "leadsuite.pool-watch.interval", "200ms",
                    "leadsuite.pool-watch.warn-after", "500ms",
                    "leadsuite.pool-watch.liveness-after", "2s");
        }
    }

    @Inject
    Pool pool;

    @Test
    void aPoolThatGivesNoConnectionFailsLivenessUntilItDoesAgain() throws Exception {
        given().get("/q/health/live").then().statusCode(200);

        List<SqlConnection> held = new ArrayList<>();
        try {
            for (int i = 0; i < 3; i++) {
                held.add(pool.getDelegate().getConnection().toCompletionStage().toCompletableFuture()
                        .get(10, TimeUnit.SECONDS));
            }
            await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/live").then()
                    .statusCode(503).body("checks.find { it.name == 'database pool' }.status", equalTo("DOWN")));
            given().get("/q/metrics").then().statusCode(200)
                    .body(containsString("leadsuite_db_pool_unavailable_seconds"));
        } finally {
            held.forEach(SqlConnection::close);
        }
        await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> given().get("/q/health/live").then()
                .statusCode(200).body("checks.find { it.name == 'database pool' }.status", equalTo("UP")));
    }
}
