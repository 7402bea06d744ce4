package io.leadsuite.lead.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.service.LeadService;
import io.leadsuite.lead.service.LeadService.CaptureCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.mutiny.Uni;

/**
 * A capture whose contact contact-service has just created does not look for the contact's open lead (there almost
 * never is one); when there is one after all, the one-open-lead-per-topic index refuses the new lead and the capture,
 * run again, touches the open lead.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class CaptureOfNewContactTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    LeadService leads;

    /** Index and sequential scans of {@code lead} so far in the current transaction. */
    private static Uni<Long> leadScans() {
        return SessionSql.column(Long.class, "select coalesce(seq_scan, 0) + coalesce(idx_scan, 0) "
                + "from pg_stat_xact_user_tables where relname = 'lead'").map(rows -> rows.get(0));
    }

    /** The scans of {@code lead} the capture made, in a transaction of its own. */
    private long scansOfCapture(CaptureCommand command) throws Throwable {
        return VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> leadScans()
                .chain(before -> leads.recordCapture(command, "test")
                        .chain(recorded -> leadScans().map(after -> after - before)))));
    }

    @Test
    void aCaptureOfAContactJustCreatedDoesNotReadItsOpenLead() throws Throwable {
        // two captures that each open a lead: one for a contact contact-service just created, one for a known contact
        long known = scansOfCapture(new CaptureCommand(UUID.randomUUID(), "solar-panels", "MARKETING_FORM", null,
                null, false, false));
        long justCreated = scansOfCapture(new CaptureCommand(UUID.randomUUID(), "solar-panels", "MARKETING_FORM",
                null, null, false, true));
        assertEquals(known - 1, justCreated, "the capture of a contact just created reads the lead table once less");
    }

    @Test
    void aContactJustCreatedThatHasAnOpenLeadAfterAllIsRefusedByTheIndex() throws Throwable {
        UUID contact = UUID.randomUUID();
        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> leads.recordCapture(
                new CaptureCommand(contact, "solar-panels", "MARKETING_FORM", null), "test")));
        Throwable refused = VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(
                () -> leads.recordCapture(new CaptureCommand(contact, "solar-panels", "MARKETING_FORM", null, null,
                        false, true), "test"))
                .map(recorded -> (Throwable) null).onFailure().recoverWithItem(failure -> failure));
        assertTrue(refused != null && UniqueViolation.in(refused), "the one-open-lead index refuses it: " + refused);
    }

    @Test
    void aCaptureOfAContactCreatedAgainTouchesItsOpenLead() {
        // "reborn" contacts are answered as just created at every match, as a merge survivor created moments before
        String email = "reborn." + UUID.randomUUID() + "@example.com";
        String body = "{\"email\": \"" + email + "\", \"topic\": \"solar-panels\", \"source\": \"MARKETING_FORM\"}";
        JsonPath first = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(body)
                .post("/captures").then().statusCode(201).extract().jsonPath();
        assertTrue(first.getBoolean("leadCreated"));
        JsonPath second = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(body)
                .post("/captures").then().statusCode(201).extract().jsonPath();
        assertFalse(second.getBoolean("leadCreated"), "the open lead was touched, not a second one opened");
        assertEquals(first.getString("leadId"), second.getString("leadId"));
        JsonPath history = given().auth().oauth2(MARKETING).get("/leads/" + first.getString("leadId") + "/history")
                .then().statusCode(200).extract().jsonPath();
        assertEquals(java.util.List.of("CREATED", "CAPTURED"), history.getList("items.kind"));
    }
}
