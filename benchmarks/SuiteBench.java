import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * End-to-end benchmark of the running suite, driven through the gateway as a frontend would. Not a test: it asserts
 * nothing about time, it measures and prints. Run it with {@code benchmarks/run.sh}, which starts the suite.
 *
 * <ol>
 * <li><b>captures</b>: web-form captures (new contact + new lead each) from {@code concurrency} clients; captures/s and
 * p50/p99 latency.</li>
 * <li><b>scoring throughput</b>: {@code interactions} EVENT_REGISTERED interactions (uncapped +10 in the default model,
 * so every one changes a score and reaches lead-service) in batches, spread over the captured leads; interactions/s
 * from the first request until lead-service shows every lead's expected score.</li>
 * <li><b>score latency</b>: single interactions at a steady rate; for each, the time from the gateway's 202 until
 * {@code GET /api/leads/{id}} shows the new score (one observer polls the waiting leads, one request at a time,
 * every 5 ms); p50/p95/p99.</li>
 * </ol>
 *
 * Arguments (all optional): gateway=http://localhost:8080 token=... leads=200 captures=2000 interactions=20000
 * batch=100 concurrency=8 rate=40 samples=600
 */
public class SuiteBench {

    static final String MODEL = "00000000-0000-0000-0000-00000000d3fa";
    static final Pattern LEAD_ID = Pattern.compile("\"leadId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern CONTACT_ID = Pattern.compile("\"contactId\"\\s*:\\s*\"([0-9a-f-]{36})\"");
    static final Pattern DEFAULT_SCORE = Pattern
            .compile("\"modelId\"\\s*:\\s*\"" + MODEL + "\"[^}]*?\"score\"\\s*:\\s*(-?\\d+)");

    final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
            .version(HttpClient.Version.HTTP_1_1).executor(Executors.newFixedThreadPool(4)).build();
    final String gateway;
    final String token;
    final String run = Long.toString(System.currentTimeMillis(), 36);
    /** The contact of each captured lead: an interaction names both (scoring-service needs a contact or e-mail). */
    final Map<String, String> contactOf = new ConcurrentHashMap<>();

    SuiteBench(String gateway, String token) {
        this.gateway = gateway;
        this.token = token;
    }

    public static void main(String[] args) throws Exception {
        Map<String, String> a = new ConcurrentHashMap<>();
        for (String arg : args) {
            int eq = arg.indexOf('=');
            if (eq > 0) {
                a.put(arg.substring(0, eq), arg.substring(eq + 1));
            }
        }
        String token = a.getOrDefault("token", System.getenv("TOKEN"));
        if (token == null || token.isBlank()) {
            throw new IllegalArgumentException("token=... or TOKEN is required (a token with the marketing role)");
        }
        SuiteBench bench = new SuiteBench(a.getOrDefault("gateway", "http://localhost:8080"), token);
        int concurrency = Integer.parseInt(a.getOrDefault("concurrency", "8"));
        bench.warmUp();
        Work.settled();
        long[] before = Work.snapshot();
        int captureCount = Integer.parseInt(a.getOrDefault("captures", "2000"));
        List<String> leads = bench.captures(captureCount, concurrency);
        Work.report("capture", captureCount, before, Work.settled());
        List<String> scored = leads.subList(0, Math.min(leads.size(), Integer.parseInt(a.getOrDefault("leads", "200"))));
        int interactionCount = Integer.parseInt(a.getOrDefault("interactions", "20000"));
        before = Work.snapshot();
        bench.scoringThroughput(scored, interactionCount, Integer.parseInt(a.getOrDefault("batch", "100")), concurrency);
        Work.report("interaction", interactionCount, before, Work.settled());
        // the latency phase starts on a quiet pipeline (settled() above), not behind the backlog of the phase before
        bench.scoreLatency(leads.subList(scored.size(), leads.size()), Integer.parseInt(a.getOrDefault("rate", "40")),
                Integer.parseInt(a.getOrDefault("samples", "600")));
        // the run is only worth its figures if nothing was left behind or counted wrong
        Process check = new ProcessBuilder("bash", "scripts/infra.sh", "db-check", "suite").start();
        System.out.print("after the run: " + new String(check.getInputStream().readAllBytes()).trim()
                .replace("\n", "; ") + "\n");
        check.waitFor();
        System.exit(0);
    }

    HttpResponse<String> send(String method, String path, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(30))
                .header("Authorization", "Bearer " + token);
        if (body != null) {
            request.header("Content-Type", "application/json").method(method, HttpRequest.BodyPublishers.ofString(body));
        } else {
            request.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    String capture(String email) throws Exception {
        String body = "{\"email\":\"" + email + "\",\"firstName\":\"Bench\",\"lastName\":\"Mark\",\"topic\":\"bench-"
                + run + "\",\"source\":\"MARKETING_FORM\",\"sourceRef\":\"bench\",\"consent\":true}";
        HttpResponse<String> response = null;
        // a freshly started suite may answer the first calls with 504 while classes load: the same Idempotency-Key
        // makes a retry safe, and retries are counted in the latency
        for (int attempt = 0; attempt < 4 && (response == null || response.statusCode() >= 500); attempt++) {
            HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + "/api/captures"))
                    .timeout(Duration.ofSeconds(30)).header("Authorization", "Bearer " + token)
                    .header("Content-Type", "application/json").header("Idempotency-Key", "bench-" + email)
                    .POST(HttpRequest.BodyPublishers.ofString(body)).build();
            response = http.send(request, HttpResponse.BodyHandlers.ofString());
        }
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("capture " + response.statusCode() + ": " + response.body());
        }
        Matcher m = LEAD_ID.matcher(response.body());
        Matcher c = CONTACT_ID.matcher(response.body());
        if (!m.find() || !c.find()) {
            throw new IllegalStateException("no leadId or contactId in " + response.body());
        }
        contactOf.put(m.group(1), c.group(1));
        return m.group(1);
    }

    Integer leadScore(String leadId) throws Exception {
        HttpResponse<String> response = send("GET", "/api/leads/" + leadId, null);
        if (response.statusCode() != 200) {
            return null;
        }
        Matcher m = DEFAULT_SCORE.matcher(response.body().replace(" ", ""));
        return m.find() ? Integer.valueOf(m.group(1)) : null;
    }

    void interactions(String json) throws Exception {
        HttpResponse<String> response = send("POST", "/api/interactions", json);
        if (response.statusCode() != 202) {
            throw new IllegalStateException("interactions " + response.statusCode() + ": " + response.body());
        }
    }

    String interaction(String id, String leadId) {
        return "{\"id\":\"" + id + "\",\"type\":\"EVENT_REGISTERED\",\"leadId\":\"" + leadId
                + "\",\"contactId\":\"" + contactOf.get(leadId) + "\",\"attributes\":{\"event\":\"bench\"}}";
    }

    void warmUp() throws Exception {
        System.out.println("warm-up: 50 captures and their scores");
        List<String> warm = new ArrayList<>();
        for (int i = 0; i < 50; i++) {
            warm.add(capture("warm-" + i + "-" + run + "@bench.example.com"));
        }
        for (String lead : warm) {
            interactions("[" + interaction("warm-" + lead, lead) + "]");
        }
        awaitScores(warm, lead -> 20, Duration.ofSeconds(60));
    }

    List<String> captures(int count, int concurrency) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        List<String> leads = Collections.synchronizedList(new ArrayList<>());
        long[] latencies = new long[count];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    leads.add(capture("c-" + i + "-" + run + "@bench.example.com"));
                    latencies[i] = System.nanoTime() - t;
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        System.out.printf(Locale.ROOT, "captures: %d in %.2f s = %.0f/s with %d clients; latency %s%n", count, seconds,
                count / seconds, concurrency, percentiles(latencies));
        return new ArrayList<>(leads);
    }

    void scoringThroughput(List<String> leads, int count, int batch, int concurrency) throws Exception {
        // Every lead was captured (FORM_SUBMITTED, +10) before; wait until lead-service shows that, then count on.
        Map<String, Integer> base = awaitScores(leads, lead -> 10, Duration.ofSeconds(120));
        Map<String, Integer> expected = new ConcurrentHashMap<>(base);
        List<String> bodies = new ArrayList<>();
        StringBuilder body = new StringBuilder("[");
        for (int i = 0; i < count; i++) {
            String lead = leads.get(i % leads.size());
            expected.merge(lead, 10, Integer::sum);
            body.append(body.length() > 1 ? "," : "").append(interaction("t-" + run + "-" + i, lead));
            if ((i + 1) % batch == 0 || i == count - 1) {
                bodies.add(body.append(']').toString());
                body = new StringBuilder("[");
            }
        }
        ExecutorService pool = Executors.newFixedThreadPool(concurrency);
        long[] latencies = new long[bodies.size()];
        AtomicInteger next = new AtomicInteger();
        long start = System.nanoTime();
        List<Future<?>> workers = new ArrayList<>();
        for (int w = 0; w < concurrency; w++) {
            workers.add(pool.submit(() -> {
                for (int i = next.getAndIncrement(); i < bodies.size(); i = next.getAndIncrement()) {
                    long t = System.nanoTime();
                    interactions(bodies.get(i));
                    latencies[i] = System.nanoTime() - t;
                }
                return null;
            }));
        }
        for (Future<?> worker : workers) {
            worker.get();
        }
        double accepted = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        awaitScores(leads, expected::get, Duration.ofSeconds(600));
        double seconds = (System.nanoTime() - start) / 1e9;
        System.out.printf(Locale.ROOT,
                "scoring: %d interactions (batches of %d, %d clients, %d leads) accepted in %.2f s (%.0f/s; batch latency %s); "
                        + "all scores on the leads after %.2f s = %.0f interactions/s end to end%n",
                count, batch, concurrency, leads.size(), accepted, count / accepted, percentiles(latencies), seconds,
                count / seconds);
    }

    void scoreLatency(List<String> leads, int rate, int samples) throws Exception {
        if (leads.isEmpty()) {
            return;
        }
        Map<String, Integer> current = awaitScores(leads.subList(0, Math.min(leads.size(), samples)), lead -> 10,
                Duration.ofSeconds(120));
        ExecutorService pool = Executors.newFixedThreadPool(64);
        long[] latencies = new long[samples];
        AtomicLong lost = new AtomicLong();
        // One observer polls the leads that wait for their new score, one request at a time, every 5 ms: the
        // measurement adds a bounded load (a poller per sample, each polling every 5 ms, made its own queue once
        // latencies grew: 100 samples in flight were 20,000 requests/s).
        record Pending(int n, String lead, int want, long accepted) {
        }
        java.util.concurrent.ConcurrentLinkedQueue<Pending> pending = new java.util.concurrent.ConcurrentLinkedQueue<>();
        AtomicInteger resolved = new AtomicInteger();
        Thread observer = new Thread(() -> {
            try {
                while (resolved.get() < samples) {
                    for (Pending p : List.copyOf(pending)) {
                        Integer score = leadScore(p.lead());
                        long now = System.nanoTime();
                        if ((score != null && score >= p.want()) || now - p.accepted() > TimeUnit.SECONDS.toNanos(30)) {
                            if (score == null || score < p.want()) {
                                lost.incrementAndGet();
                            }
                            latencies[p.n()] = now - p.accepted();
                            pending.remove(p);
                            resolved.incrementAndGet();
                        }
                    }
                    Thread.sleep(5);
                }
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        observer.start();
        long periodNanos = 1_000_000_000L / rate;
        long start = System.nanoTime();
        List<Future<?>> all = new ArrayList<>();
        for (int i = 0; i < samples; i++) {
            long due = start + i * periodNanos;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            int n = i;
            String lead = leads.get(i % Math.min(leads.size(), samples));
            int want = current.merge(lead, 10, Integer::sum);
            all.add(pool.submit(() -> {
                interactions("[" + interaction("l-" + run + "-" + n, lead) + "]");
                pending.add(new Pending(n, lead, want, System.nanoTime()));
                return null;
            }));
        }
        for (Future<?> f : all) {
            f.get();
        }
        observer.join();
        pool.shutdown();
        System.out.printf(Locale.ROOT,
                "latency: %d single interactions at %d/s, accepted (202) to new score visible on the lead: %s%s%n",
                samples, rate, percentiles(latencies), lost.get() > 0 ? " (" + lost.get() + " not seen in 30 s)" : "");
    }

    /** Polls lead-service through the gateway until every lead shows at least its expected default-model score. */
    Map<String, Integer> awaitScores(List<String> leads, java.util.function.Function<String, Integer> expected,
            Duration timeout) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        Map<String, Integer> seen = new ConcurrentHashMap<>();
        List<String> pending = new ArrayList<>(leads);
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!pending.isEmpty()) {
            List<Future<String>> checks = new ArrayList<>();
            for (String lead : pending) {
                checks.add(pool.submit(() -> {
                    Integer score = leadScore(lead);
                    if (score != null && score >= expected.apply(lead)) {
                        seen.put(lead, score);
                        return null;
                    }
                    return lead;
                }));
            }
            List<String> still = new ArrayList<>();
            for (Future<String> check : checks) {
                String lead = check.get();
                if (lead != null) {
                    still.add(lead);
                }
            }
            pending = still;
            if (!pending.isEmpty()) {
                if (System.nanoTime() > deadline) {
                    pool.shutdown();
                    throw new IllegalStateException(pending.size() + " leads never reached their expected score, e.g. "
                            + pending.get(0) + " (expected " + expected.apply(pending.get(0)) + ", saw "
                            + leadScore(pending.get(0)) + ")");
                }
                Thread.sleep(100);
            }
        }
        pool.shutdown();
        return seen;
    }

    static String percentiles(long[] nanos) {
        long[] sorted = nanos.clone();
        java.util.Arrays.sort(sorted);
        return String.format(Locale.ROOT, "p50 %.1f ms, p95 %.1f ms, p99 %.1f ms, max %.1f ms", at(sorted, 0.50),
                at(sorted, 0.95), at(sorted, 0.99), sorted[sorted.length - 1] / 1e6);
    }

    static double at(long[] sorted, double q) {
        return sorted[Math.min(sorted.length - 1, (int) Math.ceil(q * sorted.length) - 1)] / 1e6;
    }

    /**
     * Database work per unit, read with SQL from pg_stat_database ({@code scripts/infra.sh db-work suite}): commits and
     * rows written per capture and per interaction in each service's database, counted from before a phase until the
     * pipeline is quiet again after it.
     */
    static final class Work {
        static final String[] DATABASES = { "contact", "lead", "scoring" };

        /** transactions, inserted, updated, deleted for contact, lead, scoring (12 numbers). */
        static long[] snapshot() throws Exception {
            Process p = new ProcessBuilder("bash", "scripts/infra.sh", "db-work", "suite").redirectErrorStream(false)
                    .start();
            String out = new String(p.getInputStream().readAllBytes());
            p.waitFor();
            long[] values = new long[12];
            for (String line : out.split("\n")) {
                String[] f = line.trim().split("\\s+");
                for (int d = 0; d < DATABASES.length; d++) {
                    if (f.length == 5 && f[0].equals(DATABASES[d])) {
                        for (int k = 0; k < 4; k++) {
                            values[4 * d + k] = Long.parseLong(f[k + 1]);
                        }
                    }
                }
            }
            return values;
        }

        /** Waits until the databases commit fewer than 10 transactions a second (consumers and relays done). */
        static long[] settled() throws Exception {
            long[] last = snapshot();
            for (int i = 0; i < 180; i++) {
                Thread.sleep(1000);
                long[] now = snapshot();
                long commits = now[0] + now[4] + now[8] - last[0] - last[4] - last[8];
                last = now;
                if (commits < 10) {
                    return now;
                }
            }
            return last;
        }

        static void report(String unit, int count, long[] before, long[] after) {
            StringBuilder line = new StringBuilder("work per " + unit + ":");
            for (int d = 0; d < DATABASES.length; d++) {
                line.append(String.format(Locale.ROOT, " %s %.1f tx, %.1f rows written;", DATABASES[d],
                        (after[4 * d] - before[4 * d]) / (double) count,
                        (after[4 * d + 1] + after[4 * d + 2] + after[4 * d + 3] - before[4 * d + 1]
                                - before[4 * d + 2] - before[4 * d + 3]) / (double) count));
            }
            System.out.println(line);
        }
    }
}
