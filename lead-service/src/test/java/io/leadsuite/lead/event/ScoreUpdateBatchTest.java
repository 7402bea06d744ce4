package io.leadsuite.lead.event;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.hibernate.FlushMode;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * A batch of score updates is applied in order, message by message, and each lead it changes is written once, at the
 * end of the batch (the rows a transaction updated so far: PostgreSQL's {@code pg_stat_xact_user_tables}); the
 * statements each message runs beside its entities (outbox, webhook fan-out, SLA) run without flushing the session.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class ScoreUpdateBatchTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000ab");

    @Inject
    ScoreUpdateConsumer consumer;

    private static JsonObject scoreChanged(UUID lead, UUID contact, long sequence, int score) {
        boolean ready = score >= 50;
        ScoreChanged data = new ScoreChanged(lead, contact, List.of(new ScoreChanged.ModelScore(MODEL, 1,
                "Batch test model", score, ready ? "B" : "D", 50, ready)), ready, null);
        return JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service", Instant.now(), lead,
                sequence, data));
    }

    /** Rows of {@code lead} updated as the current transaction sees it. */
    private Uni<Long> leadRowsUpdated() {
        return SessionSql.column(Long.class, "select n_tup_upd from pg_stat_xact_user_tables where relname = 'lead'")
                .map(rows -> rows.get(0));
    }

    @Test
    void aBatchAppliesItsUpdatesInOrderAndWritesEachLeadOnce() throws Throwable {
        JsonPath captured = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"batch." + UUID.randomUUID() + "@example.com\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
        UUID lead = UUID.fromString(captured.getString("leadId"));
        UUID contact = UUID.fromString(captured.getString("contactId"));

        // 10, then 60 (crosses the threshold), then a late 5 (stale: sequence 2 after 3)
        List<JsonObject> batch = List.of(scoreChanged(lead, contact, 1, 10), scoreChanged(lead, contact, 3, 60),
                scoreChanged(lead, contact, 2, 5));
        // counted before and after the batch in its transaction: the figure may also hold rows that earlier
        // transactions on the same connection updated (PostgreSQL reports a backend's counts at most once a second)
        long leadRowsUpdated = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> leadRowsUpdated().chain(before -> consumer.applyAll(batch)
                        .chain(this::leadRowsUpdated).map(after -> after - before))));
        assertEquals(1, leadRowsUpdated, "the lead's row is written once for the batch");

        JsonPath after = given().auth().oauth2(MARKETING).get("/leads/" + lead).then().statusCode(200).extract()
                .jsonPath();
        assertEquals(60, after.getInt("scores.find { it.modelId == '" + MODEL + "' }.score"));
        assertEquals(true, after.getBoolean("salesReady"));
    }

    @Test
    void aStatementThatNeedsNoFlushRunsInTheTransactionAndLeavesTheSessionsChangesForTheCommit() throws Throwable {
        UUID lead = UUID.fromString(given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"flush." + UUID.randomUUID() + "@example.com\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath().getString("leadId"));

        // the lead changed in the session, then a statement through the kit: it runs at once in the transaction, only
        // its own row is written, the session's flush mode is back afterwards and its change is written at commit
        Object[] seen = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> Lead.<Lead> findById(lead).invoke(found -> found.need = "flush test")
                        .chain(this::leadRowsUpdated)
                        .chain(before -> SessionSql.executeWithoutFlush(s -> s.createNativeQuery(
                                "update lead set team = 'statement' where id = ?1").setParameter(1, lead))
                                .chain(changed -> leadRowsUpdated().chain(after -> Panache.getSession()
                                        .map(s -> new Object[] { changed, after - before, s.getFlushMode() }))))));
        assertEquals(1, seen[0], "the statement ran");
        assertEquals(1L, seen[1], "only the statement's own row was written, not the session's change first");
        assertEquals(FlushMode.AUTO, seen[2], "the session's flush mode is back");

        JsonPath after = given().auth().oauth2(MARKETING).get("/leads/" + lead).then().statusCode(200).extract()
                .jsonPath();
        assertEquals("flush test", after.getString("qualification.need"), "the session's change is written at commit");
    }
}
