package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;

/**
 * Per-lead order with two replicas of lead-service and two of scoring-service consuming at once, across
 * redeliveries: interactions for the same leads arrive at both scoring replicas interleaved, lifecycle steps go to
 * both lead replicas, and one replica of each is killed with SIGKILL in the middle of the load (its unacknowledged
 * messages are redelivered to the other) and started again. Once everything has settled, for every lead: scoring's
 * score is the sum of its rule hits and the score expected from what was accepted, lead-service stores that score
 * with the sequence scoring published last, the history is one unbroken chain of stages, every accepted interaction
 * counted exactly once, and nothing went to a dead-letter queue.
 */
class TwoReplicasIT {

    private static final String TOKEN = TestTokens.forRoles("marketing", "telesales");
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final int LEADS = 20;
    private static final int ROUNDS = 6;
    /** Rounds 0 to 3 run while one replica of each service is killed; 4 and 5 after both are back. */
    private static final int ROUNDS_BEFORE_RESTART = 4;
    private static final int UNSUBSCRIBE_ROUND = 2;
    private static final List<String> TYPES = List.of("EMAIL_OPENED", "EMAIL_CLICKED", "PAGE_VISITED",
            "EVENT_REGISTERED", "EVENT_ATTENDED");
    private static final int[] LEAD_PORTS = { Suite.LEAD, Suite.LEAD_2 };
    private static final int[] SCORING_PORTS = { Suite.SCORING, Suite.SCORING_2 };

    private static Suite suite;

    @BeforeAll
    static void startSuite() throws Exception {
        // the load below comes from one client: the gateway's per-caller limit must not answer it with 429
        suite = new Suite(Map.of("LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE", "100000000"));
        long started = System.nanoTime();
        suite.start("contact-service", "lead-service", "scoring-service", Suite.LEAD_SERVICE_2,
                Suite.SCORING_SERVICE_2, "gateway");
        System.out.printf("[e2e] contact, gateway, lead x2, scoring x2 ready in %d ms%n",
                Duration.ofNanos(System.nanoTime() - started).toMillis());
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
    }

    /** One captured lead and what the test sent for it. */
    static final class Lead {
        final int index;
        final String id;
        final String contactId;
        /** Moved by hand: sales-ready (telesales), qualified, on to sales acceptance. */
        final boolean lifecycle;
        /** Gets an UNSUBSCRIBED (-50) in the middle, so its score may fall back below the threshold. */
        final boolean unsubscribes;
        final Map<String, Integer> counts = new LinkedHashMap<>();
        final Set<String> interactionIds = new HashSet<>();

        Lead(int index, String id, String contactId) {
            this.index = index;
            this.id = id;
            this.contactId = contactId;
            this.lifecycle = index % 4 == 1;
            this.unsubscribes = index % 4 == 3;
        }
    }

    /** One POST /interactions: its items, and the scoring replica it goes to first. */
    record Submission(int round, int replica, List<Map<String, Object>> items) {
    }

    private final List<Lead> leads = new ArrayList<>();
    private final Map<String, AtomicInteger> acceptedTimes = new ConcurrentHashMap<>();
    private final Set<String> reportedDuplicate = ConcurrentHashMap.newKeySet();
    private final AtomicInteger sent = new AtomicInteger();
    private final AtomicInteger failovers = new AtomicInteger();
    private final List<String> errors = new CopyOnWriteArrayList<>();

    @Test
    void perLeadOrderHoldsWithTwoReplicasOfEachConsumerAcrossRedeliveries() throws Exception {
        long dlqAddedBefore = suite.queueStat("DLQ").added();
        ScoringModel model = ScoringModel.published(given().baseUri("http://localhost:" + Suite.GATEWAY).auth()
                .oauth2(TOKEN).contentType(ContentType.JSON));

        captureLeads();
        List<List<Submission>> rounds = plan();

        // rounds 0-3 on both scoring replicas, lifecycle steps on both lead replicas; one replica of each killed
        int phaseOne = rounds.subList(0, ROUNDS_BEFORE_RESTART).stream().mapToInt(List::size).sum();
        long loadStarted = System.nanoTime();
        List<Thread> load = senders(rounds.subList(0, ROUNDS_BEFORE_RESTART));
        Thread lifecycle = thread("lifecycle-1", () -> {
            for (Lead lead : leads) {
                if (lead.lifecycle) {
                    int first = lead.index % 2;
                    patch(first, lead, Map.of("owner", "owner-" + lead.index));
                    post(1 - first, lead, "/sales-ready", Map.of("reason", "called back, wants an offer"),
                            view -> view.path("salesReady").asBoolean());
                    post(first, lead, "/transitions", Map.of("to", "TELEPROSPECTING_QUALIFICATION"),
                            view -> "TELEPROSPECTING_QUALIFICATION".equals(view.path("stage").asText()));
                }
            }
        });
        load.add(lifecycle);
        load.forEach(Thread::start);
        await().atMost(Duration.ofSeconds(120)).until(() -> sent.get() >= phaseOne * 2 / 5 || !alive(load));
        suite.kill(Suite.LEAD_SERVICE_2);
        suite.kill(Suite.SCORING_SERVICE_2);
        System.out.printf("[e2e] lead-service-2 and scoring-service-2 killed (SIGKILL) after %d of %d submissions%n",
                sent.get(), phaseOne);
        join(load);
        System.out.printf("[e2e] rounds 0-%d sent in %d ms (%d fail-overs to the other replica)%n",
                ROUNDS_BEFORE_RESTART - 1, Duration.ofNanos(System.nanoTime() - loadStarted).toMillis(),
                failovers.get());

        suite.start(Suite.LEAD_SERVICE_2, Suite.SCORING_SERVICE_2);
        System.out.println("[e2e] lead-service-2 and scoring-service-2 started again");
        List<Thread> more = senders(rounds.subList(ROUNDS_BEFORE_RESTART, ROUNDS));
        more.add(thread("lifecycle-2", () -> {
            for (Lead lead : leads) {
                if (lead.lifecycle) {
                    int first = lead.index % 2;
                    patch(1 - first, lead, Map.of("qualification", Map.of("budget", 15000, "currency", "EUR",
                            "timeframe", "THIS_QUARTER", "need", "replace an oil boiler")));
                    post(first, lead, "/transitions", Map.of("to", "SALES_ACCEPTANCE"),
                            view -> "SALES_ACCEPTANCE".equals(view.path("stage").asText()));
                }
            }
        }));
        more.forEach(Thread::start);
        join(more);
        assertEquals(List.of(), errors, "every request answered as expected");
        System.out.printf("[e2e] %d submissions sent in %d ms (%d fail-overs)%n", sent.get(),
                Duration.ofNanos(System.nanoTime() - loadStarted).toMillis(), failovers.get());

        Map<String, Integer> expected = new HashMap<>();
        for (Lead lead : leads) {
            int score = model.pointsFor("FORM_SUBMITTED", 1);
            for (Map.Entry<String, Integer> e : lead.counts.entrySet()) {
                score += model.pointsFor(e.getKey(), e.getValue());
            }
            expected.put(lead.id, score);
        }

        long settleStarted = System.nanoTime();
        AtomicReference<Map<String, List<Object>>> previous = new AtomicReference<>();
        try {
            await().atMost(Duration.ofSeconds(300)).pollInterval(Duration.ofSeconds(2)).until(() -> {
                Map<String, List<Object>> now = snapshot(model.id);
                boolean settled = now.equals(previous.getAndSet(now)) && outboxRows() == 0
                        && leads.stream().allMatch(l -> {
                            List<Object> s = now.get(l.id);
                            return Objects.equals(s.get(2), s.get(3))
                                    && ((Number) s.get(4)).intValue() == l.interactionIds.size() + 1;
                        });
                return settled;
            });
        } catch (ConditionTimeoutException e) {
            System.out.println("[e2e] did not settle within 300 s; the checks below say what differs");
        }
        System.out.printf("[e2e] settled %d ms after the last submission%n",
                Duration.ofNanos(System.nanoTime() - settleStarted).toMillis());

        assertEquals(0, outboxRows(), "every outbox relayed");
        int fellBack = 0;
        long scoreChanges = 0;
        try (Connection leadDb = db("lead"); Connection scoringDb = db("scoring")) {
            for (Lead lead : leads) {
                String name = "lead " + lead.index + " (" + lead.id + ")";
                // scoring-service: score = sum of rule hits = expected
                Map<String, Object> score = row(scoringDb, "select s.score, s.sales_ready, t.sequence, "
                        + "(select coalesce(sum(points), 0) from rule_hit h where h.lead_id = s.lead_id "
                        + "and h.model_id = s.model_id) from lead_score s join tracked_lead t using (lead_id) "
                        + "where s.lead_id = ?::uuid and s.model_id = ?::uuid", lead.id, model.id);
                int scoring = ((Number) score.get("score")).intValue();
                assertEquals(expected.get(lead.id), scoring, name + ": scoring-service's score");
                assertEquals(scoring, ((Number) score.get("coalesce")).intValue(), name + ": sum of rule hits");

                // each interaction sent for the lead counted once, the capture's FORM_SUBMITTED once
                List<Map<String, Object>> applied = SuiteDatabases.rows(scoringDb,
                        "select i.id, i.type from interaction_application a "
                                + "join interaction i on i.id = a.interaction_id where a.lead_id = ?::uuid",
                        lead.id);
                Set<String> appliedIds = new HashSet<>();
                int forms = 0;
                for (Map<String, Object> a : applied) {
                    if ("FORM_SUBMITTED".equals(a.get("type"))) {
                        forms++;
                    } else {
                        appliedIds.add((String) a.get("id"));
                    }
                }
                assertEquals(1, forms, name + ": the capture counted once");
                assertEquals(lead.interactionIds, appliedIds, name + ": the interactions applied");
                assertEquals(lead.interactionIds.size() + 1, applied.size(), name + ": each applied once");

                // lead-service: the last snapshot scoring published, and nothing older after it
                Map<String, Object> stored = row(leadDb, "select scores, score_sequence, stage, status, sales_ready, "
                        + "sales_ready_by, owner from lead where id = ?::uuid", lead.id);
                long sequence = ((Number) score.get("sequence")).longValue();
                scoreChanges += sequence;
                assertEquals(sequence, ((Number) stored.get("score_sequence")).longValue(),
                        name + ": lead-service applied scoring's latest score.changed");
                assertEquals(scoring, storedScore((String) stored.get("scores"), model.id),
                        name + ": lead-service's stored score");
                int viaApi = given().baseUri("http://localhost:" + Suite.GATEWAY).auth().oauth2(TOKEN)
                        .get("/api/leads/" + lead.id).then().statusCode(200).extract().jsonPath()
                        .getInt("scores.find { it.modelId == '" + model.id + "' }.score");
                assertEquals(scoring, viaApi, name + ": score through the gateway");

                // the history: one chain of stages, from INQUIRY to where the lead is
                List<Map<String, Object>> history = SuiteDatabases.rows(leadDb, "select id, kind, from_stage, to_stage, cause "
                        + "from lead_history where lead_id = ?::uuid order by id", lead.id);
                assertEquals("CREATED", history.get(0).get("kind"), name + ": history starts with CREATED");
                assertNull(history.get(0).get("from_stage"), name + ": " + history);
                assertEquals("INQUIRY", history.get(0).get("to_stage"), name + ": " + history);
                for (int i = 1; i < history.size(); i++) {
                    assertEquals(history.get(i - 1).get("to_stage"), history.get(i).get("from_stage"),
                            name + ": entry " + i + " starts where entry " + (i - 1) + " ended: " + history);
                }
                assertEquals(stored.get("stage"), history.get(history.size() - 1).get("to_stage"),
                        name + ": the history ends at the lead's stage: " + history);
                assertEquals("OPEN", stored.get("status"), name);
                if (history.stream().anyMatch(h -> "SALES_READY_CLEARED".equals(h.get("kind")))) {
                    fellBack++;
                }

                if (lead.lifecycle) {
                    assertEquals("SALES_ACCEPTANCE", stored.get("stage"), name + ": " + history);
                    assertEquals(Boolean.TRUE, stored.get("sales_ready"), name);
                    assertEquals("owner-" + lead.index, stored.get("owner"), name);
                } else {
                    // sales-readiness by score follows scoring's last word, and the flow's stage with it
                    boolean ready = (Boolean) score.get("sales_ready");
                    assertEquals(ready, stored.get("sales_ready"), name + ": sales-ready as scoring says");
                    assertEquals(ready ? "TELEPROSPECTING_ACCEPTANCE" : "AUTOMATED_MARKETING_QUALIFICATION",
                            stored.get("stage"), name + ": " + history);
                    assertEquals(ready ? "SCORE" : null, stored.get("sales_ready_by"), name);
                }
            }
            List<String> ids = leads.stream().map(l -> l.id).toList();
            List<String> contacts = leads.stream().map(l -> l.contactId).toList();
            for (String database : List.of("contact", "lead", "scoring")) {
                try (Connection c = db(database)) {
                    List<Map<String, Object>> dead = SuiteDatabases.rows(c, "select subject::text as subject, type from "
                            + "outbox_dead_letter");
                    assertFalse(dead.stream().anyMatch(d -> ids.contains(d.get("subject"))
                            || contacts.contains(d.get("subject"))), database + ": outbox dead letters " + dead);
                }
            }
        }
        int duplicates = 0;
        for (Lead lead : leads) {
            for (String id : lead.interactionIds) {
                AtomicInteger times = acceptedTimes.get(id);
                assertTrue(times == null ? reportedDuplicate.contains(id) : times.get() == 1,
                        id + " answered as accepted " + times + " times");
                if (times == null) {
                    duplicates++;
                }
            }
        }
        long dlqAdded = suite.queueStat("DLQ").added() - dlqAddedBefore;
        assertEquals(0, dlqAdded, "messages moved to the DLQ during the test");
        System.out.printf("[e2e] %d leads, %d interactions: scores = sum of hits = expected = lead-service's, "
                + "sequences equal (%d score.changed in all), histories chained, %d fell back below the "
                + "threshold on the way; %d interactions accepted by a killed replica and answered as duplicates "
                + "on the retry; DLQ +%d%n", leads.size(),
                leads.stream().mapToInt(l -> l.interactionIds.size()).sum(), scoreChanges, fellBack, duplicates,
                dlqAdded);
    }

    // ----------------------------------------------------------------------------------------------------- load

    /** Captures the leads, every other one on lead-service-2 directly, each for a contact of its own. */
    private void captureLeads() throws Exception {
        String run = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 0; i < LEADS; i++) {
            Map<String, Object> body = Map.of("email", "replicas." + run + "." + i + "@example.com", "firstName",
                    "Ana", "lastName", "Silva", "company", "Acme", "topic", "heat-pumps", "source", "MARKETING_FORM",
                    "sourceRef", "form-2r", "consent", true);
            String base = i % 2 == 0 ? "http://localhost:" + Suite.GATEWAY + "/api" : "http://localhost:" + Suite.LEAD_2;
            String key = UUID.randomUUID().toString();
            HttpResponse<String> response = null;
            for (int attempt = 0; attempt < 5; attempt++) {
                response = HTTP.send(request(base + "/captures").header("Idempotency-Key", key)
                        .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500) {
                    break;
                }
            }
            assertEquals(201, response.statusCode(), response.body());
            JsonNode created = JSON.readTree(response.body());
            leads.add(new Lead(i, created.path("leadId").asText(), created.path("contactId").asText()));
        }
        // the capture counts as FORM_SUBMITTED: every lead scored before the load starts
        await().atMost(Duration.ofSeconds(120)).pollInterval(Duration.ofMillis(500)).until(() -> leads.stream()
                .allMatch(l -> !given().baseUri("http://localhost:" + Suite.LEAD).auth().oauth2(TOKEN)
                        .get("/leads/" + l.id).then().statusCode(200).extract().jsonPath().getList("scores")
                        .isEmpty()));
    }

    /**
     * The submissions of every round. In each round every lead gets one to three interactions, split over both
     * scoring replicas, naming the lead or (one in three) only its contact; the leads that unsubscribe do so in
     * round {@value #UNSUBSCRIBE_ROUND}.
     */
    private List<List<Submission>> plan() {
        List<List<Submission>> rounds = new ArrayList<>();
        for (int r = 0; r < ROUNDS; r++) {
            List<Submission> round = new ArrayList<>();
            for (Lead lead : leads) {
                int n = 1 + (lead.index + r) % 3;
                List<List<Map<String, Object>>> perReplica = List.of(new ArrayList<>(), new ArrayList<>());
                for (int j = 0; j < n; j++) {
                    String type = TYPES.get((lead.index * 7 + r * 3 + j) % TYPES.size());
                    perReplica.get((lead.index + r + j) % 2).add(interaction(lead, type, (lead.index + r + j) % 3 == 0));
                }
                if (lead.unsubscribes && r == UNSUBSCRIBE_ROUND) {
                    perReplica.get(lead.index % 2).add(interaction(lead, "UNSUBSCRIBED", false));
                }
                for (int replica = 0; replica < 2; replica++) {
                    if (!perReplica.get(replica).isEmpty()) {
                        round.add(new Submission(r, replica, perReplica.get(replica)));
                    }
                }
            }
            rounds.add(round);
        }
        return rounds;
    }

    private static Map<String, Object> interaction(Lead lead, String type, boolean byContact) {
        String id = "2r-" + UUID.randomUUID();
        lead.interactionIds.add(id);
        lead.counts.merge(type, 1, Integer::sum);
        Map<String, Object> item = new LinkedHashMap<>();
        item.put("id", id);
        item.put("type", type);
        // every interaction names its contact; most name the lead too, the others count for the contact's open lead
        item.put("contactId", lead.contactId);
        if (!byContact) {
            item.put("leadId", lead.id);
        }
        item.put("occurredAt", Instant.now().toString());
        item.put("attributes", Map.of("campaign", "two-replicas"));
        return item;
    }

    /** One thread per scoring replica, each sending the rounds' submissions meant for it, in order. */
    private List<Thread> senders(List<List<Submission>> rounds) {
        List<Thread> threads = new ArrayList<>();
        for (int replica = 0; replica < 2; replica++) {
            int own = replica;
            threads.add(thread("scoring-sender-" + replica, () -> {
                int count = 0;
                for (List<Submission> round : rounds) {
                    for (Submission submission : round) {
                        if (submission.replica() == own) {
                            submit(submission);
                            // a client that retries: every fifth submission sent twice
                            if (++count % 5 == 0) {
                                submit(submission);
                            }
                            sent.incrementAndGet();
                        }
                    }
                }
            }));
        }
        return threads;
    }

    /** POST /interactions on the submission's replica, on the other one when that one does not answer. */
    private void submit(Submission submission) throws Exception {
        String body = JSON.writeValueAsString(submission.items());
        HttpResponse<String> response = send(SCORING_PORTS, submission.replica(), "/interactions",
                port -> request("http://localhost:" + port + "/interactions")
                        .POST(HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 202) {
            error("interactions: " + response.statusCode() + " " + response.body());
            return;
        }
        JsonNode answer = JSON.readTree(response.body());
        answer.path("accepted").forEach(id -> acceptedTimes.computeIfAbsent(id.asText(), k -> new AtomicInteger())
                .incrementAndGet());
        answer.path("duplicates").forEach(id -> reportedDuplicate.add(id.asText()));
        if (answer.path("rejected").size() > 0) {
            error("interactions rejected: " + answer.path("rejected"));
        }
    }

    // ------------------------------------------------------------------------------------------------ lifecycle

    private void patch(int replica, Lead lead, Map<String, Object> doc) throws Exception {
        String body = JSON.writeValueAsString(doc);
        HttpResponse<String> response = send(LEAD_PORTS, replica, "PATCH " + lead.id,
                port -> request("http://localhost:" + port + "/leads/" + lead.id)
                        .method("PATCH", HttpRequest.BodyPublishers.ofString(body)).build());
        if (response.statusCode() != 200) {
            error("PATCH lead " + lead.index + ": " + response.statusCode() + " " + response.body());
        }
    }

    /**
     * A lifecycle step on a lead-service replica. When a replica dies under it, the step may or may not have been
     * applied: a 409 on the retry is right only if the lead already shows the step done.
     */
    private void post(int replica, Lead lead, String path, Map<String, Object> doc,
            java.util.function.Predicate<JsonNode> done) throws Exception {
        String body = JSON.writeValueAsString(doc);
        AtomicInteger attempts = new AtomicInteger();
        HttpResponse<String> response = send(LEAD_PORTS, replica, path + " " + lead.id, port -> {
            attempts.incrementAndGet();
            return request("http://localhost:" + port + "/leads/" + lead.id + path)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
        });
        if (response.statusCode() == 200 || response.statusCode() == 409 && attempts.get() > 1
                && done.test(JSON.readTree(send(LEAD_PORTS, 0, "GET " + lead.id,
                        port -> request("http://localhost:" + port + "/leads/" + lead.id).GET().build()).body()))) {
            return;
        }
        error("POST " + path + " lead " + lead.index + ": " + response.statusCode() + " " + response.body());
    }

    // --------------------------------------------------------------------------------------------------- plumbing

    private static HttpRequest.Builder request(String url) {
        return HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + TOKEN).header("Content-Type", "application/json");
    }

    /**
     * Sends to ports[preferred]; on a connection failure or a 5xx (a replica killed under the request, or down), to
     * the other replica, and so on, for at most two minutes.
     */
    private HttpResponse<String> send(int[] ports, int preferred, String what,
            java.util.function.IntFunction<HttpRequest> request) throws Exception {
        long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
        int replica = preferred;
        while (true) {
            try {
                HttpResponse<String> response = HTTP.send(request.apply(ports[replica]),
                        HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() < 500 || System.nanoTime() > deadline) {
                    return response;
                }
            } catch (IOException e) {
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException(what + ": no replica answers", e);
                }
            }
            failovers.incrementAndGet();
            replica = 1 - replica;
            Thread.sleep(100);
        }
    }

    interface Body {
        void run() throws Exception;
    }

    private Thread thread(String name, Body body) {
        Thread thread = new Thread(() -> {
            try {
                body.run();
            } catch (Exception e) {
                error(name + ": " + e);
            }
        }, name);
        thread.setDaemon(true);
        return thread;
    }

    /** Records what went wrong in a sender (the first ten, shortened). */
    private void error(String what) {
        if (errors.size() < 10) {
            errors.add(what.length() > 400 ? what.substring(0, 400) + "..." : what);
        }
    }

    private static boolean alive(List<Thread> threads) {
        return threads.stream().anyMatch(Thread::isAlive);
    }

    private static void join(List<Thread> threads) throws InterruptedException {
        for (Thread t : threads) {
            t.join(Duration.ofMinutes(10).toMillis());
            assertFalse(t.isAlive(), t.getName() + " still running");
        }
    }

    // ---------------------------------------------------------------------------------------------------- reads

    /** Per lead: scoring's score, sum of hits, scoring's sequence, lead-service's sequence, applications. */
    private Map<String, List<Object>> snapshot(String modelId) throws SQLException {
        Map<String, List<Object>> snapshot = new HashMap<>();
        try (Connection leadDb = db("lead"); Connection scoringDb = db("scoring")) {
            for (Lead lead : leads) {
                Map<String, Object> s = row(scoringDb, "select t.sequence, (select score from lead_score where "
                        + "lead_id = t.lead_id and model_id = ?::uuid) as score, (select coalesce(sum(points), 0) from "
                        + "rule_hit where lead_id = t.lead_id) as hits, (select count(*) from interaction_application "
                        + "where lead_id = t.lead_id) as applied from tracked_lead t where t.lead_id = ?::uuid",
                        modelId, lead.id);
                Map<String, Object> l = row(leadDb, "select score_sequence, stage from lead where id = ?::uuid",
                        lead.id);
                snapshot.put(lead.id, List.of(s.get("score") == null ? "none" : s.get("score"), s.get("hits"),
                        s.get("sequence"), l.get("score_sequence"), s.get("applied"), l.get("stage")));
            }
        }
        return snapshot;
    }

    private int outboxRows() throws SQLException {
        int rows = 0;
        for (String database : List.of("contact", "lead", "scoring")) {
            try (Connection c = db(database)) {
                rows += ((Number) row(c, "select count(*) as n from outbox_message").get("n")).intValue();
            }
        }
        return rows;
    }

    private static int storedScore(String scores, String modelId) throws IOException {
        for (JsonNode s : JSON.readTree(scores)) {
            if (modelId.equals(s.path("modelId").asText())) {
                return s.path("score").asInt();
            }
        }
        throw new AssertionError("no score of model " + modelId + " in " + scores);
    }

    private static Connection db(String service) throws SQLException {
        Map<String, String> env = suite.env();
        String role = service + "_service";
        return DriverManager.getConnection("jdbc:postgresql://" + env.getOrDefault("LEADSUITE_DB_HOST", "127.0.0.1")
                + ":" + env.get("LEADSUITE_DB_PORT") + "/" + service, role, role);
    }

    private static Map<String, Object> row(Connection c, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = SuiteDatabases.rows(c, sql, params);
        assertEquals(1, rows.size(), sql + " " + List.of(params));
        return rows.get(0);
    }

}
