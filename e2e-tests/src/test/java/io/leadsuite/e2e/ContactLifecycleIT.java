package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * A merge and an erasure followed end to end, through the gateway: after {@code contact.merged} the duplicate's leads
 * belong to the survivor; after {@code contact.erased} the contact's leads are closed, their scores are gone, and no
 * table of any service holds the contact's e-mail or name. Needs lead-service and scoring-service to consume
 * {@code contact.merged} and {@code contact.erased} as the contract says.
 */
class ContactLifecycleIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        suite = new Suite();
        suite.startAll();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    private static RequestSpecification gateway() {
        return given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                .contentType(ContentType.JSON);
    }

    private static JsonPath capture(String email, String firstName, String lastName, String topic) {
        var response = Captures.post(ContactLifecycleIT::gateway, Map.of("email", email, "firstName", firstName,
                "lastName", lastName, "company", "Acme", "topic", topic, "source", "MARKETING_FORM", "sourceRef",
                "form-42", "consent", true));
        assertTrue(response.statusCode() == 201 || response.statusCode() == 200, response.asString());
        return response.jsonPath();
    }

    private static JsonPath lead(String leadId) {
        return gateway().get("/api/leads/" + leadId).then().statusCode(200).extract().jsonPath();
    }

    @Test
    void aMergeMovesTheLeadsAndAnErasureLeavesNothingBehind() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String survivorEmail = "life." + tag + "@example.com";
        String duplicateEmail = "life.other." + tag + "@example.com";
        String firstName = "Lifeana" + tag;
        String lastName = "Lifesilva" + tag;
        JsonPath first = capture(survivorEmail, firstName, lastName, "solar-panels");
        JsonPath second = capture(duplicateEmail, firstName, lastName, "heat-pumps");
        String survivor = first.getString("contactId");
        String duplicate = second.getString("contactId");
        String survivorLead = first.getString("leadId");
        String duplicateLead = second.getString("leadId");
        // both leads scored (the capture counts as FORM_SUBMITTED)
        await().atMost(Duration.ofSeconds(20)).until(() -> !lead(survivorLead).getList("scores").isEmpty()
                && !lead(duplicateLead).getList("scores").isEmpty());

        gateway().body(Map.of("duplicateId", duplicate)).post("/api/contacts/" + survivor + "/merge").then()
                .statusCode(200).body("id", equalTo(survivor));
        gateway().get("/api/contacts/" + duplicate).then().statusCode(200).body("mergedInto", equalTo(survivor));
        // lead-service follows contact.merged: the duplicate's lead now belongs to the survivor
        await().atMost(Duration.ofSeconds(20)).until(() -> survivor.equals(lead(duplicateLead).getString("contactId")));
        await().atMost(Duration.ofSeconds(20)).until(() -> gateway().queryParam("contactId", survivor)
                .get("/api/leads").then().statusCode(200).extract().jsonPath().getList("items.id")
                .containsAll(List.of(survivorLead, duplicateLead)));

        gateway().delete("/api/contacts/" + survivor).then().statusCode(204);
        gateway().get("/api/contacts/" + survivor).then().statusCode(410);
        // lead-service closes the leads, scoring-service drops their scores
        for (String leadId : List.of(survivorLead, duplicateLead)) {
            await().atMost(Duration.ofSeconds(20)).until(() -> !"OPEN".equals(lead(leadId).getString("status")));
            await().atMost(Duration.ofSeconds(20)).until(() -> {
                var response = gateway().get("/api/leads/" + leadId + "/scores");
                return response.statusCode() == 404
                        || (response.statusCode() == 200 && response.jsonPath().getList("$").isEmpty());
            });
        }
        // no table of any service holds the e-mails or the name (outboxes drain once relayed)
        List<String> values = List.of(survivorEmail, duplicateEmail, firstName, lastName);
        await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofSeconds(1))
                .until(() -> holding(values), List::isEmpty);
        assertEquals(List.of(), holding(values));
    }

    /** "database.table.column" of every text-like column in the three services' databases holding a value. */
    private static List<String> holding(List<String> values) throws Exception {
        Map<String, String> env = infraEnv();
        String host = env.getOrDefault("LEADSUITE_DB_HOST", "127.0.0.1");
        String port = env.getOrDefault("LEADSUITE_DB_PORT", "26432");
        List<String> hits = new ArrayList<>();
        for (String service : List.of("contact", "lead", "scoring")) {
            String role = service + "_service";
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://" + host + ":" + port + "/" + service,
                    role, role)) {
                List<String[]> columns = new ArrayList<>();
                try (PreparedStatement s = c.prepareStatement("select table_name, column_name from "
                        + "information_schema.columns where table_schema = current_schema() and data_type in "
                        + "('text', 'character varying', 'character', 'jsonb', 'json')");
                        ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        columns.add(new String[] { rs.getString(1), rs.getString(2) });
                    }
                }
                assertTrue(!columns.isEmpty(), "columns of " + service);
                for (String[] col : columns) {
                    for (String value : values) {
                        try (PreparedStatement s = c.prepareStatement("select count(*) from \"" + col[0]
                                + "\" where position(lower(?) in lower(cast(\"" + col[1] + "\" as text))) > 0")) {
                            s.setString(1, value);
                            try (ResultSet rs = s.executeQuery()) {
                                rs.next();
                                if (rs.getLong(1) > 0) {
                                    hits.add(service + "." + col[0] + "." + col[1]);
                                }
                            }
                        }
                    }
                }
            }
        }
        return hits;
    }

    private static Map<String, String> infraEnv() throws Exception {
        Map<String, String> values = new HashMap<>(System.getenv());
        Path root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        Path file = root.resolve(".run/test/env");
        if (!System.getenv().containsKey("LEADSUITE_DB_PORT") && Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring("export ".length()).split("=", 2);
                    values.put(kv[0], kv[1]);
                }
            }
        }
        return values;
    }
}
