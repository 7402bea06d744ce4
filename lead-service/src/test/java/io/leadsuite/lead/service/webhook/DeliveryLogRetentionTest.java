package io.leadsuite.lead.service.webhook;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.retention.Retention;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/** Before the retention job, every delivery and attempt stayed in the delivery log for good. */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class DeliveryLogRetentionTest {

    @Inject
    Retention retention;

    @Inject
    Pool pool;

    @Test
    void finishedDeliveriesLeaveTheLogAfterTheirRetentionPendingOnesStay() {
        UUID subscription = UUID.randomUUID();
        pool.preparedQuery("insert into webhook_subscription (id, url, secret, events, created_at, deleted_at) "
                + "values ($1, 'http://127.0.0.1:9/x', 'whsec_0123456789abcdef', 'lead.nothing', now(), now())")
                .execute(Tuple.of(subscription)).await().indefinitely();
        long oldDelivered = delivery(subscription, "DELIVERED", 31);
        long oldCancelled = delivery(subscription, "CANCELLED", 31);
        long oldPending = delivery(subscription, "PENDING", 31);
        long recentDelivered = delivery(subscription, "DELIVERED", 1);
        pool.preparedQuery("insert into webhook_attempt (delivery_id, at, status, duration_ms) values ($1, now(), 200, 5)")
                .execute(Tuple.of(oldDelivered)).await().indefinitely();

        retention.untilDone().await().indefinitely();

        assertEquals(0, count("select count(*) as n from webhook_delivery where id = $1", oldDelivered));
        assertEquals(0, count("select count(*) as n from webhook_delivery where id = $1", oldCancelled));
        assertEquals(0, count("select count(*) as n from webhook_attempt where delivery_id = $1", oldDelivered));
        assertEquals(1, count("select count(*) as n from webhook_delivery where id = $1", oldPending));
        assertEquals(1, count("select count(*) as n from webhook_delivery where id = $1", recentDelivered));
    }

    private long delivery(UUID subscription, String state, int daysOld) {
        // due in a day: the delivery worker leaves the pending one alone during the test
        return pool.preparedQuery("insert into webhook_delivery (subscription_id, event_id, event_type, lead_id, "
                + "sequence, payload, state, next_attempt_at, created_at) values ($1, $2, 'lead.updated', $3, 1, '{}', "
                + "$4, now() + interval '1 day', now() - make_interval(days => $5)) returning id")
                .execute(Tuple.of(subscription, UUID.randomUUID(), UUID.randomUUID(), state, daysOld)).await().indefinitely()
                .iterator().next().getLong("id");
    }

    private long count(String sql, long id) {
        return pool.preparedQuery(sql).execute(Tuple.of(id)).await().indefinitely().iterator().next().getLong("n");
    }
}
