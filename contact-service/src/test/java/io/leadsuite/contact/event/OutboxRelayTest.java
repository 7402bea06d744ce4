package io.leadsuite.contact.event;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.quarkus.test.junit.QuarkusTest;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/** The kit's outbox relay, seen from the database: what it sends, and what it parks instead of sending. */
@QuarkusTest
class OutboxRelayTest {

    private static final String INSERT = "insert into outbox_message (message_id, type, subject, sequence, payload, "
            + "created_at) values ($1, $2, $3, $4, cast(cast($5 as text) as jsonb), $6)";

    @Inject
    Pool pool;

    @Test
    void aRowThatIsNotAJsonObjectIsParkedWithAllItsFieldsAndTheRowsAfterItAreSent() {
        UUID subject = UUID.randomUUID();
        UUID unreadable = UUID.randomUUID();
        UUID readable = UUID.randomUUID();
        String marker = UUID.randomUUID().toString();
        OffsetDateTime createdAt = OffsetDateTime.parse("2026-01-02T03:04:05Z");
        JsonObject envelope = new JsonObject().put("id", readable.toString()).put("type", "test.relayed")
                .put("source", "test").put("time", "2026-01-02T03:04:06Z").put("subject", subject.toString())
                .put("sequence", 8).put("data", new JsonObject().put("marker", marker));
        // both rows in one transaction: one commit, one wake of the relay
        pool.withTransaction(connection -> connection.preparedQuery(INSERT)
                .execute(Tuple.tuple(java.util.List.of(unreadable, "contact.updated", subject, 7L, "[1, 2]", createdAt)))
                .chain(() -> connection.preparedQuery(INSERT).execute(Tuple.tuple(java.util.List.of(readable,
                        "test.relayed", subject, 8L, envelope.encode(), createdAt.plusSeconds(1))))))
                .await().indefinitely();

        // the relay deletes a row for good only once the broker has accepted it: gone and not parked is sent
        await().atMost(Duration.ofSeconds(10)).until(() -> count(
                "select count(*) from outbox_message where message_id = any($1)", new UUID[] { unreadable, readable }) == 0);

        Row parked = pool.preparedQuery("select type, subject, sequence, payload::text as payload, created_at, reason "
                + "from outbox_dead_letter where message_id = $1").execute(Tuple.of(unreadable))
                .await().indefinitely().iterator().next();
        assertEquals("contact.updated", parked.getString("type"));
        assertEquals(subject, parked.getUUID("subject"));
        assertEquals(7L, parked.getLong("sequence"));
        assertEquals("[1, 2]", parked.getString("payload"));
        assertEquals(createdAt.toInstant(), parked.getOffsetDateTime("created_at").toInstant());
        assertEquals("payload is not a JSON object", parked.getString("reason"));
        assertEquals(0, count("select count(*) from outbox_dead_letter where message_id = $1", readable));
    }

    private long count(String sql, Object parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next().getLong(0);
    }
}
