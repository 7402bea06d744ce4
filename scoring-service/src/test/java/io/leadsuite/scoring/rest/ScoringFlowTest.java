package io.leadsuite.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.hamcrest.Matchers.hasItems;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.vertx.core.json.JsonObject;

/**
 * The scoring flow against a real PostgreSQL and Artemis: lead and contact events are published to the broker as
 * lead-service and contact-service would, interactions arrive over REST, scores are read back over REST and the
 * {@code score.changed} events are seen on {@code test.score-updates} (the test profile's address).
 */
@QuarkusTest
class ScoringFlowTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final String DEFAULT_MODEL = "00000000-0000-0000-0000-00000000d3fa";
    private static final Duration PATIENCE = Duration.ofSeconds(15);

    @Inject
    EventProbe events;

    @Inject
    @Channel("test-lead-events")
    MutinyEmitter<JsonObject> leadEvents;

    @Inject
    @Channel("test-contact-events")
    MutinyEmitter<JsonObject> contactEvents;

    // ---------------------------------------------------------------------------------------------- helpers

    private static Capture capture() {
        return new Capture(UUID.randomUUID(), Instant.now(), "MARKETING_FORM", "form-42");
    }

    private static Envelope<LeadCreated> leadCreated(UUID lead, UUID contact, String topic, Capture capture) {
        return Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), lead, 1, new LeadCreated(lead,
                contact, topic, "MARKETING_FORM", "form-42", "marketing-lead", "INQUIRY", "OPEN", capture));
    }

    private void publishLead(Envelope<?> envelope) {
        leadEvents.sendAndAwait(JsonObject.mapFrom(envelope));
    }

    private void publishContact(UUID contact, String email) {
        contactEvents.sendAndAwait(JsonObject.mapFrom(Envelope.of(EventTypes.CONTACT_CREATED, "contact-service",
                Instant.now(), contact, 1, new ContactCreated(contact, email, "Ana", "Silva", "Acme", "IT Director",
                        "PT", true))));
    }

    private static String uniqueEmail() {
        return "ana." + UUID.randomUUID() + "@example.com";
    }

    private static JsonPath postInteractions(String body, int status) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(body)
                .post("/interactions")
                .then().statusCode(status).extract().jsonPath();
    }

    private static int scoreStatus(UUID lead) {
        return given().auth().oauth2(MARKETING).get("/leads/" + lead + "/scores").then().extract().statusCode();
    }

    private static JsonPath scores(UUID lead) {
        return given().auth().oauth2(MARKETING).get("/leads/" + lead + "/scores")
                .then().statusCode(200).extract().jsonPath();
    }

    private static int defaultScore(UUID lead) {
        return scores(lead).getInt("find { it.modelId == '" + DEFAULT_MODEL + "' }.score");
    }

    private static void awaitScore(UUID lead, int expected) {
        await().atMost(PATIENCE).until(() -> scoreStatus(lead) == 200 && defaultScore(lead) == expected);
    }

    private static void awaitTracked(UUID lead) {
        await().atMost(PATIENCE).until(() -> scoreStatus(lead) == 200);
    }

    private JsonObject awaitScoreChanged(UUID lead, int score) {
        return events.await(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId"))
                && d.getJsonArray("scores").stream().map(JsonObject.class::cast)
                        .anyMatch(s -> DEFAULT_MODEL.equals(s.getString("modelId")) && s.getInteger("score") == score));
    }

    private List<JsonObject> scoreChanges(UUID lead) {
        return events.all(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId")));
    }

    private static JsonPath explanation(UUID lead) {
        return given().auth().oauth2(MARKETING).get("/leads/" + lead + "/scores/" + DEFAULT_MODEL + "/explanation")
                .then().statusCode(200).extract().jsonPath();
    }

    private static void assertScoreIsSumOfHits(UUID lead) {
        JsonPath why = explanation(lead);
        List<Integer> points = why.getList("hits.points", Integer.class);
        assertEquals(why.getInt("score"), points.stream().mapToInt(Integer::intValue).sum());
    }

    // ---------------------------------------------------------------------------------------------- tests

    @Test
    void aCapturedLeadScoresTenAndPublishesTheChange() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        Capture capture = capture();
        publishLead(leadCreated(lead, contact, "solar-panels", capture));

        awaitScore(lead, 10);
        JsonPath scores = scores(lead);
        assertEquals(1, scores.getList("$").size());
        assertEquals("Default engagement", scores.getString("[0].modelName"));
        assertEquals("D", scores.getString("[0].grade"));
        assertEquals(false, scores.getBoolean("[0].salesReady"));

        JsonObject event = awaitScoreChanged(lead, 10);
        assertEquals(lead.toString(), event.getString("subject"));
        assertEquals("scoring-service", event.getString("source"));
        assertEquals(1L, event.getLong("sequence"));
        JsonObject data = event.getJsonObject("data");
        assertEquals(contact.toString(), data.getString("contactId"));
        assertEquals(capture.captureId().toString(), data.getString("interactionId"));
        assertEquals(false, data.getBoolean("salesReady"));
        JsonObject model = data.getJsonArray("scores").getJsonObject(0);
        assertEquals("D", model.getString("grade"));
        assertEquals(50, model.getInteger("salesReadyThreshold"));
        assertEquals(1, model.getInteger("modelVersion"));

        JsonPath why = explanation(lead);
        assertEquals("form-submitted", why.getString("hits[0].ruleId"));
        assertEquals(capture.captureId().toString(), why.getString("hits[0].interactionId"));
        assertEquals(10, why.getInt("hits[0].points"));

        // a further submission on the open lead
        Capture again = capture();
        publishLead(Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), lead, 2,
                new LeadCaptured(lead, contact, "solar-panels", again)));
        awaitScore(lead, 20);
        assertEquals(2L, awaitScoreChanged(lead, 20).getLong("sequence"));
        assertScoreIsSumOfHits(lead);
    }

    @Test
    void anonymousFormPostsScoreOncePerLeadPerWindow() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        Instant now = Instant.now();
        // five posts of a public web form: once 10 points, not the 50 of the sales-ready threshold
        publishLead(leadCreated(lead, contact, "solar-panels",
                new Capture(UUID.randomUUID(), now, "MARKETING_FORM", "form-42", true)));
        for (int i = 1; i <= 4; i++) {
            publishLead(Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), lead, 1 + i,
                    new LeadCaptured(lead, contact, "solar-panels",
                            new Capture(UUID.randomUUID(), now.plusSeconds(i), "MARKETING_FORM", "form-42", true))));
        }
        // a staff capture (not anonymous) counts as before, after the four
        publishLead(Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), lead, 6,
                new LeadCaptured(lead, contact, "solar-panels", capture())));
        awaitScore(lead, 20);
        // a form post outside the window (24 h in tests too) counts again
        publishLead(Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), lead, 7,
                new LeadCaptured(lead, contact, "solar-panels",
                        new Capture(UUID.randomUUID(), now.minus(Duration.ofDays(2)), "MARKETING_FORM", "form-42",
                                true))));
        awaitScore(lead, 30);
        assertEquals(false, scores(lead).getBoolean("[0].salesReady"));
        assertEquals(3, explanation(lead).getList("hits.interactionId").stream().distinct().count(),
                "two form posts and the staff capture scored");
        assertScoreIsSumOfHits(lead);
    }

    @Test
    void interactionsNameTheContactByIdOrByEmail() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        String email = uniqueEmail();
        publishContact(contact, email);
        publishLead(leadCreated(lead, contact, "solar-panels", null));
        awaitTracked(lead);
        assertEquals(0, defaultScore(lead));

        JsonPath byId = postInteractions("{\"id\": \"click-" + lead + "\", \"type\": \"EMAIL_CLICKED\", "
                + "\"contactId\": \"" + contact + "\", \"attributes\": {\"campaign\": \"spring\"}}", 202);
        assertEquals(List.of("click-" + lead), byId.getList("accepted"));
        assertEquals(5, defaultScore(lead), "applied in the request's transaction");

        // by e-mail (in another case): resolved through contact.created, whenever that arrives
        postInteractions("{\"id\": \"visit-" + lead + "\", \"type\": \"page_visited\", \"email\": \" "
                + email.toUpperCase() + " \", \"occurredAt\": \"2026-01-10T09:00:00Z\", "
                + "\"attributes\": {\"url\": \"https://example.com/pricing\"}}", 202);
        awaitScore(lead, 21);
        awaitScoreChanged(lead, 21);
        assertScoreIsSumOfHits(lead);

        // another topic does not count for this lead
        postInteractions("{\"id\": \"other-" + lead + "\", \"type\": \"EVENT_ATTENDED\", \"contactId\": \"" + contact
                + "\", \"topic\": \"heat-pumps\"}", 202);
        assertEquals(21, defaultScore(lead));
    }

    @Test
    void anInteractionIdCountsOnce() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        publishLead(leadCreated(lead, contact, "solar-panels", null));
        awaitTracked(lead);
        String one = "{\"id\": \"att-" + lead + "\", \"type\": \"EVENT_ATTENDED\", \"contactId\": \"" + contact + "\"}";

        assertEquals(List.of("att-" + lead), postInteractions(one, 202).getList("accepted"));
        JsonPath again = postInteractions("[" + one + ", " + one + "]", 202);
        assertEquals(List.of(), again.getList("accepted"));
        assertEquals(List.of("att-" + lead, "att-" + lead), again.getList("duplicates"));
        assertEquals(20, defaultScore(lead));
        assertEquals(1, explanation(lead).getList("hits").size());
    }

    @Test
    void aRedeliveredEnvelopeCountsOnce() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        Envelope<LeadCreated> created = leadCreated(lead, contact, "solar-panels", capture());
        Envelope<LeadCaptured> captured = Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", Instant.now(), lead,
                2, new LeadCaptured(lead, contact, "solar-panels", capture()));
        publishLead(created);
        publishLead(created);
        publishLead(captured);
        publishLead(captured);
        // a later message on the same queue tells us all of the above were consumed
        UUID sentinel = UUID.randomUUID();
        publishLead(leadCreated(sentinel, UUID.randomUUID(), "solar-panels", capture()));
        awaitScore(sentinel, 10);

        assertEquals(20, defaultScore(lead));
        awaitScoreChanged(lead, 20);
        assertEquals(2, scoreChanges(lead).size(), "one score.changed per applied message");
        assertEquals(2, explanation(lead).getList("hits").size());
    }

    @Test
    void crossingTheThresholdMakesTheLeadSalesReady() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        publishLead(leadCreated(lead, contact, "solar-panels", capture()));
        awaitScore(lead, 10);

        JsonPath result = postInteractions("[{\"id\": \"reg-" + lead + "\", \"type\": \"EVENT_REGISTERED\", "
                + "\"leadId\": \"" + lead + "\", \"contactId\": \"" + contact + "\"}, "
                + "{\"id\": \"att-" + lead + "\", \"type\": \"EVENT_ATTENDED\", \"contactId\": \"" + contact + "\"}, "
                + "{\"id\": \"price-" + lead + "\", \"type\": \"PAGE_VISITED\", \"contactId\": \"" + contact + "\", "
                + "\"attributes\": {\"url\": \"/en/pricing\"}}]", 202);
        assertEquals(3, result.getList("accepted").size());

        JsonPath scores = scores(lead);
        assertEquals(56, scores.getInt("[0].score"));
        assertEquals("B", scores.getString("[0].grade"));
        assertEquals(true, scores.getBoolean("[0].salesReady"));

        JsonObject event = awaitScoreChanged(lead, 56);
        assertEquals(true, event.getJsonObject("data").getBoolean("salesReady"));
        assertEquals(true, event.getJsonObject("data").getJsonArray("scores").getJsonObject(0).getBoolean("salesReady"));
        assertEquals("price-" + lead, event.getJsonObject("data").getString("interactionId"));
        assertEquals(2L, event.getLong("sequence"), "one event for the batch");
        assertScoreIsSumOfHits(lead);
    }

    @Test
    void anInteractionBeforeItsLeadIsAppliedWhenTheLeadArrives() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        String email = uniqueEmail();
        postInteractions("[{\"id\": \"early-click-" + lead + "\", \"type\": \"EMAIL_CLICKED\", \"contactId\": \""
                + contact + "\"}, {\"id\": \"early-event-" + lead + "\", \"type\": \"EVENT_ATTENDED\", \"email\": \""
                + email + "\", \"leadId\": \"" + lead + "\"}, {\"id\": \"early-mail-" + lead
                + "\", \"type\": \"EMAIL_OPENED\", \"email\": \"" + email + "\"}, {\"id\": \"early-other-" + lead
                + "\", \"type\": \"EVENT_ATTENDED\", \"contactId\": \"" + contact + "\", \"topic\": \"heat-pumps\"}]",
                202);
        assertEquals(404, scoreStatus(lead));

        publishLead(leadCreated(lead, contact, "Solar-Panels", null));
        awaitScore(lead, 25);
        awaitScoreChanged(lead, 25);

        // the contact's e-mail becomes known: the interaction that named it counts now
        publishContact(contact, email);
        awaitScore(lead, 27);
        assertEquals("C", scores(lead).getString("[0].grade"));
        assertScoreIsSumOfHits(lead);
    }

    @Test
    void concurrentInteractionsForOneLeadLoseNoUpdate() throws Exception {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        String email = uniqueEmail();
        publishLead(leadCreated(lead, contact, "solar-panels", null));
        awaitTracked(lead);
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Callable<Integer>> calls = IntStream.range(0, 16).<Callable<Integer>> mapToObj(i -> () -> given()
                    .auth().oauth2(MARKETING).contentType(ContentType.JSON)
                    .body("{\"id\": \"visit-" + i + "-" + lead + "\", \"type\": \"PAGE_VISITED\", "
                    // half name the lead, half the contact: they meet only at the lead's row lock
                            + (i % 2 == 0 ? "\"leadId\": \"" + lead + "\", \"email\": \"" + email + "\""
                                    : "\"contactId\": \"" + contact + "\"")
                            + ", \"attributes\": {\"url\": \"/blog/" + i + "\"}}")
                    .post("/interactions").then().extract().statusCode()).toList();
            List<Integer> statuses = new ArrayList<>();
            for (Future<Integer> f : pool.invokeAll(calls)) {
                statuses.add(f.get());
            }
            assertTrue(statuses.stream().allMatch(s -> s == 202), statuses.toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals(16, defaultScore(lead));
        assertScoreIsSumOfHits(lead);
        awaitScoreChanged(lead, 16);
        // requests that arrive together are applied in one transaction, which publishes one snapshot per lead: at most
        // one event per request, numbered without gaps, the last with the final score
        List<Long> sequences = scoreChanges(lead).stream().map(e -> e.getLong("sequence")).sorted().toList();
        assertTrue(!sequences.isEmpty() && sequences.size() <= 16, sequences::toString);
        assertEquals(LongStreamRange.of(1, sequences.size()), sequences, "sequence without gaps");
    }

    /**
     * An interaction naming a campaign reaches lead-service in the score.changed of the lead it was applied to, also
     * when it moves no score; a repeat of it names nothing again.
     */
    @Test
    void theCampaignsOfAppliedInteractionsTravelInScoreChangedEvenWhenNoScoreMoves() {
        UUID lead = UUID.randomUUID();
        UUID contact = UUID.randomUUID();
        publishLead(leadCreated(lead, contact, "solar-panels", capture()));
        awaitScore(lead, 10);
        awaitScoreChanged(lead, 10);

        // no rule of the default model counts a brochure download: the score stays, the campaign still travels
        String brochure = "brochure-" + lead;
        String downloaded = "{\"id\": \"" + brochure + "\", \"type\": \"CUSTOM:brochure-download\", \"contactId\": \""
                + contact + "\", \"occurredAt\": \"2026-11-30T09:00:00Z\", \"attributes\": {\"campaign\": \" Spring expo \"}}";
        assertEquals(List.of(brochure), postInteractions(downloaded, 202).getList("accepted"));
        JsonObject touched = events.await(EventTypes.SCORE_CHANGED, d -> lead.toString().equals(d.getString("leadId"))
                && !d.getJsonArray("campaignTouches", new io.vertx.core.json.JsonArray()).isEmpty());
        assertEquals(2L, touched.getLong("sequence"));
        JsonObject data = touched.getJsonObject("data");
        assertEquals(10, data.getJsonArray("scores").getJsonObject(0).getInteger("score"), "the score did not move");
        assertEquals(List.of(Map.of("interactionId", brochure, "campaign", "Spring expo", "occurredAt",
                "2026-11-30T09:00:00Z")), data.getJsonArray("campaignTouches").getList());

        // the same interaction again is a duplicate: no further touch. A click naming the campaign beside its
        // attributes (as a capture names it) scores and touches.
        assertEquals(List.of(brochure), postInteractions(downloaded, 202).getList("duplicates"));
        String click = "click-" + lead;
        postInteractions("{\"id\": \"" + click + "\", \"type\": \"EMAIL_CLICKED\", \"contactId\": \"" + contact
                + "\", \"campaign\": \"Autumn webinar\"}", 202);
        JsonObject clicked = awaitScoreChanged(lead, 15);
        assertEquals(List.of("Autumn webinar"), clicked.getJsonObject("data").getJsonArray("campaignTouches")
                .stream().map(t -> ((JsonObject) t).getString("campaign")).toList());
        assertEquals(List.of(1L, 2L, 3L), scoreChanges(lead).stream().map(e -> e.getLong("sequence")).sorted()
                .toList(), "the repeat published nothing");

        // a campaign that is not text, too long, or two different ones: the item is refused, naming the field
        String tooLong = "x".repeat(201);
        JsonPath refused = given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("[{\"id\": \"n-" + lead
                + "\", \"type\": \"EMAIL_OPENED\", \"contactId\": \"" + contact + "\", \"attributes\": {\"campaign\": 42}}, "
                + "{\"id\": \"l-" + lead + "\", \"type\": \"EMAIL_OPENED\", \"contactId\": \"" + contact
                + "\", \"campaign\": \""
                + tooLong + "\"}, {\"id\": \"d-" + lead + "\", \"type\": \"EMAIL_OPENED\", \"contactId\": \"" + contact
                + "\", \"campaign\": \"A\", \"attributes\": {\"campaign\": \"B\"}}]")
                .post("/interactions").then().statusCode(422).contentType("application/problem+json").extract()
                .jsonPath();
        assertEquals(List.of("[0].attributes.campaign", "[1].campaign", "[2].campaign"), refused.getList("errors.field"));
    }

    @Test
    void aBatchReportsBadItemsByIndexAndAcceptsTheOthers() {
        UUID contact = UUID.randomUUID();
        String good = "{\"id\": \"g1-" + contact + "\", \"type\": \"EMAIL_OPENED\", \"contactId\": \"" + contact + "\"}";
        String good2 = "{\"id\": \"g2-" + contact + "\", \"type\": \"CUSTOM:webinar\", \"contactId\": \"" + contact
                + "\"}";
        JsonPath result = postInteractions("[" + good + ", {\"id\": \"bad-type\", \"type\": \"NOPE\", \"contactId\": \""
                + contact + "\"}, " + good2 + ", {\"type\": \"EMAIL_OPENED\", \"email\": \"not-an-email\", "
                + "\"occurredAt\": \"yesterday\", \"attributes\": {\"nested\": {\"a\": 1}}}, 42]", 202);
        assertEquals(List.of("g1-" + contact, "g2-" + contact), result.getList("accepted"));
        assertEquals(List.of(1, 3, 4), result.getList("rejected.index"));
        assertEquals("bad-type", result.getString("rejected[0].id"));
        assertEquals(List.of("type"), result.getList("rejected[0].errors.field"));
        assertEquals(List.of("id", "email", "occurredAt", "attributes.nested"), result.getList("rejected[1].errors.field"));

        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("[{\"id\": \"x\", \"type\": \"NOPE\", \"contactId\": \"" + contact + "\"}, {\"id\": \"y\"}]")
                .post("/interactions")
                .then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItems("[0].type", "[1].type", "[1].contactId"))
                .body("rejected.index", equalTo(List.of(0, 1)));
    }

    @Test
    void badInputIsAProblemNotAServerError() {
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("[{\"id\": ")
                .post("/interactions")
                .then().statusCode(400).contentType("application/problem+json").body("status", equalTo(400));
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("\"just text\"")
                .post("/interactions")
                .then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body("[]")
                .post("/interactions")
                .then().statusCode(422).contentType("application/problem+json");
        String many = "[" + String.join(",", IntStream.range(0, 1001)
                .mapToObj(i -> "{\"id\": \"m" + i + "\", \"type\": \"EMAIL_OPENED\", \"email\": \"a@b.io\"}").toList())
                + "]";
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(many)
                .post("/interactions")
                .then().statusCode(422).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"id\": \"nul\\u0000\", \"type\": \"EMAIL_OPENED\", \"email\": \"a@b.io\", "
                        + "\"occurredAt\": \"+99999-01-01T00:00:00Z\", \"attributes\": {\"n\": 1e400}}")
                .post("/interactions")
                .then().statusCode(422).body("errors.field", hasItems("[0].id", "[0].occurredAt", "[0].attributes.n"));

        given().auth().oauth2(MARKETING).get("/leads/" + UUID.randomUUID() + "/scores")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/leads/" + UUID.randomUUID() + "/scores/" + DEFAULT_MODEL
                + "/explanation")
                .then().statusCode(404).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/scoring/models/" + UUID.randomUUID())
                .then().statusCode(404).contentType("application/problem+json");
    }

    @Test
    void tokensAndRolesAreChecked() {
        String body = "{\"id\": \"r-" + UUID.randomUUID() + "\", \"type\": \"EMAIL_OPENED\", \"email\": \"a@b.io\"}";
        given().contentType(ContentType.JSON).body(body).post("/interactions")
                .then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2(TestTokens.forRoles("sales")).contentType(ContentType.JSON).body(body)
                .post("/interactions")
                .then().statusCode(403).contentType("application/problem+json");
        given().get("/leads/" + UUID.randomUUID() + "/scores").then().statusCode(401);
        given().auth().oauth2(TestTokens.forRoles("crm")).get("/scoring/models").then().statusCode(403);
        given().auth().oauth2(TestTokens.forRoles("crm")).get("/leads/" + UUID.randomUUID() + "/scores")
                .then().statusCode(404);
    }

    @Test
    void theDefaultModelIsPublished() {
        given().auth().oauth2(TestTokens.forRoles("sales")).get("/scoring/models")
                .then().statusCode(200)
                .body("items.id", hasItem(DEFAULT_MODEL));
        JsonPath model = given().auth().oauth2(TestTokens.forRoles("telesales")).get("/scoring/models/" + DEFAULT_MODEL)
                .then().statusCode(200).extract().jsonPath();
        assertEquals("Default engagement", model.getString("name"));
        assertEquals("PUBLISHED", model.getString("status"));
        assertEquals(50, model.getInt("salesReadyThreshold"));
        assertEquals(List.of("D", "C", "B", "A"), model.getList("grades.name"));
        assertEquals(8, model.getList("rules").size());
        assertEquals("/pricing", model.getString("rules.find { it.id == 'pricing-page-visited' }.value"));
        assertEquals(List.of(), model.getList("scope.topics"));
    }

    /** 1..n as a list of longs. */
    private static final class LongStreamRange {
        static List<Long> of(long from, long to) {
            return java.util.stream.LongStream.rangeClosed(from, to).boxed().toList();
        }
    }
}
