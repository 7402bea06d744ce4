package io.leadsuite.contact.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedWriter;
import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;

import jakarta.inject.Inject;

import org.awaitility.Awaitility;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.testing.EventProbe;
import io.leadsuite.kit.testing.TestTokens;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/** The 100,000-row import runs last: the other tests await events, which its backlog in the outbox would delay. */
@QuarkusTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContactImportTest {

    private static final String MARKETING = TestTokens.forRoles("marketing");

    @Inject
    EventProbe events;
    @Inject
    AgroalDataSource db;

    private static String upload(byte[] csv, String... map) {
        var request = given().auth().oauth2(MARKETING).contentType("text/csv").body(csv);
        for (String m : map) {
            request.queryParam("map", m);
        }
        return request.post("/contacts/imports").then().statusCode(202)
                .header("Location", org.hamcrest.Matchers.containsString("/contacts/imports/"))
                .extract().path("jobId");
    }

    private static JsonPath job(String id) {
        return given().auth().oauth2(MARKETING).get("/contacts/imports/" + id).then().statusCode(200).extract()
                .jsonPath();
    }

    private static JsonPath awaitEnd(String id, Duration atMost) {
        return Awaitility.await().atMost(atMost).pollInterval(Duration.ofMillis(200)).until(() -> job(id),
                j -> List.of("DONE", "FAILED", "CANCELLED").contains(j.getString("state")));
    }

    @Test
    void aSmallImportWithQuotesBomMappingAndBadLines() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String existing = "existing." + tag + "@example.com";
        String existingId = given().auth().oauth2(MARKETING).contentType(ContentType.JSON)
                .body("{\"email\": \"" + existing + "\", \"firstName\": \"Old\"}").post("/contacts").then()
                .statusCode(201).extract().path("id");
        String csv = "\uFEFF" + "Country,E-Mail Address,First_Name,Company,ignored,PHONE\r\n" // line 1
                + "Portugal,ANA." + tag + "@Example.com ,Ana,\"Acme, Inc.\",x,912 345 678\r\n" // 2
                + "DEU,bo." + tag + "@example.com,\"Bo \"\"The\"\" Lee\",\"Multi\nline\nco\",y,\r\n" // 3-5
                + "XX,cy." + tag + "@example.com,Cy,,z,\r\n" // 6: bad country
                + "PT,not-an-email,Dee,,z,\r\n" // 7: bad e-mail
                + "PT,too.few." + tag + "@example.com\r\n" // 8: too few fields
                + "\r\n" // 9: blank, skipped
                + "SE," + existing.toUpperCase() + ",New,Volvo,q,+46 8 123 456 78\r\n" // 10: update
                + "PT,eve." + tag + "@example.com,Eve,,z,12\r\n" // 11: bad phone
                + "PT,ana." + tag + "@example.com,Ana,\"Acme, Inc.\",x,\r\n" // 12: unchanged
                + "PT,\"unterminated." + tag + "@example.com,Fay\r\n"; // 13: unterminated quote
        String id = upload(csv.getBytes(StandardCharsets.UTF_8), "email:e-mail address");
        JsonPath done = awaitEnd(id, Duration.ofSeconds(30));
        assertEquals("DONE", done.getString("state"));
        assertEquals(9, done.getInt("total"), "blank lines are not rows");
        assertEquals(9, done.getInt("processed"));
        assertEquals(2, done.getInt("created"));
        assertEquals(1, done.getInt("updated"));
        assertEquals(1, done.getInt("unchanged"));
        assertEquals(5, done.getInt("failed"));
        Map<Integer, String> errors = new TreeMap<>();
        done.getList("errors", Map.class).forEach(e -> errors.put((Integer) e.get("line"), (String) e.get("message")));
        assertEquals(List.of(6, 7, 8, 11, 13), new ArrayList<>(errors.keySet()));
        assertTrue(errors.get(6).startsWith("country"), errors.toString());
        assertTrue(errors.get(7).startsWith("email"), errors.toString());
        assertTrue(errors.get(8).contains("expected 6 fields"), errors.toString());
        assertTrue(errors.get(11).startsWith("phone"), errors.toString());
        assertTrue(errors.get(13).contains("unterminated"), errors.toString());
        // no personal data in the reasons
        errors.values().forEach(m -> assertTrue(!m.contains(tag) && !m.contains("not-an-email"), m));

        given().auth().oauth2(MARKETING).queryParam("email", "ana." + tag + "@example.com").get("/contacts").then()
                .body("items[0].country", equalTo("PT")).body("items[0].phone", equalTo("+351912345678"))
                .body("items[0].company", equalTo("Acme, Inc.")).body("items[0].firstName", equalTo("Ana"));
        given().auth().oauth2(MARKETING).queryParam("email", "bo." + tag + "@example.com").get("/contacts").then()
                .body("items[0].firstName", equalTo("Bo \"The\" Lee")).body("items[0].company", equalTo("Multi\nline\nco"))
                .body("items[0].country", equalTo("DE"));
        given().auth().oauth2(MARKETING).get("/contacts/" + existingId).then().body("firstName", equalTo("New"))
                .body("country", equalTo("SE")).body("phone", equalTo("+46812345678"));

        var created = events.await("contact.created", d -> ("bo." + tag + "@example.com").equals(d.getString("email")));
        assertEquals(1L, created.getLong("sequence"));
        var updated = events.await("contact.updated", d -> existingId.equals(d.getString("contactId")));
        assertEquals(List.of("firstName", "phone", "company", "country"),
                updated.getJsonObject("data").getJsonArray("changed").getList());
        assertTrue(updated.getLong("sequence") > 1);
    }

    @Test
    void aLineWithATooLongFieldOrTooLongInAllOrANulCharacterIsRefusedWithItsLineAndTheJobGoesOn() {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        String csv = "email,first_name,company\n" // 1
                + "long.field." + tag + "@example.com,Ana," + "x".repeat(1001) + "\n" // 2: field over 1000
                + "long.line." + tag + "@example.com," + ("y".repeat(900) + ",").repeat(12) + "end\n" // 3: 10,000+
                + "fine." + tag + "@example.com,Bo,Acme\n" // 4
                // 5: a NUL character (PostgreSQL text cannot hold one); it failed the whole job, retried five times
                + "nul." + tag + "@example.com,A\u0000na,Acme\n";
        JsonPath done = awaitEnd(upload(csv.getBytes(StandardCharsets.UTF_8)), Duration.ofSeconds(30));
        assertEquals("DONE", done.getString("state"));
        assertEquals(1, done.getInt("created"));
        assertEquals(3, done.getInt("failed"));
        Map<Integer, String> errors = new TreeMap<>();
        done.getList("errors", Map.class).forEach(e -> errors.put((Integer) e.get("line"), (String) e.get("message")));
        assertEquals("field 3 is longer than 1000 characters", errors.get(2), errors.toString());
        assertEquals("the line is longer than 10000 characters", errors.get(3), errors.toString());
        assertEquals("firstName: must not contain NUL characters", errors.get(5), errors.toString());
        given().auth().oauth2(MARKETING).queryParam("email", "fine." + tag + "@example.com").get("/contacts").then()
                .body("items[0].company", equalTo("Acme"));
    }

    @Test
    void uploadsThatCannotBeImportedAreRefused() {
        given().auth().oauth2(MARKETING).contentType("text/csv").body("name,company\nAna,Acme\n")
                .post("/contacts/imports").then().statusCode(422).contentType("application/problem+json")
                .body("errors.field", hasItem("header"));
        given().auth().oauth2(MARKETING).contentType("text/csv").queryParam("map", "mail:Mail")
                .body("Mail\na@b.io\n").post("/contacts/imports").then().statusCode(422)
                .body("errors.field", hasItem("map"));
        given().auth().oauth2(MARKETING).contentType("text/csv").body("email\n").post("/contacts/imports").then()
                .statusCode(422);
        given().auth().oauth2(MARKETING).contentType("text/csv").body(new byte[] { 'e', 'm', 'a', 'i', 'l', '\n',
                (byte) 0xC3, (byte) 0x28, '\n' }).post("/contacts/imports").then().statusCode(400);
        given().auth().oauth2(TestTokens.forRoles("sales")).contentType("text/csv").body("email\na@b.io\n")
                .post("/contacts/imports").then().statusCode(403);
        given().auth().oauth2(MARKETING).get("/contacts/imports/" + UUID.randomUUID()).then().statusCode(404);
    }

    @Test
    void anImportCanBeCancelled() throws Exception {
        StringBuilder csv = new StringBuilder("email\n");
        String tag = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < 20_000; i++) {
            csv.append("c").append(i).append('.').append(tag).append("@example.com\n");
        }
        String id = upload(csv.toString().getBytes(StandardCharsets.UTF_8));
        given().auth().oauth2(MARKETING).post("/contacts/imports/" + id + "/cancel").then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        given().auth().oauth2(MARKETING).delete("/contacts/imports/" + id).then().statusCode(200)
                .body("state", equalTo("CANCELLED"));
        JsonPath cancelled = job(id);
        Thread.sleep(1500);
        JsonPath later = job(id);
        assertEquals(cancelled.getInt("processed"), later.getInt("processed"), "nothing processed after cancel");
        assertTrue(later.getInt("processed") < 20_000);
        assertEquals(later.getInt("created"), count("select count(*) from contact where email like ?",
                "%." + tag + "@example.com"));
        assertEquals(0, count("select count(*) from import_row where job_id = cast(? as uuid)", id));
    }

    /**
     * A worker died after committing the first chunk (its rows deleted, its counts recorded) and its lease ran out:
     * another worker (here: this instance's) takes the job over and goes on from the first uncommitted row.
     */
    @Test
    void anAbandonedJobResumesFromItsFirstUncommittedRow() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        UUID job = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            try (PreparedStatement s = c.prepareStatement("insert into import_job (id, state, total, processed, "
                    + "created, started_at, lease_until) values (?, 'RUNNING', 5, 2, 2, now() - interval '2 minutes', "
                    + "now() - interval '1 minute')")) {
                s.setObject(1, job);
                s.executeUpdate();
            }
            try (PreparedStatement s = c.prepareStatement(
                    "insert into import_row (job_id, line, data, error) values (?, ?, ?, ?)")) {
                Object[][] rows = {
                        { 4, "{\"email\": \"r1." + tag + "@example.com\", \"country\": \"FRA\"}", null },
                        { 5, "{\"email\": \"r2." + tag + "@example.com\"}", null },
                        { 6, "{\"email\": \"bad\"}", null } };
                for (Object[] row : rows) {
                    s.setObject(1, job);
                    s.setInt(2, (Integer) row[0]);
                    s.setString(3, (String) row[1]);
                    s.setString(4, (String) row[2]);
                    s.executeUpdate();
                }
            }
        }
        JsonPath done = awaitEnd(job.toString(), Duration.ofSeconds(30));
        assertEquals("DONE", done.getString("state"));
        assertEquals(5, done.getInt("processed"));
        assertEquals(4, done.getInt("created"));
        assertEquals(1, done.getInt("failed"));
        assertEquals(List.of(6), done.getList("errors.line"));
        assertEquals(2, count("select count(*) from contact where email like ?", "%." + tag + "@example.com"));
        given().auth().oauth2(MARKETING).queryParam("email", "r1." + tag + "@example.com").get("/contacts").then()
                .body("items[0].country", equalTo("FR"));
    }

    /**
     * 100,000 rows, 25 of them bad in known ways: progress is visible while it runs, exactly those lines are
     * reported, every other row is imported. Prints rows per second (a figure, not an assertion).
     */
    @Test
    @Order(99)
    void aHundredThousandRowsWithSomeBadLines() throws Exception {
        String tag = UUID.randomUUID().toString().substring(0, 8);
        File file = File.createTempFile("contacts", ".csv");
        file.deleteOnExit();
        Map<Integer, String> bad = new TreeMap<>();
        try (BufferedWriter out = Files.newBufferedWriter(file.toPath(), StandardCharsets.UTF_8)) {
            out.write("first_name,last_name,email,company,job_title,country,phone\n");
            for (int i = 0; i < 100_000; i++) {
                int line = i + 2;
                String email = "bulk" + i + "." + tag + "@example.com";
                String country = "PT";
                String phone = "+35191" + String.format("%07d", i);
                String row = null;
                if (i % 5000 == 1234) {
                    email = "bulk" + i + ".at.example.com";
                    bad.put(line, "email");
                } else if (i % 10000 == 777) {
                    country = "Narnia";
                    bad.put(line, "country");
                } else if (i % 25000 == 4321) {
                    row = "Only,three," + email;
                    bad.put(line, "expected 7 fields");
                }
                out.write(row != null ? row
                        : "First" + i + ",\"Last, " + i + "\"," + email + ",Company " + (i % 100) + ",Engineer,"
                                + country + "," + phone);
                out.write('\n');
            }
        }
        Instant posted = Instant.now();
        String id = given().auth().oauth2(MARKETING).contentType("text/csv").body(file).post("/contacts/imports")
                .then().statusCode(202).extract().path("jobId");
        Duration uploadTime = Duration.between(posted, Instant.now());

        List<Integer> progress = new ArrayList<>();
        JsonPath done = Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofMillis(250))
                .until(() -> {
                    JsonPath j = job(id);
                    if (j.getString("state").equals("RUNNING")) {
                        progress.add(j.getInt("processed"));
                    }
                    return j;
                }, j -> List.of("DONE", "FAILED", "CANCELLED").contains(j.getString("state")));
        assertEquals("DONE", done.getString("state"));
        assertTrue(progress.stream().anyMatch(p -> p > 0 && p < 100_000), "progress seen while running: " + progress);
        assertEquals(100_000, done.getInt("total"));
        assertEquals(100_000, done.getInt("processed"));
        assertEquals(bad.size(), done.getInt("failed"));
        assertEquals(100_000 - bad.size(), done.getInt("created"));
        List<Map<String, Object>> errors = done.getList("errors");
        assertEquals(new ArrayList<>(bad.keySet()), errors.stream().map(e -> (Integer) e.get("line")).toList());
        for (Map<String, Object> e : errors) {
            assertTrue(((String) e.get("message")).contains(bad.get((Integer) e.get("line"))), e.toString());
        }
        assertEquals(100_000 - bad.size(), count("select count(*) from contact where email like ?",
                "%." + tag + "@example.com"));
        Duration processing = Duration.between(Instant.parse(done.getString("startedAt")),
                Instant.parse(done.getString("finishedAt")));
        System.out.printf("IMPORT BENCHMARK: 100000 rows (%d bad): upload %d ms, processing %d ms = %.0f rows/s; "
                + "%d progress readings while running%n", bad.size(), uploadTime.toMillis(), processing.toMillis(),
                100_000 / (processing.toMillis() / 1000.0), progress.size());
        // one event per contact: wait until the relay has sent them all (later tests await events of their own)
        Instant finished = Instant.parse(done.getString("finishedAt"));
        Awaitility.await().atMost(Duration.ofMinutes(8)).pollInterval(Duration.ofSeconds(1))
                .until(() -> count("select count(*) from outbox_message where type <> ?", "-") == 0);
        System.out.printf("IMPORT BENCHMARK: outbox drained %d s after the import finished%n",
                Duration.between(finished, Instant.now()).toSeconds());
    }

    private long count(String sql, String param) throws Exception {
        try (Connection c = db.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            s.setString(1, param);
            try (ResultSet rs = s.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        }
    }
}
