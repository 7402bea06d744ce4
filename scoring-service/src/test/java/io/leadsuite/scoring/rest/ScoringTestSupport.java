package io.leadsuite.scoring.rest;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;

import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** Helpers shared by the scoring @QuarkusTests. */
final class ScoringTestSupport {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final Duration PATIENCE = Duration.ofSeconds(30);

    private ScoringTestSupport() {
    }

    static Envelope<LeadCreated> leadCreated(UUID lead, UUID contact, String topic) {
        return Envelope.of(EventTypes.LEAD_CREATED, "lead-service", Instant.now(), lead, 1, new LeadCreated(lead,
                contact, topic, "MARKETING_FORM", "form-42", "marketing-lead", "INQUIRY", "OPEN", null));
    }

    static JsonPath post(String path, String body, int status) {
        return given().auth().oauth2(MARKETING).contentType(ContentType.JSON).body(body).post(path)
                .then().statusCode(status).extract().jsonPath();
    }

    static JsonPath get(String path) {
        return given().auth().oauth2(MARKETING).get(path).then().statusCode(200).extract().jsonPath();
    }

    static int status(String path) {
        return given().auth().oauth2(MARKETING).get(path).then().extract().statusCode();
    }

    /** The lead's score under the model, or null when it has none. */
    static Integer score(UUID lead, String modelId) {
        if (status("/leads/" + lead + "/scores") != 200) {
            return null;
        }
        return get("/leads/" + lead + "/scores").get("find { it.modelId == '" + modelId + "' }.score");
    }

    static void awaitScore(UUID lead, String modelId, Integer expected) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> java.util.Objects.equals(score(lead, modelId), expected));
    }

    /** Models the tests published and have not retired yet. */
    static final java.util.Set<String> PUBLISHED = java.util.concurrent.ConcurrentHashMap.newKeySet();

    /** Creates and publishes a model; waits for its first re-scoring job to finish; yields the model id. */
    static String publishModel(String body) {
        String id = post("/scoring/models", body, 201).getString("id");
        PUBLISHED.add(id);
        String job = post("/scoring/models/" + id + "/publish", "", 202).getString("job.id");
        awaitJobDone(job);
        return id;
    }

    /** Publishes a model of one rule for one topic (sales-ready at 100): {@code points} per interaction of a type. */
    static String publishOneRuleModel(String topic, String interactionType, int points) {
        return publishModel("""
                {"name": "%s", "scope": {"topics": ["%s"]}, "salesReadyThreshold": 100,
                 "rules": [{"id": "only", "interactionType": "%s", "points": %d}]}""".formatted(interactionType,
                topic, interactionType, points));
    }

    /**
     * Retires what the tests published, so that later suites on the same database (the e2e tests in scripts/test.sh)
     * see only the default model.
     */
    static void retirePublished() {
        for (String id : PUBLISHED) {
            if ("PUBLISHED".equals(get("/scoring/models/" + id).getString("status"))) {
                String job = post("/scoring/models/" + id + "/retire", "", 202).getString("job.id");
                awaitJobDone(job);
            }
        }
        PUBLISHED.clear();
    }

    static JsonPath awaitJobDone(String job) {
        await().atMost(PATIENCE).pollInterval(Duration.ofMillis(200))
                .until(() -> "DONE".equals(get("/scoring/jobs/" + job).getString("state")));
        return get("/scoring/jobs/" + job);
    }
}
