package io.leadsuite.kit.testing;

import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

import io.restassured.RestAssured;
import io.vertx.mutiny.sqlclient.Pool;

/**
 * What every service with a database promises when its clients hang up, as a {@code @QuarkusTest} to extend: thousands
 * of requests abandoned at random points (more at once than the pool has connections) cost no connection and leave no
 * transaction open ({@link PoolCheck#assertServiceSurvives}), and every resource runs accepted work to its end
 * ({@link ResourceRules}).
 */
public abstract class ClientHangUpContract {

    @Inject
    Pool pool;

    @ConfigProperty(name = "quarkus.datasource.reactive.max-size")
    int maxSize;

    /** The whole HTTP/1.1 text of the i-th request of the burst; -1 is the one that must be answered afterwards. */
    protected abstract String request(int i);

    @Test
    void requestsAbandonedAtRandomPointsLeaveThePoolWhole() {
        PoolCheck.assertServiceSurvives(RestAssured.port, pool.getDelegate(), maxSize, this::request);
    }

    @Test
    void everyResourceRunsAcceptedWorkToItsEnd() {
        ResourceRules.assertRunToTheirEnd();
    }
}
