package io.leadsuite.lead.rest;

import static io.leadsuite.lead.rest.LeadWorkflowTest.history;
import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.restassured.response.Response;
import io.vertx.core.json.JsonObject;

/**
 * Lead imports against PostgreSQL and Artemis (contact-service faked): rows become captures (contact matched or
 * created, lead created or touched, the same events), bad lines are refused with their line numbers and reasons,
 * progress and cancel work as the contact import's do, bad uploads are clear 4xx problems.
 */
@QuarkusTest
@QuarkusTestResource(FakeContactService.class)
class LeadImportTest {

    static final String MARKETING = TestTokens.forRoles("marketing");
    static final String SALES = TestTokens.forRoles("sales");

    @Inject
    EventProbe events;

    static Response upload(String csv) {
        return given().auth().oauth2(MARKETING).contentType("text/csv")
                .body(csv.getBytes(StandardCharsets.UTF_8)).post("/leads/imports");
    }

    static JsonPath job(String id) {
        return given().auth().oauth2(MARKETING).get("/leads/imports/" + id).then().statusCode(200).extract()
                .jsonPath();
    }

    static JsonPath awaitEnd(String id, Duration deadline) {
        await().atMost(deadline).pollInterval(Duration.ofMillis(200))
                .until(() -> !List.of("QUEUED", "RUNNING").contains(job(id).getString("state")));
        return job(id);
    }

    private static List<Map<String, Object>> leadsOf(String contactId) {
        return given().auth().oauth2(MARKETING).get("/leads?limit=200&contactId=" + contactId).then().statusCode(200)
                .extract().jsonPath().getList("items");
    }

    @Test
    void rowsBecomeCapturesAndBadLinesAreRefusedWithTheirLineNumbers() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String ana = "ana." + run + "@example.com";
        String bo = "bo." + run + "@example.com";
        String csv = "Email,First_Name,last_name,company,country,Topic,source,source_ref,campaign,consent\n"
                + ana + ",Ana,Silva,Acme,PT,Solar-Panels,EVENT,expo-" + run + ",spring-expo,yes\n" // 2: created
                + ana + ",Ana,Silva,Acme,PT,Heat Pumps " + run + ",,,,\n" // 3: same contact, another topic: created
                + ana + ",Ana,Silva,Acme,PT,solar-panels,,,,\n" // 4: same contact and topic: touched
                + bo + ",Bo,\"Lee, Jr.\",,SE,solar-panels,,,,no\n" // 5: created
                + ",Nobody,,,,solar-panels,,,,\n" // 6: no e-mail
                + "cy." + run + "@example.com,Cy,,,,,,,,\n" // 7: no topic
                + "di." + run + "@example.com,Di,,,,solar-panels,FAX,,,\n" // 8: unknown source
                + "ed." + run + "@example.com,Ed,,,,solar-panels,,,,perhaps\n" // 9: consent unreadable
                + "fi." + run + "@example.com,Fi,,too,many,fields,here,,,,,\n" // 10: wrong width
                + "invalid." + run + "@example.com,In,,,,solar-panels,,,,\n" // 11: contact-service refuses it
                + "\n"; // a blank line is no row
        String jobId = upload(csv).then().statusCode(202).header("Location", containsString("/leads/imports/"))
                .extract().path("jobId");
        JsonPath done = awaitEnd(jobId, Duration.ofSeconds(60));
        assertEquals("DONE", done.getString("state"));
        assertEquals(10, done.getInt("total"));
        assertEquals(10, done.getInt("processed"));
        assertEquals(6, done.getInt("failed"));
        assertEquals(3, done.getInt("leadsCreated"));
        assertEquals(1, done.getInt("leadsTouched"));
        assertEquals(2, done.getInt("created"), "contacts created: ana and bo");
        assertEquals(2, done.getInt("unchanged"), "ana matched twice");
        assertEquals(0, done.getInt("updated"));
        assertEquals(List.of(6, 7, 8, 9, 10, 11), done.getList("errors.line"));
        List<String> messages = done.getList("errors.message");
        assertTrue(messages.get(0).startsWith("email:"), messages.toString());
        assertTrue(messages.get(1).startsWith("topic:"), messages.toString());
        assertTrue(messages.get(2).startsWith("source:"), messages.toString());
        assertTrue(messages.get(3).startsWith("consent:"), messages.toString());
        assertTrue(messages.get(4).contains("fields as in the header"), messages.toString());
        assertTrue(messages.get(5).startsWith("email:"), messages.toString());
        assertFalse(String.join(" ", messages).contains(run), "errors never quote values: " + messages);

        // the leads, as a capture makes them
        String leadId = events.await("lead.created", d -> d.getJsonObject("capture") != null
                && ("expo-" + run).equals(d.getString("sourceRef"))).getJsonObject("data").getString("leadId");
        JsonPath lead = given().auth().oauth2(MARKETING).get("/leads/" + leadId).then().statusCode(200).extract()
                .jsonPath();
        String anaId = lead.getString("contactId");
        assertEquals("solar-panels", lead.getString("topic"));
        assertEquals("EVENT", lead.getString("source"));
        // the row's campaign became a campaign of that name, the lead's
        assertEquals("spring-expo", given().auth().oauth2(MARKETING).get("/campaigns/" + lead.getString("campaign"))
                .then().statusCode(200).extract().jsonPath().getString("name"));
        assertEquals("marketing-lead", lead.getString("flow"));
        assertEquals("INQUIRY", lead.getString("stage"));
        List<Map<String, Object>> anas = leadsOf(anaId);
        assertEquals(2, anas.size(), anas.toString());
        Map<String, Object> heat = anas.stream().filter(l -> ("heat pumps " + run).equals(l.get("topic"))).findFirst()
                .orElseThrow();
        assertEquals("IMPORT", heat.get("source"), "IMPORT when the source column is empty");
        List<Map<String, Object>> entries = history(leadId);
        assertEquals(List.of("CREATED", "CAPTURED"), entries.stream().map(e -> e.get("kind")).toList());
        assertEquals("marketing-user", entries.get(0).get("actor"), "the uploader");
        JsonObject touched = events.await("lead.captured", d -> leadId.equals(d.getString("leadId")));
        assertEquals("IMPORT", touched.getJsonObject("data").getJsonObject("capture").getString("source"));
    }

    @Test
    void badUploadsAreClearProblems() {
        upload("name,topic\nAna,solar\n").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("header"));
        upload("email,topic\n").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("body"));
        given().auth().oauth2(MARKETING).contentType("text/csv").body(new byte[] { 'e', 'm', (byte) 0xC3, 0x28 })
                .post("/leads/imports").then().statusCode(400).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).contentType("text/csv").queryParam("map", "shoeSize:Size")
                .body("email,topic\na@example.com,x\n").post("/leads/imports").then().statusCode(422)
                .body("errors.field", hasItem("map"));
        given().auth().oauth2(MARKETING).contentType("text/csv").queryParam("delimiter", "#")
                .body("email,topic\na@example.com,x\n").post("/leads/imports").then().statusCode(422)
                .body("errors.field", hasItem("delimiter"));
        given().auth().oauth2(SALES).contentType("text/csv").body("email,topic\na@example.com,x\n")
                .post("/leads/imports").then().statusCode(403).contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/leads/imports/" + UUID.randomUUID()).then().statusCode(404)
                .contentType("application/problem+json");
        given().auth().oauth2(MARKETING).get("/leads/imports/not-a-uuid").then().statusCode(404);
        given().auth().oauth2(MARKETING).contentType("text/csv").queryParam("map", "email:E-Mail")
                .queryParam("map", "topic:Product").queryParam("delimiter", ";")
                .body("E-Mail;Product\nmapped." + UUID.randomUUID() + "@example.com;Boilers\n").post("/leads/imports")
                .then().statusCode(202);
    }

    @Test
    void aRunningImportCanBeCancelledAndAnEndedOneCannot() {
        StringBuilder csv = new StringBuilder("email,topic\n");
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 3000; i++) {
            csv.append("c").append(i).append('.').append(run).append("@example.com,cancel-test\n");
        }
        String jobId = upload(csv.toString()).then().statusCode(202).extract().path("jobId");
        JsonPath cancelled = given().auth().oauth2(MARKETING).post("/leads/imports/" + jobId + "/cancel").then()
                .statusCode(200).body("state", equalTo("CANCELLED")).extract().jsonPath();
        assertNotNull(cancelled.getString("finishedAt"));
        // a chunk in flight commits; then nothing moves
        await().atMost(Duration.ofSeconds(30)).pollDelay(Duration.ofSeconds(2)).until(() -> {
            int before = job(jobId).getInt("processed");
            Thread.sleep(1500);
            return job(jobId).getInt("processed") == before;
        });
        JsonPath after = job(jobId);
        assertEquals("CANCELLED", after.getString("state"));
        assertTrue(after.getInt("processed") < 3000, "cancelled before the end: " + after.getInt("processed"));
        assertEquals(after.getInt("processed"), after.getInt("leadsCreated") + after.getInt("leadsTouched"));
        given().auth().oauth2(MARKETING).delete("/leads/imports/" + jobId).then().statusCode(200)
                .body("state", equalTo("CANCELLED"));

        String small = upload("email,topic\nsmall." + run + "@example.com,cancel-test\n").then().statusCode(202)
                .extract().path("jobId");
        assertEquals("DONE", awaitEnd(small, Duration.ofSeconds(30)).getString("state"));
        given().auth().oauth2(MARKETING).post("/leads/imports/" + small + "/cancel").then().statusCode(409)
                .contentType("application/problem+json").body("state", equalTo("DONE"));
    }

    /**
     * 10,000 leads with 25 bad lines: every good row becomes a lead (captured, so scored and routed as a capture), every
     * bad one is reported with its line. Prints the figures; nothing asserts a time.
     */
    @Test
    void tenThousandLeadsWithSomeBadLines() {
        String run = UUID.randomUUID().toString().substring(0, 8);
        StringBuilder csv = new StringBuilder("email,first_name,last_name,company,country,topic,source,source_ref,"
                + "campaign,consent\n");
        List<Integer> bad = new ArrayList<>();
        String[] topics = { "solar-panels", "heat-pumps", "insulation", "windows" };
        for (int i = 0; i < 10_000; i++) {
            int line = i + 2;
            if (i % 400 == 7) { // 25 bad lines: missing topic, missing e-mail, unknown source, refused e-mail, width
                bad.add(line);
                switch ((i / 400) % 5) {
                    case 0 -> csv.append("bad").append(i).append('.').append(run).append("@example.com,A,B,C,PT,,,,,\n");
                    case 1 -> csv.append(",A,B,C,PT,solar-panels,,,,\n");
                    case 2 -> csv.append("src").append(i).append('.').append(run)
                            .append("@example.com,A,B,C,PT,solar-panels,TELEGRAM,,,\n");
                    case 3 -> csv.append("invalid").append(i).append('.').append(run)
                            .append("@example.com,A,B,C,PT,solar-panels,,,,\n");
                    default -> csv.append("w").append(i).append('.').append(run).append("@example.com,A,B\n");
                }
                continue;
            }
            // 8,000 people, some with two interests
            csv.append("p").append(i % 8000).append('.').append(run).append("@example.com,First").append(i)
                    .append(",Last,Company ").append(i % 50).append(",PT,").append(topics[i / 8000 + (i % 3 == 0 ? 2 : 0)])
                    .append(",EVENT,expo-").append(i % 7).append(",campaign-").append(i % 3).append(",yes\n");
        }
        long started = System.nanoTime();
        String jobId = upload(csv.toString()).then().statusCode(202).extract().path("jobId");
        long uploaded = System.nanoTime();
        int readings = 0;
        JsonPath job = job(jobId);
        while (List.of("QUEUED", "RUNNING").contains(job.getString("state"))) {
            assertTrue(System.nanoTime() - uploaded < Duration.ofMinutes(15).toNanos(), "still running after 15 min");
            readings++;
            try {
                Thread.sleep(500);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            job = job(jobId);
        }
        long ended = System.nanoTime();
        assertEquals("DONE", job.getString("state"), job.prettify());
        assertEquals(10_000, job.getInt("total"));
        assertEquals(10_000, job.getInt("processed"));
        assertEquals(bad.size(), job.getInt("failed"));
        assertEquals(bad, job.getList("errors.line"));
        assertEquals(10_000 - bad.size(), job.getInt("leadsCreated") + job.getInt("leadsTouched"));
        assertEquals(10_000 - bad.size(), job.getInt("created") + job.getInt("unchanged"));
        double processing = (ended - uploaded) / 1e9;
        System.out.printf("[import] 10,000 leads, %d bad lines: upload %.1f s, processing %.1f s (%.0f rows/s), "
                + "%d progress readings; contacts created %d, matched %d; leads created %d, touched %d%n",
                bad.size(), (uploaded - started) / 1e9, processing, 10_000 / processing, readings, job.getInt("created"),
                job.getInt("unchanged"), job.getInt("leadsCreated"), job.getInt("leadsTouched"));
        job.<Map<String, Object>> getList("errors").forEach(error -> System.out.printf("[import] line %s: %s%n",
                error.get("line"), error.get("message")));
    }
}
