package io.leadsuite.lead.service.sla;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.leadsuite.lead.service.LeadService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * A lead entering a stage without an SLA clears its stage deadline when it has one, and does not look for one when it
 * has none; the database tells which, also of a deadline written by someone else (an older replica, an operator).
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class StageDeadlineTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000dd");

    @Inject
    LeadService leads;
    @Inject
    Pool pool;

    /** A new lead, in INQUIRY (marketing-lead: no SLA); its id and its contact's. */
    private static UUID[] capture() {
        JsonPath captured = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"deadline." + UUID.randomUUID() + "@example.com\", \"topic\": \"solar-panels\", "
                        + "\"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
        return new UUID[] { UUID.fromString(captured.getString("leadId")),
                UUID.fromString(captured.getString("contactId")) };
    }

    /**
     * A first score (10, not sales-ready) for the lead, applied as the consumer does it: it moves the lead from INQUIRY
     * to AUTOMATED_MARKETING_QUALIFICATION, which has no SLA. Answers the scans of {@code lead_stage_sla} it made.
     */
    private long scored(UUID lead, UUID contact) throws Throwable {
        Envelope<ScoreChanged> update = Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service", Instant.now(), lead,
                1, new ScoreChanged(lead, contact, List.of(new ScoreChanged.ModelScore(MODEL, 1, "Deadline test model",
                        10, "D", 50, false)), false, null));
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> deadlineScans()
                .chain(before -> leads.lockAndLoad(List.of(lead)).chain(() -> leads.applyScoreUpdate(update))
                        .chain(() -> deadlineScans()).map(after -> after - before))));
    }

    /** Index and sequential scans of {@code lead_stage_sla} so far in the current transaction. */
    private static Uni<Long> deadlineScans() {
        return SessionSql.column(Long.class, "select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                + "from pg_stat_xact_user_tables where relname = 'lead_stage_sla'").map(rows -> rows.get(0));
    }

    private String stage(UUID lead) {
        return given().auth().oauth2(MARKETING).get("/leads/" + lead).then().statusCode(200).extract().jsonPath()
                .getString("stage");
    }

    private long deadlines(UUID lead) {
        return pool.preparedQuery("select 1 from lead_stage_sla where lead_id = $1").execute(Tuple.of(lead)).await()
                .indefinitely().size();
    }

    private boolean hasStageDeadline(UUID lead) {
        return pool.preparedQuery("select has_stage_deadline from lead where id = $1").execute(Tuple.of(lead)).await()
                .indefinitely().iterator().next().getBoolean(0);
    }

    @Test
    void aLeadWithoutADeadlineEnteringAStageWithoutAnSlaWritesNoDeadline() throws Throwable {
        UUID[] lead = capture();
        assertEquals(false, hasStageDeadline(lead[0]));

        assertEquals(0, scored(lead[0], lead[1]), "no deadline is looked for");
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", stage(lead[0]));
        assertEquals(0, deadlines(lead[0]));
    }

    @Test
    void aDeadlineWrittenElsewhereIsClearedWhenTheLeadEntersAStageWithoutAnSla() throws Throwable {
        UUID[] lead = capture();
        // as a replica that does not know the lead's flag (an older version, during a rolling deploy) writes it
        pool.preparedQuery("insert into lead_stage_sla (lead_id, stage, sla_hours, entered_at, due_at) "
                + "values ($1, 'INQUIRY', 1, now() - interval '1 hour', now())").execute(Tuple.of(lead[0])).await()
                .indefinitely();
        assertTrue(hasStageDeadline(lead[0]), "the database notes the deadline on the lead");

        assertEquals(1, scored(lead[0], lead[1]), "the deadline is deleted");
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", stage(lead[0]));
        assertEquals(0, deadlines(lead[0]), "the deadline of the stage left is gone");
        assertEquals(false, hasStageDeadline(lead[0]));
    }
}
