package io.leadsuite.lead.service.webhook;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadAssigned;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.rest.FakeContactService;
import io.leadsuite.lead.service.LeadEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.restassured.http.ContentType;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A transaction that records many lead events (a consumer's batch, a group commit of captures) writes their history
 * lines, outbox rows and webhook deliveries together at its end, in the order they were recorded: a lead's later
 * delivery waits behind its earlier one of the same statement, another lead's does not.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class GatheredLeadEventsTest {

    private static final String CRM = TestTokens.forRoles("crm");
    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String SECRET = "whsec_" + UUID.randomUUID();

    @Inject
    LeadEvents events;
    @Inject
    Vertx vertx;
    @Inject
    Pool pool;

    @Test
    void aTransactionsLeadEventsAreWrittenAtItsEndInTheOrderTheyWereRecorded() throws Exception {
        UUID a = capture();
        UUID b = capture();
        String run = UUID.randomUUID().toString();
        try (WebhookReceiver down = new WebhookReceiver(SECRET, Integer.MAX_VALUE)) {
            // after the captures: the subscription owes nothing for these leads before the transaction
            String subscription = given().auth().oauth2(CRM).contentType(ContentType.JSON)
                    .body(Map.of("url", down.url(), "secret", SECRET, "events", List.of(EventTypes.LEAD_ASSIGNED)))
                    .post("/crm/webhooks").then().statusCode(201).extract().path("id");
            try {
                long linesBefore = historyLines(a, b);
                Long linesSeenInside = inTransaction(() -> events.gathered(() -> Lead.<Lead> findById(a)
                        .chain(leadA -> Lead.<Lead> findById(b)
                                .chain(leadB -> assign(leadA, run + " first")
                                        .chain(() -> assign(leadB, run + " second"))
                                        .chain(() -> assign(leadA, run + " third"))))
                        // inside the work nothing of its events is written yet
                        .chain(() -> SessionSql.column(Long.class,
                                "select count(*) from lead_history where lead_id = any($1)", (Object) new UUID[] { a, b }))
                        .map(counts -> counts.get(0))));
                assertEquals(linesBefore, linesSeenInside, "history lines written before the work ended");

                List<Row> lines = pool.preparedQuery("select lead_id, reason from lead_history where reason like $1 "
                        + "order by id").execute(Tuple.of(run + " %")).await().atMost(Duration.ofSeconds(5))
                        .stream().toList();
                assertEquals(List.of(run + " first", run + " second", run + " third"),
                        lines.stream().map(row -> row.getString("reason")).toList(), "history in the order recorded");
                assertEquals(List.of(a, b, a), lines.stream().map(row -> row.getUUID("lead_id")).toList());

                List<Row> deliveries = pool.preparedQuery("select lead_id, sequence, waiting, "
                        + "payload::jsonb -> 'data' ->> 'ruleName' as reason from webhook_delivery "
                        + "where subscription_id = $1 order by id")
                        .execute(Tuple.of(UUID.fromString(subscription))).await().atMost(Duration.ofSeconds(5))
                        .stream().toList();
                assertEquals(List.of(run + " first", run + " second", run + " third"),
                        deliveries.stream().map(row -> row.getString("reason")).toList(), "one delivery each, in order");
                assertEquals(List.of(false, false, true), deliveries.stream().map(row -> row.getBoolean("waiting")).toList(),
                        "the lead's second delivery waits behind its first; the other lead's does not");
                assertEquals(deliveries.get(0).getLong("sequence") + 1, deliveries.get(2).getLong("sequence"),
                        "the lead's events numbered in the order recorded");
            } finally {
                given().auth().oauth2(CRM).delete("/crm/webhooks/" + subscription).then().statusCode(204);
            }
        }
    }

    private Uni<Void> assign(Lead lead, String reason) {
        Instant now = Instant.now();
        LeadHistoryEntry entry = LeadHistoryEntry.of(lead, now, LeadHistoryEntry.Kind.ASSIGNED, lead.stage, lead.stage,
                Cause.SYSTEM, "gathered-test", reason);
        return events.recorded(lead, entry, EventTypes.LEAD_ASSIGNED, now,
                new LeadAssigned(lead.id, lead.contactId, lead.stage, "team", null, UUID.randomUUID(), reason));
    }

    /** Runs {@code work} in a transaction of its own on a duplicated context, as a consumer's batch runs. */
    private <T> T inTransaction(Supplier<Uni<T>> work) throws Exception {
        CompletableFuture<T> done = new CompletableFuture<>();
        Context context = VertxContext.createNewDuplicatedContext(vertx.getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Panache.withTransaction(work).subscribe().with(done::complete,
                done::completeExceptionally));
        return done.get(30, TimeUnit.SECONDS);
    }

    private long historyLines(UUID a, UUID b) {
        return pool.preparedQuery("select count(*) from lead_history where lead_id = any($1)")
                .execute(Tuple.of(new UUID[] { a, b })).await().atMost(Duration.ofSeconds(5))
                .iterator().next().getLong(0);
    }

    private static UUID capture() {
        return UUID.fromString(given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"gathered." + UUID.randomUUID() + "@example.com\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().path("leadId"));
    }
}
