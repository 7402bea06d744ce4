package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

import io.leadsuite.kit.testing.HangUps;
import io.leadsuite.kit.testing.TestTokens;
import io.restassured.path.json.JsonPath;

/**
 * The capture path stays up whatever the clients and the broker do: frontends that give up under load (through the
 * gateway, which then drops its upstream call too) cost no service a connection, and with the broker down captures
 * still answer at once (the outbox holds the events, which flow when the broker is back).
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ClientHangUpIT {

    private static final String MARKETING = TestTokens.forRoles("marketing");
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static Suite suite;
    /** The services reach the broker through it, as through a cluster's service: it counts their connections. */
    private static FaultProxy broker;

    @BeforeAll
    static void startSuite() throws Exception {
        // the per-caller rate limit would answer most of the burst with 429 before it reached a service; the AMQP
        // client retries every second instead of every ten, so the broker's return is noticed quickly
        suite = new Suite(Map.of("LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE", "100000000",
                "MP_MESSAGING_CONNECTOR_SMALLRYE_AMQP_RECONNECT_INTERVAL", "1"));
        broker = new FaultProxy("broker", Suite.TOOLING, List.of(Integer.parseInt(suite.env().get("LEADSUITE_AMQP_PORT"))));
        for (String service : List.of("contact-service", "lead-service", "scoring-service", "gateway")) {
            suite.settings(service, Map.of("LEADSUITE_AMQP_PORT", String.valueOf(broker.port())));
        }
        suite.startAll();
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static String captureBody(String email) {
        return "{\"email\": \"" + email + "\", \"firstName\": \"Ana\", \"topic\": \"solar-panels\", "
                + "\"source\": \"MARKETING_FORM\"}";
    }

    /** A capture through the gateway that must be answered within 2 s; returns the answer. */
    private static HttpResponse<String> captureWithin2s(String email) throws Exception {
        long started = System.nanoTime();
        HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + Suite.GATEWAY
                + "/api/captures")).timeout(Duration.ofSeconds(2)).header("Authorization", "Bearer " + MARKETING)
                .header("Content-Type", "application/json").POST(HttpRequest.BodyPublishers.ofString(captureBody(email)))
                .build(), HttpResponse.BodyHandlers.ofString());
        System.out.printf("[e2e] capture answered %d in %d ms%n", response.statusCode(),
                Duration.ofNanos(System.nanoTime() - started).toMillis());
        return response;
    }

    @Test
    @Order(1)
    void aBurstOfClientsThatGiveUpLeavesTheCapturePathAnswering() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        HangUps.Burst burst = HangUps.burst(Suite.GATEWAY, 2000, 64, 1000, 7L,
                i -> HangUps.post("/api/captures", MARKETING, captureBody("burst-" + run + "-" + i + "@example.com")));
        System.out.println("[e2e] hang-up burst through the gateway: " + burst);
        assertTrue(burst.hungUp() > 300, "most requests must be abandoned: " + burst);

        // what was accepted finishes; then no service holds a connection inside a transaction, and a capture answers
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofSeconds(1))
                .until(() -> busySessions().isEmpty());
        // a connection lost by a cancelled request stays "in use" in its pool for good
        for (int port : List.of(Suite.CONTACT, Suite.LEAD, Suite.SCORING)) {
            await().atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(500))
                    .until(() -> poolConnectionsInUse(port) == 0);
        }
        HttpResponse<String> after = captureWithin2s("after-burst-" + run + "@example.com");
        assertEquals(201, after.statusCode(), after.body());
        assertEquals(List.of(), idleInTransaction());
    }

    @Test
    @Order(2)
    void withTheBrokerDownCapturesAnswerAtOnceAndTheirEventsFlowWhenItIsBack() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        List<String> leads = new ArrayList<>();
        long connectionsBefore = broker.connections();
        suite.killBroker();
        try {
            // captures for 20 s: their events wait in the outboxes, and the relays keep trying while the broker is away
            long until = System.nanoTime() + Duration.ofSeconds(20).toNanos();
            for (int i = 0; System.nanoTime() < until; i++) {
                HttpResponse<String> response = captureWithin2s("outage-" + run + "-" + i + "@example.com");
                assertEquals(201, response.statusCode(), response.body());
                leads.add(new JsonPath(response.body()).getString("leadId"));
            }
            // the broker is not part of any service's health: nothing is taken out of rotation or restarted
            for (int port : List.of(Suite.GATEWAY, Suite.CONTACT, Suite.LEAD, Suite.SCORING)) {
                given().baseUri("http://localhost:" + port).get("/q/health/ready").then().statusCode(200);
                given().baseUri("http://localhost:" + port).get("/q/health/live").then().statusCode(200);
            }
        } finally {
            suite.startBroker();
        }
        // the outbox held lead.created; once relayed, scoring-service scores the capture and lead-service shows it
        // (behind what is left of the burst's events on a slow machine)
        await().atMost(Duration.ofSeconds(180)).pollInterval(Duration.ofSeconds(1)).until(() -> leads.stream()
                .allMatch(id -> !given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(MARKETING)
                        .get("/api/leads/" + id).then().statusCode(200).extract().jsonPath().getList("scores")
                        .isEmpty()));
        // Every message the AMQP connector is given while the broker is away starts an attempt to connect of its own,
        // and each keeps its connection when it succeeds: a relay that went on sending left hundreds of connections
        // per service after an outage under load, and in the long fault run the broker ran out of heap. The relays
        // send one message while the broker is away, so the services come back with about as many connections as
        // they started with (one per channel), plus a few.
        long opened = broker.connections() - connectionsBefore;
        System.out.printf("[e2e] connections to the broker: %d when the suite started, %d opened after the outage%n",
                connectionsBefore, opened);
        assertTrue(opened <= 2 * connectionsBefore + 20, "the services opened " + opened
                + " connections to the broker after an outage, having started with " + connectionsBefore);
    }

    /** The service's pool gauge {@code sql_pool_active} (connections handed out and not given back). */
    private static double poolConnectionsInUse(int port) {
        String metrics = given().baseUri("http://localhost:" + port).get("/q/metrics").then().statusCode(200)
                .extract().asString();
        return metrics.lines().filter(l -> l.startsWith("sql_pool_active{"))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Sessions of the three services that are running a statement or sit inside a transaction. */
    private static List<String> busySessions() throws Exception {
        return sessions("state <> 'idle'");
    }

    /** Sessions of the three services idle inside a transaction for more than a second. */
    private static List<String> idleInTransaction() throws Exception {
        return sessions("state like 'idle in transaction%' and state_change < now() - interval '1 second'");
    }

    private static List<String> sessions(String condition) throws Exception {
        Map<String, String> env = suite.env();
        List<String> found = new ArrayList<>();
        for (String service : List.of("contact", "lead", "scoring")) {
            String role = service + "_service";
            try (Connection c = DriverManager.getConnection("jdbc:postgresql://"
                    + env.getOrDefault("LEADSUITE_DB_HOST", "127.0.0.1") + ":" + env.get("LEADSUITE_DB_PORT") + "/"
                    + service, role, role);
                    Statement s = c.createStatement();
                    ResultSet rs = s.executeQuery("select state, left(query, 60) from pg_stat_activity where "
                            + "usename = current_user and pid <> pg_backend_pid() and " + condition)) {
                while (rs.next()) {
                    found.add(service + ": " + rs.getString(1) + " " + rs.getString(2));
                }
            }
        }
        return found;
    }
}
