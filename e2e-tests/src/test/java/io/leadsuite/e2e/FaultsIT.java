package io.leadsuite.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
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
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Predicate;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.RestAssured;
import io.restassured.http.ContentType;

/**
 * Faults on purpose, in the style of a Jepsen "total queue" check: what clients were told was accepted
 * must come out of the suite once. Two replicas of every service (gateway included) run behind balancers, steady
 * mixed load goes through both gateways (captures, interaction batches, telesales' manual steps, CRM accepts, a
 * webhook receiver), and meanwhile the broker, every replica and PostgreSQL are killed and started again, the network
 * between replicas and the broker or the database is delayed, silenced and reset (through {@link FaultProxy}), and the
 * webhook receiver goes down for a while. After the load stops and the suite settles, the checker compares the
 * clients' record with the databases, the receiver and the dead-letter queue.
 * <p>
 * Sizes (system properties, passed through by {@code mvnw -D...}): {@code faults.rounds} (times through the list of
 * faults, 1), {@code faults.interactions} (interactions acknowledged before the load may stop, 0), {@code
 * faults.workers} (load threads, 3). The short run of the test command is the default; the long run is
 * {@code -Dfaults.interactions=100000 -Dfaults.rounds=3} (README, "Faults on purpose").
 */
class FaultsIT {

    /** The clients' token, minted again well before its hour ends: a long run outlasts one token, as a session does. */
    private static final RenewedToken TOKEN = new RenewedToken();
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(2)).build();
    private static final int ROUNDS = Integer.getInteger("faults.rounds", 1);
    private static final long INTERACTIONS = Long.getLong("faults.interactions", 0);
    private static final int WORKERS = Integer.getInteger("faults.workers", 3);
    /** How long a client keeps retrying one request (same ids, same Idempotency-Key) before it gives up. */
    private static final Duration REQUEST_DEADLINE = Duration.ofMinutes(10);
    /** At most this many captured leads waiting for the lifecycle thread to walk them. */
    private static final int LIFECYCLE_BACKLOG = 20;
    private static final Duration SETTLE_DEADLINE = Duration.ofMinutes(15);
    private static final List<String> TYPES = List.of("EMAIL_OPENED", "EMAIL_CLICKED", "PAGE_VISITED",
            "EVENT_REGISTERED", "EVENT_ATTENDED", "UNSUBSCRIBED");
    private static final int[] GATEWAYS = { Suite.GATEWAY, Suite.GATEWAY_2 };
    private static final String[] INSTANCES = { "contact-service", Suite.CONTACT_SERVICE_2, "lead-service",
            Suite.LEAD_SERVICE_2, "scoring-service", Suite.SCORING_SERVICE_2, "gateway", Suite.GATEWAY_2_NAME };

    private static Suite suite;
    private static final Map<String, FaultProxy> proxies = new LinkedHashMap<>();
    private static WebhookReceiver receiver;

    @BeforeAll
    static void startSuite() throws Exception {
        int port = Suite.TOOLING;
        // a cluster's services: each balancer spreads connections over both replicas of one service
        FaultProxy contacts = proxy("contact-service", port++, Suite.CONTACT, Suite.CONTACT_2);
        FaultProxy leads = proxy("lead-service", port++, Suite.LEAD, Suite.LEAD_2);
        FaultProxy scoring = proxy("scoring-service", port++, Suite.SCORING, Suite.SCORING_2);
        Map<String, String> settings = new HashMap<>();
        settings.put("LEADSUITE_GATEWAY_RATE_LIMIT_PER_MINUTE", "100000000");
        settings.put("MP_MESSAGING_CONNECTOR_SMALLRYE_AMQP_RECONNECT_INTERVAL", "1");
        settings.put("LEADSUITE_CONTACT_SERVICE_URL", "http://localhost:" + contacts.port());
        settings.put("LEADSUITE_GATEWAY_UPSTREAMS_CONTACT_SERVICE", "http://localhost:" + contacts.port());
        settings.put("LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE", "http://localhost:" + leads.port());
        settings.put("LEADSUITE_GATEWAY_UPSTREAMS_SCORING_SERVICE", "http://localhost:" + scoring.port());
        suite = new Suite(settings);
        Map<String, String> infra = suite.env();
        int pg = Integer.parseInt(infra.get("LEADSUITE_DB_PORT"));
        int amqp = Integer.parseInt(infra.get("LEADSUITE_AMQP_PORT"));
        // the second replica of each service reaches PostgreSQL and the broker through proxies the faults break
        for (String instance : List.of(Suite.CONTACT_SERVICE_2, Suite.LEAD_SERVICE_2, Suite.SCORING_SERVICE_2)) {
            FaultProxy db = proxy(instance + "/postgres", port++, pg);
            FaultProxy broker = proxy(instance + "/broker", port++, amqp);
            suite.settings(instance, Map.of("LEADSUITE_DB_PORT", String.valueOf(db.port()), "LEADSUITE_AMQP_PORT",
                    String.valueOf(broker.port())));
        }
        receiver = new WebhookReceiver(port);
        receiver.up();
        long started = System.nanoTime();
        // eight JVMs starting at once on two shared cores take minutes: two at a time, with a generous deadline
        suite.readyWithin(Duration.ofMinutes(5));
        for (int i = 0; i < INSTANCES.length; i += 2) {
            suite.start(INSTANCES[i], INSTANCES[i + 1]);
        }
        System.out.printf("[faults] two replicas of each of the four services ready in %d ms; rounds %d, "
                + "interactions at least %d, %d load workers%n",
                Duration.ofNanos(System.nanoTime() - started)
                        .toMillis(),
                ROUNDS, INTERACTIONS, WORKERS);
    }

    private static FaultProxy proxy(String name, int port, Integer... targets) throws IOException {
        FaultProxy proxy = new FaultProxy(name, port, List.of(targets));
        proxies.put(name, proxy);
        return proxy;
    }

    /**
     * The run's subscription goes, passed or failed: the test databases outlive a run, and a subscription left behind
     * keeps collecting deliveries for a receiver that is gone (the next long run found four such, 330,000 deliveries).
     */
    @AfterEach
    void unsubscribe() throws Exception {
        if (subscription != null) {
            call("unsubscribe", 0, "DELETE", "/api/crm/webhooks/" + subscription, null, Map.of(), null);
            subscription = null;
        }
    }

    @AfterAll
    static void stopSuite() {
        if (suite != null) {
            suite.close();
        }
        proxies.values().forEach(FaultProxy::close);
        if (receiver != null) {
            receiver.down();
        }
    }

    // ------------------------------------------------------------------------------------------- clients' record

    enum Plan {
        /** Interactions only. */
        NURTURE,
        /** Telesales marks it sales-ready by hand and moves it to tele-prospecting qualification. */
        MANUAL,
        /** Clicked until sales-ready by score, then accepted by the CRM. */
        HOT,
        /** A capture of the recovery probe after a fault. */
        PROBE
    }

    /** A capture the suite acknowledged, and what clients were told about its lead since. */
    static final class Lead {
        final String email;
        final String id;
        final String contactId;
        final Plan plan;
        /** Interaction types acknowledged for the lead, by interaction id. */
        final Map<String, String> interactions = new ConcurrentHashMap<>();
        volatile boolean unknownInteractions;
        final List<String> steps = new CopyOnWriteArrayList<>();
        volatile String crmLeadId;

        Lead(String email, String id, String contactId, Plan plan) {
            this.email = email;
            this.id = id;
            this.contactId = contactId;
            this.plan = plan;
        }
    }

    /** Sent, acknowledged and given up on, per kind of request. */
    static final class Tally {
        final AtomicLong sent = new AtomicLong();
        final AtomicLong acknowledged = new AtomicLong();
        final AtomicLong givenUp = new AtomicLong();
        final AtomicLong retries = new AtomicLong();
        /** 500 answers: a fault the service did not recognise as one (sent again like any 5xx, but counted). */
        final AtomicLong serverErrors = new AtomicLong();

        @Override
        public String toString() {
            return "sent " + sent + ", acknowledged " + acknowledged + ", given up " + givenUp + ", retries "
                    + retries + ", 500 answers " + serverErrors;
        }
    }

    private final String run = UUID.randomUUID().toString().substring(0, 8);
    private final List<Lead> leads = new CopyOnWriteArrayList<>();
    private final List<Lead> nurtured = new CopyOnWriteArrayList<>();
    private final java.util.concurrent.BlockingQueue<Lead> lifecycle = new java.util.concurrent.LinkedBlockingQueue<>();
    private final Map<String, Tally> tallies = new TreeMap<>();
    private final AtomicInteger captures = new AtomicInteger();
    private final AtomicLong interactionsAcknowledged = new AtomicLong();
    private final AtomicBoolean stop = new AtomicBoolean();
    private final List<String> clientErrors = new CopyOnWriteArrayList<>();
    private final Map<String, List<Long>> recoveries = new TreeMap<>();
    private final Map<String, Integer> faults = new TreeMap<>();
    private ScoringModel model;
    private String subscription;

    private Tally tally(String kind) {
        synchronized (tallies) {
            return tallies.computeIfAbsent(kind, k -> new Tally());
        }
    }

    @Test
    void whatClientsWereToldWasAcceptedComesOutOnceWhateverFails() throws Exception {
        long started = System.nanoTime();
        model = ScoringModel.published(RestAssured.given().baseUri("http://localhost:" + Suite.GATEWAY).auth()
                .oauth2(TOKEN.value()).contentType(ContentType.JSON));
        subscription = subscribe();
        long dlqBefore = suite.queueStat("DLQ").messages();

        List<Thread> load = new ArrayList<>();
        for (int w = 0; w < WORKERS; w++) {
            int worker = w;
            load.add(thread("load-" + w, () -> loadWorker(worker)));
        }
        load.add(thread("lifecycle", this::lifecycleWorker));
        load.forEach(Thread::start);

        // the faults, each at least once per round; the load runs throughout
        for (int round = 0; round < ROUNDS || interactionsAcknowledged.get() < INTERACTIONS; round++) {
            for (Fault fault : faultList()) {
                if (round >= ROUNDS && interactionsAcknowledged.get() >= INTERACTIONS) {
                    break;
                }
                inject(fault);
                Thread.sleep(2000);
            }
        }
        stop.set(true);
        for (Thread t : load) {
            t.join(REQUEST_DEADLINE.plusMinutes(2).toMillis());
            assertTrue(!t.isAlive(), t.getName() + " still running");
        }
        long loadMillis = Duration.ofNanos(System.nanoTime() - started).toMillis();

        long settleStarted = System.nanoTime();
        boolean settled = settle(subscription);
        long settleMillis = Duration.ofNanos(System.nanoTime() - settleStarted).toMillis();

        Check check = check(subscription);
        long dlq = suite.queueStat("DLQ").messages();
        report(loadMillis, settled, settleMillis, check, dlq - dlqBefore);

        assertEquals(List.of(), clientErrors, "answers clients must not get");
        assertTrue(tally("capture").acknowledged.get() > 0 && interactionsAcknowledged.get() > 0
                && tally("sales-ready").acknowledged.get() > 0 && tally("crm-accept").acknowledged.get() > 0,
                "the load reached the suite: " + tallies);
        assertEquals(List.of(), check.problems, "the suite holds what clients were told, once");
        assertEquals(0, check.lost, "lost");
        assertEquals(0, check.duplicated, "duplicated");
        assertEquals(0, check.outboxRows, "outbox rows left");
        // the test infrastructure's broker is shared with the tests before this one, some of which dead-letter a poison
        // message on purpose: what counts is what this run added
        assertEquals(0, dlq - dlqBefore, "dead letters this run added");
    }

    // ---------------------------------------------------------------------------------------------------- load

    private void loadWorker(int worker) throws Exception {
        Random random = new Random(worker * 7919L + run.hashCode());
        while (!stop.get()) {
            if (nurtured.size() < 10 || random.nextInt(100) < 12) {
                int n = captures.getAndIncrement();
                Plan plan = switch (n % 6) {
                    case 1 -> Plan.MANUAL;
                    case 4 -> Plan.HOT;
                    default -> Plan.NURTURE;
                };
                if (lifecycle.size() >= LIFECYCLE_BACKLOG) {
                    // one lifecycle thread walks these leads; past this it would still be walking them long after
                    // the load stops (the long run ended so: "lifecycle still running")
                    plan = Plan.NURTURE;
                }
                Lead lead = capture(plan, worker);
                if (lead != null) {
                    if (plan == Plan.NURTURE) {
                        nurtured.add(lead);
                    } else {
                        lifecycle.add(lead);
                    }
                }
            } else {
                List<Lead> targets = new ArrayList<>();
                List<String> types = new ArrayList<>();
                int n = 1 + random.nextInt(5);
                for (int i = 0; i < n; i++) {
                    targets.add(nurtured.get(random.nextInt(nurtured.size())));
                    types.add(TYPES.get(random.nextInt(TYPES.size())));
                }
                interactions(targets, types, worker);
            }
            // steady, not flat out: leave the two cores room to recover from the faults
            Thread.sleep(20);
        }
    }

    private Lead capture(Plan plan, int worker) throws Exception {
        String email = "faults." + run + "." + plan.name().toLowerCase() + "." + UUID.randomUUID() + "@example.com";
        Map<String, Object> body = Map.of("email", email, "firstName", "Ana", "lastName", "Faults", "company",
                "Acme", "topic", "heat-pumps", "source", "MARKETING_FORM", "sourceRef", "faults", "consent", true);
        String key = UUID.randomUUID().toString();
        HttpResponse<String> response = call("capture", worker, "POST", "/api/captures", JSON.writeValueAsString(body),
                Map.of("Idempotency-Key", key), null);
        if (response == null) {
            return null;
        }
        if (response.statusCode() != 201 && response.statusCode() != 200) {
            error("capture " + email + ": " + response.statusCode() + " " + response.body());
            return null;
        }
        JsonNode created = JSON.readTree(response.body());
        Lead lead = new Lead(email, created.path("leadId").asText(), created.path("contactId").asText(), plan);
        leads.add(lead);
        return lead;
    }

    /** One POST /api/interactions naming each lead and its contact; sent again with the same ids until answered. */
    private void interactions(List<Lead> targets, List<String> types, int worker) throws Exception {
        List<Map<String, Object>> items = new ArrayList<>();
        Map<String, Lead> byId = new HashMap<>();
        for (int i = 0; i < targets.size(); i++) {
            String id = "faults-" + UUID.randomUUID();
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", id);
            item.put("type", types.get(i));
            item.put("contactId", targets.get(i).contactId);
            item.put("leadId", targets.get(i).id);
            item.put("occurredAt", Instant.now().toString());
            items.add(item);
            byId.put(id, targets.get(i));
        }
        tally("interaction").sent.addAndGet(items.size());
        HttpResponse<String> response = call("interaction-batch", worker, "POST", "/api/interactions",
                JSON.writeValueAsString(items), Map.of(), null);
        if (response == null) {
            byId.values().forEach(l -> l.unknownInteractions = true);
            tally("interaction").givenUp.addAndGet(items.size());
            return;
        }
        if (response.statusCode() != 202) {
            error("interactions: " + response.statusCode() + " " + response.body());
            return;
        }
        JsonNode answer = JSON.readTree(response.body());
        if (answer.path("rejected").size() > 0) {
            error("interactions rejected: " + answer.path("rejected"));
        }
        for (String field : List.of("accepted", "duplicates")) {
            for (JsonNode id : answer.path(field)) {
                Lead lead = byId.get(id.asText());
                int index = 0;
                for (; !items.get(index).get("id").equals(id.asText()); index++) {
                }
                lead.interactions.put(id.asText(), (String) items.get(index).get("type"));
                tally("interaction").acknowledged.incrementAndGet();
                interactionsAcknowledged.incrementAndGet();
            }
        }
    }

    /** Telesales' manual steps and the CRM's accepts, one lead at a time, each once its capture is scored. */
    private void lifecycleWorker() throws Exception {
        while (!stop.get() || !lifecycle.isEmpty()) {
            Lead lead = lifecycle.poll(500, java.util.concurrent.TimeUnit.MILLISECONDS);
            if (lead == null) {
                continue;
            }
            if (!awaitLead(lead, view -> !view.path("scores").isEmpty())) {
                error("lead " + lead.id + " of an acknowledged capture never scored");
                continue;
            }
            if (lead.plan == Plan.MANUAL) {
                if (step(lead, "sales-ready", "/sales-ready", Map.of("reason", "called back, wants an offer"),
                        view -> view.path("salesReady").asBoolean())) {
                    step(lead, "transition", "/transitions", Map.of("to", "TELEPROSPECTING_QUALIFICATION"),
                            view -> "TELEPROSPECTING_QUALIFICATION".equals(view.path("stage").asText()));
                }
            } else {
                List<Lead> targets = new ArrayList<>();
                List<String> types = new ArrayList<>();
                for (int i = 0; i < model.interactionsToReach("EMAIL_CLICKED", model.threshold); i++) {
                    targets.add(lead);
                    types.add("EMAIL_CLICKED");
                }
                interactions(targets, types, 0);
                if (lead.unknownInteractions || !awaitLead(lead, view -> view.path("salesReady").asBoolean())) {
                    error("lead " + lead.id + " clicked to the threshold never became sales-ready");
                    continue;
                }
                String crmLeadId = "CRM-" + UUID.randomUUID();
                lead.crmLeadId = crmLeadId;
                step(lead, "crm-accept", "/api/crm/leads/" + lead.id + "/accept",
                        Map.of("crmLeadId", crmLeadId, "owner", "maria"),
                        view -> "ACCEPTED".equals(view.path("status").asText()));
            }
        }
    }

    /**
     * A lifecycle step through a gateway. A step whose first attempt died with a replica may have been applied: a
     * 409 on a retry is right only if the lead shows the step done.
     */
    private boolean step(Lead lead, String kind, String path, Map<String, Object> doc, Predicate<JsonNode> done)
            throws Exception {
        String url = path.startsWith("/api/") ? path : "/api/leads/" + lead.id + path;
        AtomicInteger attempts = new AtomicInteger();
        HttpResponse<String> response = call(kind, 0, "POST", url, JSON.writeValueAsString(doc), Map.of(),
                attempts);
        if (response == null) {
            return false;
        }
        if (response.statusCode() == 200 || response.statusCode() == 409 && attempts.get() > 1
                && done.test(JSON.readTree(get("/api/leads/" + lead.id).body()))) {
            lead.steps.add(kind);
            return true;
        }
        error(kind + " " + lead.id + ": " + response.statusCode() + " " + response.body());
        return false;
    }

    private boolean awaitLead(Lead lead, Predicate<JsonNode> condition) throws Exception {
        long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = get("/api/leads/" + lead.id);
            if (response != null && response.statusCode() == 200 && condition.test(JSON.readTree(response.body()))) {
                return true;
            }
            if (response != null && response.statusCode() != 200) {
                // a refusal (an expired token, a lost lead) is an answer that waiting does not change
                error("GET lead " + lead.id + ": " + response.statusCode() + " " + response.body());
                return false;
            }
            Thread.sleep(500);
        }
        return false;
    }

    private HttpResponse<String> get(String path) throws Exception {
        return call("read", 0, "GET", path, null, Map.of(), null);
    }

    /**
     * A request through a gateway, sent again (same body, same headers) to the other gateway after a connection
     * failure, a 429 or a 5xx, until {@link #REQUEST_DEADLINE}; null when it never got another answer.
     */
    private HttpResponse<String> call(String kind, int worker, String method, String path, String body,
            Map<String, String> headers, AtomicInteger attempts) throws InterruptedException {
        Tally tally = tally(kind);
        tally.sent.incrementAndGet();
        long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
        int gateway = worker % 2;
        long pause = 100;
        while (true) {
            if (attempts != null) {
                attempts.incrementAndGet();
            }
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://localhost:" + GATEWAYS[gateway]
                    + path)).timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + TOKEN.value())
                    .header("Content-Type", "application/json")
                    .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(body));
            headers.forEach(request::header);
            try {
                HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
                int status = response.statusCode();
                if (status < 500 && status != 429) {
                    tally.acknowledged.incrementAndGet();
                    return response;
                }
                if (status == 500) {
                    tally.serverErrors.incrementAndGet();
                }
            } catch (IOException e) {
                // a gateway killed or restarting: the other one
            }
            if (System.nanoTime() > deadline) {
                tally.givenUp.incrementAndGet();
                return null;
            }
            tally.retries.incrementAndGet();
            gateway = 1 - gateway;
            Thread.sleep(pause);
            pause = Math.min(2000, pause * 2);
        }
    }

    // -------------------------------------------------------------------------------------------------- faults

    /** One fault: its kind, what it breaks and how it is healed. */
    record Fault(String kind, String what, Action inject, Action heal) {
    }

    interface Action {
        void run() throws Exception;
    }

    /**
     * One round of faults. Replicas die two at a time, of two different services (each of the eight once per round),
     * and the network breaks between the three second replicas and the broker, then PostgreSQL, at once: on two
     * shared cores every restart takes a while, and the short run must stay short. The webhook receiver is down
     * during the broker's network fault.
     */
    private List<Fault> faultList() {
        List<Fault> list = new ArrayList<>();
        list.add(new Fault("broker kill -9", "Artemis", () -> {
            suite.killBroker();
            Thread.sleep(8000);
        }, suite::startBroker));
        String[][] pairs = { { "contact-service", Suite.SCORING_SERVICE_2 }, { "lead-service", Suite.GATEWAY_2_NAME },
                { "scoring-service", Suite.CONTACT_SERVICE_2 }, { "gateway", Suite.LEAD_SERVICE_2 } };
        for (String[] pair : pairs) {
            list.add(new Fault("replica kill -9", pair[0] + " and " + pair[1], () -> {
                suite.kill(pair[0]);
                suite.kill(pair[1]);
                Thread.sleep(3000);
            }, () -> suite.start(pair)));
        }
        list.add(new Fault("postgres immediate shutdown", "PostgreSQL", () -> {
            suite.crashDatabase();
            Thread.sleep(5000);
        }, suite::startDatabase));
        for (String target : List.of("broker", "postgres")) {
            List<FaultProxy> links = List.of(Suite.CONTACT_SERVICE_2, Suite.LEAD_SERVICE_2, Suite.SCORING_SERVICE_2)
                    .stream().map(service -> proxies.get(service + "/" + target)).toList();
            list.add(new Fault("network " + target, "the second replicas' links to " + target + " delayed 300 ms "
                    + "for 5 s, silent for 10 s, then reset", () -> {
                        links.forEach(link -> link.delay(300));
                        Thread.sleep(5000);
                        links.forEach(FaultProxy::blackhole);
                        Thread.sleep(10000);
                    }, () -> links.forEach(link -> {
                        link.heal();
                        link.drop();
                    })));
        }
        list.add(new Fault("webhook receiver down", "the webhook receiver, 20 s", () -> {
            receiver.down();
            Thread.sleep(20000);
        }, receiver::up));
        return list;
    }

    /**
     * Injects, heals, then measures the recovery: from the heal until a probe capture through a gateway is scored
     * (the whole path: gateway, lead-service, contact-service, outbox, broker, scoring-service and back).
     */
    private void inject(Fault fault) throws Exception {
        System.out.printf("[faults] %s: %s (%d interactions acknowledged so far)%n", fault.kind(), fault.what(),
                interactionsAcknowledged.get());
        fault.inject().run();
        fault.heal().run();
        long healed = System.nanoTime();
        if (fault.kind().startsWith("webhook")) {
            // recovered once every delivery owed before the receiver came back has been delivered
            Instant back = Instant.now();
            long deadline = System.nanoTime() + REQUEST_DEADLINE.toNanos();
            while (pendingDeliveries(subscription, back) > 0 && System.nanoTime() < deadline) {
                Thread.sleep(250);
            }
        } else {
            Lead probe = capture(Plan.PROBE, 1);
            boolean scored = probe != null && awaitLead(probe, view -> !view.path("scores").isEmpty());
            if (!scored) {
                error("no probe scored after " + fault);
            }
        }
        long millis = Duration.ofNanos(System.nanoTime() - healed).toMillis();
        synchronized (recoveries) {
            recoveries.computeIfAbsent(fault.kind(), k -> new ArrayList<>()).add(millis);
            faults.merge(fault.kind(), 1, Integer::sum);
        }
        System.out.printf("[faults] %s healed; recovered %d ms later (%s)%n", fault.what(), millis,
                fault.kind().startsWith("webhook") ? "deliveries owed caught up" : "a new capture scored");
    }

    // -------------------------------------------------------------------------------------------------- settle

    /** Waits until nothing moves: outboxes empty, deliveries done, scores and sequences unchanged between looks. */
    private boolean settle(String subscription) throws Exception {
        long deadline = System.nanoTime() + SETTLE_DEADLINE.toNanos();
        List<Object> previous = null;
        while (System.nanoTime() < deadline) {
            try {
                List<Object> now = List.of(outboxRows(), pendingDeliveries(subscription),
                        scalar("scoring", "select count(*) + coalesce(sum(points), 0) from rule_hit"),
                        scalar("lead", "select coalesce(sum(score_sequence), 0) from lead"),
                        scalar("scoring", "select coalesce(sum(sequence), 0) from tracked_lead"), receiver.count());
                if (now.equals(previous) && ((Number) now.get(0)).longValue() == 0
                        && ((Number) now.get(1)).longValue() == 0) {
                    return true;
                }
                previous = now;
            } catch (SQLException e) {
                previous = null;
            }
            Thread.sleep(5000);
        }
        return false;
    }

    // --------------------------------------------------------------------------------------------------- check

    static final class Check {
        final List<String> problems = new ArrayList<>();
        long lost;
        long duplicated;
        long outboxRows;
        final Map<String, long[]> counts = new TreeMap<>();

        void problem(String what) {
            if (problems.size() < 30) {
                problems.add(what);
            }
        }
    }

    private Check check(String subscription) throws Exception {
        Check check = new Check();
        check.outboxRows = outboxRows();
        try (Connection contactDb = db("contact"); Connection leadDb = db("lead"); Connection scoringDb = db("scoring")) {
            long capturesLost = 0;
            long capturesDuplicated = 0;
            long interactionsLost = 0;
            long interactionsDuplicated = 0;
            long interactionsChecked = 0;
            long stepsLost = 0;
            long stepsDuplicated = 0;
            for (Lead lead : leads) {
                String name = lead.plan + " lead " + lead.id;
                // the capture: one contact of that e-mail, one lead of that contact and topic, the one answered
                long contacts = count(contactDb, "select count(*) from contact where email = ?", lead.email);
                List<Map<String, Object>> rows = SuiteDatabases.rows(leadDb,
                        "select id::text as id from lead where contact_id = "
                                + "?::uuid and topic = 'heat-pumps'",
                        lead.contactId);
                if (contacts == 0 || rows.isEmpty()) {
                    capturesLost++;
                    check.problem(name + ": capture lost (contacts " + contacts + ", leads " + rows.size() + ")");
                    continue;
                }
                if (contacts > 1 || rows.size() > 1) {
                    capturesDuplicated++;
                    check.problem(name + ": capture duplicated (contacts " + contacts + ", leads " + rows + ")");
                }
                if (!lead.id.equals(rows.get(0).get("id"))) {
                    check.problem(name + ": the lead held is not the one answered: " + rows);
                }

                // every acknowledged interaction applied once: one application, its rule hits once
                Map<String, Long> applied = new HashMap<>();
                for (Map<String, Object> a : SuiteDatabases.rows(scoringDb,
                        "select i.id, i.type, (select count(*) from rule_hit h "
                                + "where h.interaction_id = i.id and h.lead_id = a.lead_id and h.model_id = ?::uuid) as hits "
                                + "from interaction_application a join interaction i on i.id = a.interaction_id "
                                + "where a.lead_id = ?::uuid",
                        model.id, lead.id)) {
                    applied.merge((String) a.get("id"), 1L, Long::sum);
                }
                long forms = SuiteDatabases
                        .rows(scoringDb, "select 1 from interaction_application a join interaction i on i.id = "
                                + "a.interaction_id where a.lead_id = ?::uuid and i.type = 'FORM_SUBMITTED'", lead.id)
                        .size();
                if (forms != 1) {
                    check.problem(name + ": the capture's FORM_SUBMITTED applied " + forms + " times");
                    if (forms == 0) {
                        interactionsLost++;
                    } else {
                        interactionsDuplicated++;
                    }
                }
                for (String id : lead.interactions.keySet()) {
                    interactionsChecked++;
                    long times = applied.getOrDefault(id, 0L);
                    if (times == 0) {
                        interactionsLost++;
                        check.problem(name + ": interaction " + id + " acknowledged, never scored");
                    } else if (times > 1) {
                        interactionsDuplicated++;
                        check.problem(name + ": interaction " + id + " scored " + times + " times");
                    }
                }
                long hitsTwice = count(scoringDb, "select count(*) from (select interaction_id from rule_hit where "
                        + "lead_id = ?::uuid group by interaction_id, rule_id, model_id having count(*) > 1) d", lead.id);
                interactionsDuplicated += hitsTwice;

                // the score: a replay of the acknowledged interactions from scratch = scoring's = sum of hits = lead's
                Map<String, Object> score = row(scoringDb, "select s.score, t.sequence, (select coalesce(sum(points), "
                        + "0) from rule_hit h where h.lead_id = s.lead_id and h.model_id = s.model_id) as hits "
                        + "from lead_score s join tracked_lead t using (lead_id) where s.lead_id = ?::uuid "
                        + "and s.model_id = ?::uuid", lead.id, model.id);
                Map<String, Object> held = row(leadDb, "select scores, score_sequence, stage, status, sales_ready, "
                        + "crm_lead_id from lead where id = ?::uuid", lead.id);
                if (score == null) {
                    check.problem(name + ": no score in scoring-service");
                    continue;
                }
                int scoring = ((Number) score.get("score")).intValue();
                if (!lead.unknownInteractions) {
                    int replay = replay(lead);
                    if (replay != scoring) {
                        check.problem(name + ": score " + scoring + ", replay of its interactions " + replay);
                    }
                }
                if (scoring != ((Number) score.get("hits")).intValue()) {
                    check.problem(name + ": score " + scoring + " is not the sum of its rule hits " + score.get("hits"));
                }
                if (((Number) score.get("sequence")).longValue() != ((Number) held.get("score_sequence")).longValue()
                        || scoring != storedScore((String) held.get("scores"))) {
                    check.problem(name + ": lead-service holds " + held.get("scores") + " at sequence "
                            + held.get("score_sequence") + ", scoring-service " + scoring + " at " + score.get("sequence"));
                }

                // the history: CREATED once, each stage change once and in order, the acknowledged steps once each
                List<Map<String, Object>> history = SuiteDatabases.rows(leadDb, "select kind, from_stage, to_stage, cause from "
                        + "lead_history where lead_id = ?::uuid order by id", lead.id);
                String previousStage = null;
                for (Map<String, Object> entry : history) {
                    if ("STAGE_CHANGED".equals(entry.get("kind"))) {
                        if (previousStage != null && !previousStage.equals(entry.get("from_stage"))) {
                            check.problem(name + ": stage change out of order: " + history);
                        }
                        previousStage = (String) entry.get("to_stage");
                    } else if ("CREATED".equals(entry.get("kind"))) {
                        previousStage = (String) entry.get("to_stage");
                    }
                }
                if (previousStage != null && "OPEN".equals(held.get("status")) && !previousStage.equals(held.get("stage"))) {
                    check.problem(name + ": history ends at " + previousStage + ", lead at " + held.get("stage")
                            + ": " + history);
                }
                long created = history.stream().filter(h -> "CREATED".equals(h.get("kind"))).count();
                if (created != 1) {
                    check.problem(name + ": CREATED " + created + " times");
                }
                for (int i = 1; i < history.size(); i++) {
                    if ("STAGE_CHANGED".equals(history.get(i).get("kind")) && history.get(i).equals(history.get(i - 1))) {
                        stepsDuplicated++;
                        check.problem(name + ": the same stage change twice in a row: " + history);
                    }
                }
                long salesReady = history.stream().filter(h -> "SALES_READY".equals(h.get("kind"))).count();
                long qualified = history.stream().filter(h -> "STAGE_CHANGED".equals(h.get("kind"))
                        && "TELEPROSPECTING_QUALIFICATION".equals(h.get("to_stage"))).count();
                long accepted = history.stream().filter(h -> "ACCEPTED".equals(h.get("kind"))).count();
                if (lead.steps.contains("sales-ready") && salesReady != 1) {
                    check.problem(name + ": acknowledged sales-ready is in the history " + salesReady + " times");
                    stepsLost += salesReady == 0 ? 1 : 0;
                    stepsDuplicated += salesReady > 1 ? 1 : 0;
                }
                if (lead.steps.contains("transition") && qualified != 1) {
                    check.problem(name + ": acknowledged transition is in the history " + qualified + " times");
                    stepsLost += qualified == 0 ? 1 : 0;
                    stepsDuplicated += qualified > 1 ? 1 : 0;
                }
                if (lead.steps.contains("crm-accept")) {
                    if (accepted != 1 || !lead.crmLeadId.equals(held.get("crm_lead_id"))) {
                        check.problem(name + ": acknowledged accept in the history " + accepted + " times, crm id "
                                + held.get("crm_lead_id"));
                        stepsLost += accepted == 0 ? 1 : 0;
                        stepsDuplicated += accepted > 1 ? 1 : 0;
                    }
                }

                // webhooks: lead.created once per lead, lead.sales-ready once per SALES_READY entry
                long createdEvents = count(leadDb, "select count(*) from webhook_delivery where subscription_id = "
                        + "?::uuid and lead_id = ?::uuid and event_type = 'lead.created'", subscription, lead.id);
                long salesReadyEvents = count(leadDb, "select count(*) from webhook_delivery where subscription_id = "
                        + "?::uuid and lead_id = ?::uuid and event_type = 'lead.sales-ready'", subscription, lead.id);
                if (createdEvents != 1 || salesReadyEvents != salesReady) {
                    check.problem(name + ": webhook deliveries lead.created " + createdEvents + ", lead.sales-ready "
                            + salesReadyEvents + " for " + salesReady + " SALES_READY entries");
                }
            }

            // every delivery owed to the receiver delivered, and received: at least once, processed once
            long webhooksLost = 0;
            long deliveries = 0;
            for (Map<String, Object> d : SuiteDatabases.rows(leadDb,
                    "select event_id::text as event_id, state from webhook_delivery "
                            + "where subscription_id = ?::uuid",
                    subscription)) {
                deliveries++;
                if (!"DELIVERED".equals(d.get("state")) || !receiver.processed.containsKey(d.get("event_id"))) {
                    webhooksLost++;
                    check.problem("webhook event " + d.get("event_id") + " " + d.get("state") + ", received "
                            + receiver.processed.containsKey(d.get("event_id")));
                }
            }
            long processedTwice = receiver.processedTwice();
            if (processedTwice > 0) {
                check.problem(processedTwice + " webhook events reached the receiver under more than one event id: "
                        + receiver.events.entrySet().stream().filter(e -> e.getValue().size() > 1).limit(3).toList());
            }
            check.counts.put("captures", new long[] { tally("capture").sent.get(), leads.size(), capturesLost,
                    capturesDuplicated });
            check.counts.put("interactions", new long[] { tally("interaction").sent.get(), interactionsChecked,
                    interactionsLost, interactionsDuplicated });
            long steps = leads.stream().mapToLong(l -> l.steps.size()).sum();
            check.counts.put("manual steps and CRM accepts", new long[] { tally("sales-ready").sent.get()
                    + tally("transition").sent.get() + tally("crm-accept").sent.get(), steps, stepsLost,
                    stepsDuplicated });
            check.counts.put("webhook events", new long[] { deliveries, receiver.processed.size(), webhooksLost,
                    processedTwice });
            check.lost = capturesLost + interactionsLost + stepsLost + webhooksLost;
            check.duplicated = capturesDuplicated + interactionsDuplicated + stepsDuplicated + processedTwice;
            System.out.printf("[faults] webhook deliveries received more than once (at-least-once, de-duplicated by "
                    + "event id): %d of %d events%n", receiver.redelivered(), receiver.processed.size());
        }
        return check;
    }

    /** The score of a lead computed from scratch: the capture's FORM_SUBMITTED and each acknowledged interaction. */
    private int replay(Lead lead) {
        Map<String, Integer> counts = new HashMap<>();
        counts.put("FORM_SUBMITTED", 1);
        lead.interactions.values().forEach(type -> counts.merge(type, 1, Integer::sum));
        return counts.entrySet().stream().mapToInt(e -> model.pointsFor(e.getKey(), e.getValue())).sum();
    }

    private int storedScore(String scores) throws IOException {
        for (JsonNode s : JSON.readTree(scores)) {
            if (model.id.equals(s.path("modelId").asText())) {
                return s.path("score").asInt();
            }
        }
        return Integer.MIN_VALUE;
    }

    private void report(long loadMillis, boolean settled, long settleMillis, Check check, long dlq) {
        StringBuilder out = new StringBuilder("[faults] ===== faults on purpose =====\n");
        out.append(String.format("[faults] load and faults %d s, settled %s in %d s; interactions acknowledged %.1f/s%n",
                loadMillis / 1000, settled ? "" : "NOT", settleMillis / 1000,
                interactionsAcknowledged.get() * 1000.0 / Math.max(1, loadMillis)));
        out.append("[faults] what          sent  acknowledged  lost  duplicated\n");
        check.counts.forEach((what, c) -> out.append(String.format("[faults] %-30s %7d %7d %5d %5d%n", what, c[0],
                c[1], c[2], c[3])));
        tallies.forEach((kind, t) -> out.append("[faults] requests ").append(kind).append(": ").append(t).append('\n'));
        out.append("[faults] faults injected, recovery (heal until a capture is scored) min/median/max ms:\n");
        recoveries.forEach((kind, times) -> {
            List<Long> sorted = new ArrayList<>(times);
            Collections.sort(sorted);
            out.append(String.format("[faults]   %-30s x%d  %d / %d / %d%n", kind, faults.get(kind), sorted.get(0),
                    sorted.get(sorted.size() / 2), sorted.get(sorted.size() - 1)));
        });
        out.append(String.format("[faults] outbox rows left %d, dead letters %d, lost %d, duplicated %d%n",
                check.outboxRows, dlq, check.lost, check.duplicated));
        check.problems.forEach(p -> out.append("[faults] PROBLEM ").append(p).append('\n'));
        System.out.print(out);
    }

    // ------------------------------------------------------------------------------------------- subscription

    private String subscribe() throws Exception {
        String body = JSON.writeValueAsString(Map.of("url", receiver.url(), "secret", "whsec_" + UUID.randomUUID(), "events",
                List.of("lead.created", "lead.stage-changed", "lead.sales-ready", "lead.accepted")));
        HttpResponse<String> response = call("subscribe", 0, "POST", "/api/crm/webhooks", body, Map.of(), null);
        assertEquals(201, response.statusCode(), response.body());
        return JSON.readTree(response.body()).path("id").asText();
    }

    /**
     * A webhook endpoint as integrators are told to write one: it processes each event id once, however often it is
     * delivered (at-least-once). It also notes which event ids carried each (lead, type, sequence): an event sent
     * again under a new id would be processed twice by such a receiver, and counts as duplicated.
     */
    static final class WebhookReceiver {
        /** Deliveries per event id; the first one is processed, the others only acknowledged. */
        final Map<String, AtomicInteger> processed = new ConcurrentHashMap<>();
        /** Event ids per lead, type and sequence. */
        final Map<String, Set<String>> events = new ConcurrentHashMap<>();
        private final int port;
        private com.sun.net.httpserver.HttpServer server;

        WebhookReceiver(int port) {
            this.port = port;
        }

        /** The endpoint of this run (a subscription an earlier run left in the database calls another path). */
        private final String path = "/webhooks/faults-" + UUID.randomUUID();

        String url() {
            return "http://localhost:" + port + path;
        }

        synchronized void up() throws IOException {
            server = com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", port), 50);
            server.createContext("/webhooks/", exchange -> {
                JsonNode envelope = JSON.readTree(exchange.getRequestBody().readAllBytes());
                String eventId = exchange.getRequestHeaders().getFirst("Lead-Event-Id");
                if (!path.equals(exchange.getRequestURI().getPath())) {
                    exchange.sendResponseHeaders(404, -1);
                } else if (eventId == null) {
                    exchange.sendResponseHeaders(400, -1);
                } else {
                    if (processed.computeIfAbsent(eventId, k -> new AtomicInteger()).incrementAndGet() == 1) {
                        events.computeIfAbsent(envelope.path("subject").asText() + " " + envelope.path("type")
                                .asText() + " " + envelope.path("sequence").asText(),
                                k -> ConcurrentHashMap.newKeySet()).add(eventId);
                    }
                    exchange.sendResponseHeaders(200, -1);
                }
                exchange.close();
            });
            server.start();
        }

        synchronized void down() {
            if (server != null) {
                server.stop(0);
                server = null;
            }
        }

        long count() {
            return processed.values().stream().mapToLong(AtomicInteger::get).sum();
        }

        /** Events delivered more than once (allowed: at-least-once). */
        long redelivered() {
            return processed.values().stream().filter(n -> n.get() > 1).count();
        }

        /** The same event (lead, type, sequence) processed under more than one id. */
        long processedTwice() {
            return events.values().stream().filter(ids -> ids.size() > 1).count();
        }
    }

    // -------------------------------------------------------------------------------------------------- plumbing

    private Thread thread(String name, Action body) {
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

    private void error(String what) {
        System.out.println("[faults] CLIENT " + what);
        if (clientErrors.size() < 20) {
            clientErrors.add(what.length() > 400 ? what.substring(0, 400) + "..." : what);
        }
    }

    private long pendingDeliveries(String subscription) throws SQLException {
        return pendingDeliveries(subscription, Instant.now().plusSeconds(3600));
    }

    /** Deliveries of the subscription created before then and not delivered yet. */
    private long pendingDeliveries(String subscription, Instant before) throws SQLException {
        try (Connection c = db("lead")) {
            return count(c, "select count(*) from webhook_delivery where subscription_id = ?::uuid and state <> "
                    + "'DELIVERED' and created_at < ?", subscription, java.sql.Timestamp.from(before));
        }
    }

    private long outboxRows() throws SQLException {
        long rows = 0;
        for (String database : List.of("contact", "lead", "scoring")) {
            rows += scalar(database, "select count(*) from outbox_message");
        }
        return rows;
    }

    private long scalar(String database, String sql) throws SQLException {
        try (Connection c = db(database)) {
            return count(c, sql);
        }
    }

    private static Connection db(String service) throws SQLException {
        Map<String, String> env = suite.env();
        String role = service + "_service";
        return DriverManager.getConnection("jdbc:postgresql://" + env.getOrDefault("LEADSUITE_DB_HOST", "127.0.0.1")
                + ":" + env.get("LEADSUITE_DB_PORT") + "/" + service, role, role);
    }

    private static long count(Connection c, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = SuiteDatabases.rows(c, sql, params);
        return ((Number) rows.get(0).values().iterator().next()).longValue();
    }

    private static Map<String, Object> row(Connection c, String sql, Object... params) throws SQLException {
        List<Map<String, Object>> rows = SuiteDatabases.rows(c, sql, params);
        return rows.isEmpty() ? null : rows.get(0);
    }

    /** A token of the load's roles, minted again when ten minutes of its hour are left. */
    private static final class RenewedToken {
        private static final Duration RENEW_AFTER = Duration.ofMinutes(50);
        private String value;
        private long mintedAt;

        synchronized String value() {
            if (value == null || System.nanoTime() - mintedAt > RENEW_AFTER.toNanos()) {
                value = TestTokens.forRoles("marketing", "telesales", "crm");
                mintedAt = System.nanoTime();
            }
            return value;
        }
    }
}
