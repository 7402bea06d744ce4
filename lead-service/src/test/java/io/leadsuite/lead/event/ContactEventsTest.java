package io.leadsuite.lead.event;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.leadsuite.lead.rest.FakeContactService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.vertx.VertxContextSupport;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class ContactEventsTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final UUID MODEL = UUID.fromString("00000000-0000-0000-0000-0000000000cc");

    @Inject
    EventProbe events;

    @Inject
    Pool pool;

    @Inject
    ContactEventConsumer consumer;

    @Inject
    @Channel("test-contact-events")
    MutinyEmitter<JsonObject> contactEvents;

    @Inject
    @Channel("test-score-updates")
    MutinyEmitter<JsonObject> scoreUpdates;

    private static JsonPath capture(String email, String topic) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"topic\": \"" + topic + "\", \"source\": \"MARKETING_FORM\", "
                        + "\"sourceRef\": \"form-" + topic + "\"}")
                .post("/captures").then().statusCode(201).extract().jsonPath();
    }

    private static JsonPath lead(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id).then().statusCode(200).extract().jsonPath();
    }

    private static List<Map<String, Object>> history(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/" + id + "/history?limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    /** Read in the database: the list endpoint's paging is not what is tested here. */
    private long leadsOf(String contactId) {
        return pool.preparedQuery("select count(*) as n from lead where contact_id = $1")
                .execute(Tuple.of(UUID.fromString(contactId))).await().indefinitely().iterator().next().getLong("n");
    }

    private void salesReady(String leadId, String contactId) {
        ScoreChanged data = new ScoreChanged(UUID.fromString(leadId), UUID.fromString(contactId),
                List.of(new ScoreChanged.ModelScore(MODEL, 1, "Contact events test", 90, "A", 50, true)), true, null);
        scoreUpdates.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service",
                Instant.now(), UUID.fromString(leadId), 1, data)));
        await().atMost(Duration.ofSeconds(10)).until(() -> lead(leadId).getBoolean("salesReady"));
    }

    private void send(Envelope<?> event) {
        contactEvents.sendAndAwait(JsonObject.mapFrom(event));
    }

    private static JsonObject reported(String type, UUID contact, long sequence, String country, Instant at) {
        Object data = EventTypes.CONTACT_CREATED.equals(type)
                ? new ContactCreated(contact, contact + "@example.com", null, null, null, null, country, true)
                : new ContactUpdated(contact, contact + "@example.com", null, null, null, null, null, null, country,
                        false, List.of("country"));
        return JsonObject.mapFrom(Envelope.of(type, "contact-service", at, contact, sequence, data));
    }

    private String countryOf(UUID contact) {
        var rows = pool.preparedQuery("select country from contact_country where contact_id = $1")
                .execute(Tuple.of(contact)).await().indefinitely();
        return rows.size() == 0 ? null : rows.iterator().next().getString("country");
    }

    @Test
    void aBatchKeepsEachContactsLatestCountryAndNoneForAContactErasedInIt() throws Throwable {
        UUID late = UUID.randomUUID(), erasedAfter = UUID.randomUUID(), erasedBefore = UUID.randomUUID(),
                tie = UUID.randomUUID(), kept = UUID.randomUUID();
        Instant t = Instant.parse("2026-12-01T10:00:00Z");
        pool.preparedQuery("insert into contact_country (contact_id, country, marketing_consent, updated_at) "
                + "values ($1, 'NL', false, $2)").execute(Tuple.of(kept, t.plusSeconds(50).atOffset(ZoneOffset.UTC)))
                .await().indefinitely();
        List<JsonObject> batch = List.of(
                reported(EventTypes.CONTACT_CREATED, late, 1, "es", t),
                reported(EventTypes.CONTACT_UPDATED, late, 3, "PT", t.plusSeconds(20)),
                reported(EventTypes.CONTACT_UPDATED, late, 2, "DE", t.plusSeconds(10)),
                reported(EventTypes.CONTACT_CREATED, erasedAfter, 1, "IT", t),
                JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", t.plusSeconds(5),
                        erasedAfter, 2, new ContactErased(erasedAfter))),
                JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", t.plusSeconds(5),
                        erasedBefore, 2, new ContactErased(erasedBefore))),
                reported(EventTypes.CONTACT_UPDATED, erasedBefore, 3, "FR", t.plusSeconds(30)),
                reported(EventTypes.CONTACT_UPDATED, tie, 2, "GB", t),
                reported(EventTypes.CONTACT_UPDATED, tie, 3, "IE", t),
                reported(EventTypes.CONTACT_UPDATED, kept, 4, "BE", t.plusSeconds(40)));

        VertxContextSupport.subscribeAndAwait(() -> Panache.withTransaction(() -> consumer.applyAll(batch)));

        assertEquals("PT", countryOf(late), "the latest report of the batch, whatever its place in it");
        assertNull(countryOf(erasedAfter), "erased after its report in the batch");
        assertNull(countryOf(erasedBefore), "erased before its report in the batch");
        assertEquals("IE", countryOf(tie), "of two reports at one time, the later in the batch");
        assertEquals("NL", countryOf(kept), "a report older than the one kept changes nothing");
    }

    @Test
    void aMergeMovesTheDuplicatesLeadsAndCombinesTwoOpenLeadsOnOneTopic() {
        String suffix = UUID.randomUUID().toString();
        JsonPath survivorSolar = capture("survivor." + suffix + "@example.com", "solar-panels");
        String survivor = survivorSolar.getString("contactId");
        JsonPath duplicateSolar = capture("duplicate." + suffix + "@example.com", "solar-panels");
        String duplicate = duplicateSolar.getString("contactId");
        String duplicateBoilers = capture("duplicate." + suffix + "@example.com", "boilers").getString("leadId");
        // the duplicate's solar lead is further along (sales-ready): it is the one that stays open
        salesReady(duplicateSolar.getString("leadId"), duplicate);

        Envelope<ContactMerged> merged = Envelope.of(EventTypes.CONTACT_MERGED, "contact-service", Instant.now(),
                UUID.fromString(survivor), 1, new ContactMerged(UUID.fromString(survivor), UUID.fromString(duplicate)));
        send(merged);
        await().atMost(Duration.ofSeconds(10))
                .until(() -> survivor.equals(lead(duplicateBoilers).getString("contactId")));

        assertEquals(0, leadsOf(duplicate), "no lead belongs to the duplicate any more");
        assertEquals(3, leadsOf(survivor), "all three leads belong to the survivor");
        JsonPath kept = lead(duplicateSolar.getString("leadId"));
        JsonPath closed = lead(survivorSolar.getString("leadId"));
        assertEquals("OPEN", kept.getString("status"));
        assertEquals(survivor, kept.getString("contactId"));
        assertEquals("DISQUALIFIED", closed.getString("status"));
        assertEquals("OPEN", lead(duplicateBoilers).getString("status"));
        assertEquals(survivor, lead(duplicateBoilers).getString("contactId"));

        // history kept on both, each saying what happened
        List<Map<String, Object>> keptHistory = history(duplicateSolar.getString("leadId"));
        assertEquals("CREATED", keptHistory.get(0).get("kind"));
        assertTrue(keptHistory.stream().anyMatch(e -> "MERGED".equals(e.get("kind"))
                && String.valueOf(e.get("reason")).contains(survivorSolar.getString("leadId"))), keptHistory::toString);
        List<Map<String, Object>> closedHistory = history(survivorSolar.getString("leadId"));
        assertEquals("CREATED", closedHistory.get(0).get("kind"));
        assertTrue(closedHistory.stream().anyMatch(e -> "MERGED".equals(e.get("kind")) && "SYSTEM".equals(e.get("cause"))
                && String.valueOf(e.get("reason")).contains(duplicateSolar.getString("leadId"))),
                closedHistory::toString);
        events.await("lead.updated", d -> duplicateBoilers.equals(d.getString("leadId"))
                && survivor.equals(d.getString("contactId")));
        events.await("lead.updated", d -> survivorSolar.getString("leadId").equals(d.getString("leadId"))
                && "DISQUALIFIED".equals(d.getString("status")));

        // a redelivery changes nothing
        int entries = history(duplicateBoilers).size();
        send(merged);
        JsonPath sentinelCapture = capture("sentinel." + suffix + "@example.com", "x");
        String sentinel = sentinelCapture.getString("contactId");
        String sentinelLead = sentinelCapture.getString("leadId");
        send(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), UUID.fromString(sentinel), 1,
                new ContactErased(UUID.fromString(sentinel))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "DISQUALIFIED".equals(lead(sentinelLead).getString("status")));
        assertEquals(entries, history(duplicateBoilers).size());
    }

    @Test
    void anErasureClosesTheContactsLeadsAndRemovesThePersonalDataTheyCarry() {
        String email = "erase." + UUID.randomUUID() + "@example.com";
        JsonPath first = capture(email, "solar-panels");
        String contact = first.getString("contactId");
        String other = capture(email, "heat-pumps").getString("leadId");
        assertEquals("form-solar-panels", lead(first.getString("leadId")).getString("sourceRef"));
        // a webhook delivery already made for the lead carried its envelope (with the source reference)
        UUID subscription = UUID.randomUUID();
        pool.preparedQuery("insert into webhook_subscription (id, url, secret, events, created_at, deleted_at) "
                + "values ($1, 'http://127.0.0.1:9/x', 'whsec_0123456789abcdef', 'lead.created', now(), now())")
                .execute(Tuple.of(subscription)).await().indefinitely();
        pool.preparedQuery("insert into webhook_delivery (subscription_id, event_id, event_type, lead_id, sequence, "
                + "payload, state, next_attempt_at, created_at) values ($1, $2, 'lead.created', $3, 1, "
                + "'{\"sourceRef\":\"form-solar-panels\"}', 'DELIVERED', now(), now())")
                .execute(Tuple.of(subscription, UUID.randomUUID(), UUID.fromString(first.getString("leadId"))))
                .await().indefinitely();

        send(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), UUID.fromString(contact), 1,
                new ContactErased(UUID.fromString(contact))));
        await().atMost(Duration.ofSeconds(10))
                .until(() -> "DISQUALIFIED".equals(lead(first.getString("leadId")).getString("status")));

        for (String leadId : List.of(first.getString("leadId"), other)) {
            JsonPath lead = lead(leadId);
            assertEquals("DISQUALIFIED", lead.getString("status"));
            assertNull(lead.getString("sourceRef"));
            List<Map<String, Object>> history = history(leadId);
            // the lifecycle stays (kinds, stages, times); free text that could name the person is gone
            assertEquals("CREATED", history.get(0).get("kind"));
            assertNull(history.get(0).get("reason"), history::toString);
            Map<String, Object> last = history.get(history.size() - 1);
            assertEquals("ERASED", last.get("kind"));
            assertEquals("SYSTEM", last.get("cause"));
            assertTrue(history.stream().noneMatch(e -> String.valueOf(e.get("reason")).contains("form-")),
                    history::toString);
            events.await("lead.updated", d -> leadId.equals(d.getString("leadId"))
                    && "DISQUALIFIED".equals(d.getString("status")));
        }
        assertEquals("{\"erased\":true}", pool.preparedQuery("select payload from webhook_delivery "
                + "where subscription_id = $1").execute(Tuple.of(subscription)).await().indefinitely().iterator()
                .next().getString("payload"));
    }

    /**
     * Before: need, disqualification reasons and pending webhook bodies stayed; a pending delivery was still sent; a
     * dead-lettered event kept its payload; a late contact.updated wrote the erased contact's country back; the
     * erased lead could be reopened and patched with new free text; a capture racing the erasure opened a new lead.
     */
    @Test
    void anErasureRemovesFreeTextAndPendingDeliveriesAndNothingBringsItBack() {
        String name = "Erasmina" + UUID.randomUUID().toString().substring(0, 8);
        String email = "final." + UUID.randomUUID() + "@example.com";
        JsonPath first = capture(email, "solar-panels");
        String contact = first.getString("contactId");
        String open = first.getString("leadId");
        String closed = capture(email, "heat-pumps").getString("leadId");
        given().auth().oauth2(MARKETING).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"need\": \"" + name + " wants a quote\"}}").patch("/leads/" + open)
                .then().statusCode(200);
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"reason\": \"" + name + " moved abroad\"}").post("/leads/" + closed + "/disqualify")
                .then().statusCode(200);
        UUID subscription = UUID.randomUUID();
        pool.preparedQuery("insert into webhook_subscription (id, url, secret, events, created_at) values ($1, "
                + "'http://127.0.0.1:9/x', 'whsec_0123456789abcdef', 'lead.nothing', now())")
                .execute(Tuple.of(subscription)).await().indefinitely();
        // a delivery not sent yet (due tomorrow) carries the name
        pool.preparedQuery("insert into webhook_delivery (subscription_id, event_id, event_type, lead_id, sequence, "
                + "payload, state, next_attempt_at, created_at) values ($1, $2, 'lead.updated', $3, 1, $4, 'PENDING', "
                + "now() + interval '1 day', now())")
                .execute(Tuple.of(subscription, UUID.randomUUID(), UUID.fromString(open), "{\"need\":\"" + name + "\"}"))
                .await().indefinitely();
        pool.preparedQuery("insert into outbox_dead_letter (id, message_id, type, subject, sequence, payload, "
                + "created_at, reason) values ((select coalesce(max(id), 0) + 1000000 from outbox_dead_letter), $1, "
                + "'lead.updated', $2, 9, cast($3 as jsonb), now(), 'test')")
                .execute(Tuple.of(UUID.randomUUID(), UUID.fromString(open), "{\"need\":\"" + name + "\"}"))
                .await().indefinitely();

        send(Envelope.of(EventTypes.CONTACT_ERASED, "contact-service", Instant.now(), UUID.fromString(contact), 3,
                new ContactErased(UUID.fromString(contact))));
        await().atMost(Duration.ofSeconds(20)).until(() -> "DISQUALIFIED".equals(lead(open).getString("status")));

        assertNull(lead(open).getString("qualification.need"), lead(open).prettify());
        for (String leadId : List.of(open, closed)) {
            assertTrue(history(leadId).stream().noneMatch(e -> String.valueOf(e.get("reason")).contains(name)),
                    () -> history(leadId).toString());
        }
        assertEquals(0, count("select count(*) as n from webhook_delivery where payload like $1", "%" + name + "%"));
        assertEquals("CANCELLED", pool.preparedQuery("select state from webhook_delivery where subscription_id = $1")
                .execute(Tuple.of(subscription)).await().indefinitely().iterator().next().getString("state"));
        assertEquals(0, count("select count(*) as n from outbox_dead_letter where cast(payload as text) like $1",
                "%" + name + "%"));

        // a late contact.updated (redelivered, or from before the erasure) brings nothing back
        send(Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(), UUID.fromString(contact), 2,
                new ContactUpdated(UUID.fromString(contact), email, name, "Late", null, null, null, null, "PT", false,
                        List.of("country"))));
        String sentinel = capture("sentinel." + UUID.randomUUID() + "@example.com", "x").getString("contactId");
        send(Envelope.of(EventTypes.CONTACT_UPDATED, "contact-service", Instant.now(), UUID.fromString(sentinel), 2,
                new ContactUpdated(UUID.fromString(sentinel), "sentinel@example.com", null, null, null, null, null,
                        null, "ES", false, List.of("country"))));
        await().atMost(Duration.ofSeconds(20)).until(() -> count(
                "select count(*) as n from contact_country where contact_id = cast($1 as uuid)", sentinel) == 1);
        assertEquals(0, count("select count(*) as n from contact_country where contact_id = cast($1 as uuid)",
                contact));

        // the erased leads take no new free text, and no new lead opens for the erased contact
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"reason\": \"" + name + " is back\"}").post("/leads/" + closed + "/reopen")
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType("application/merge-patch+json")
                .body("{\"qualification\": {\"need\": \"" + name + "\"}}").patch("/leads/" + open)
                .then().statusCode(409).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + email + "\", \"topic\": \"boilers\", \"source\": \"MARKETING_FORM\"}")
                .post("/captures").then().statusCode(409).contentType("application/problem+json");
        assertEquals(2, leadsOf(contact));
    }

    private long count(String sql, String parameter) {
        return pool.preparedQuery(sql).execute(Tuple.of(parameter)).await().indefinitely().iterator().next()
                .getLong("n");
    }
}
