package io.leadsuite.e2e;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The whole suite as separate processes: the four services' packaged fast-jars, started with the same environment
 * keys as scripts/suite.sh, against the test PostgreSQL and Artemis that scripts/test.sh started.
 */
final class Suite implements AutoCloseable {

    /** First of four ports; LEADSUITE_E2E_PORT_BASE moves them, so that two checkouts can run end-to-end at once. */
    static final int BASE = Integer.parseInt(System.getenv().getOrDefault("LEADSUITE_E2E_PORT_BASE", "18080"));
    static final int GATEWAY = BASE;
    static final int CONTACT = BASE + 1;
    static final int LEAD = BASE + 2;
    static final int SCORING = BASE + 3;
    /** Second replicas of lead-service and scoring-service, started only by tests that ask for them. */
    static final int LEAD_2 = BASE + 4;
    static final int SCORING_2 = BASE + 5;
    static final String LEAD_SERVICE_2 = "lead-service-2";
    static final String SCORING_SERVICE_2 = "scoring-service-2";
    /** Second replicas of contact-service and the gateway (FaultsIT runs two of every service). */
    static final int CONTACT_2 = BASE + 6;
    static final int GATEWAY_2 = BASE + 7;
    static final String CONTACT_SERVICE_2 = "contact-service-2";
    static final String GATEWAY_2_NAME = "gateway-2";
    /** Ports from here on are free for a test's own tooling (fault proxies, balancers, a webhook receiver). */
    static final int TOOLING = BASE + 10;

    /** The four services {@link #startAll()} starts, by name, with their ports. */
    private static final Map<String, Integer> PORTS = new LinkedHashMap<>();
    /**
     * Every instance a test may start: the four above and the second replicas, each a process of its service's jar
     * on a port of its own, with the same databases and broker (and so its own outbox relay and consumers).
     */
    private static final Map<String, Instance> INSTANCES = new LinkedHashMap<>();
    static {
        PORTS.put("contact-service", CONTACT);
        PORTS.put("lead-service", LEAD);
        PORTS.put("scoring-service", SCORING);
        PORTS.put("gateway", GATEWAY);
        PORTS.forEach((service, port) -> INSTANCES.put(service, new Instance(service, port)));
        INSTANCES.put(LEAD_SERVICE_2, new Instance("lead-service", LEAD_2));
        INSTANCES.put(SCORING_SERVICE_2, new Instance("scoring-service", SCORING_2));
        INSTANCES.put(CONTACT_SERVICE_2, new Instance("contact-service", CONTACT_2));
        INSTANCES.put(GATEWAY_2_NAME, new Instance("gateway", GATEWAY_2));
    }

    /** One process: the service whose jar it runs, and its HTTP port. */
    private record Instance(String service, int port) {
    }

    /** The HTTP port of an instance ("lead-service", {@link #LEAD_SERVICE_2}, ...). */
    static int port(String instance) {
        return instance(instance).port();
    }

    private static Instance instance(String name) {
        Instance instance = INSTANCES.get(name);
        if (instance == null) {
            throw new IllegalArgumentException("No instance " + name + "; known: " + INSTANCES.keySet());
        }
        return instance;
    }

    private final Path root;
    private final Path logs;
    private final Map<String, String> env;
    private final Map<String, Process> processes = new HashMap<>();
    /** Settings of one instance over the suite's (a replica that reaches its database through a fault proxy). */
    private final Map<String, Map<String, String>> instanceSettings = new HashMap<>();
    private volatile Duration readyDeadline = Duration.ofSeconds(120);
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    Suite() throws IOException {
        this(Map.of());
    }

    /** With settings of its own for every service (environment variables), over the defaults below. */
    Suite(Map<String, String> settings) throws IOException {
        root = Path.of(System.getProperty("suite.root", "..")).toAbsolutePath().normalize();
        logs = root.resolve("e2e-tests/target/suite-logs");
        Files.createDirectories(logs);
        env = testInfrastructureEnv(root);
        env.put("LEADSUITE_CONTACT_SERVICE_URL", "http://localhost:" + CONTACT);
        env.put("LEADSUITE_GATEWAY_UPSTREAMS_CONTACT_SERVICE", "http://localhost:" + CONTACT);
        env.put("LEADSUITE_GATEWAY_UPSTREAMS_LEAD_SERVICE", "http://localhost:" + LEAD);
        env.put("LEADSUITE_GATEWAY_UPSTREAMS_SCORING_SERVICE", "http://localhost:" + SCORING);
        // webhook receivers in the tests listen on localhost; retries come quickly so a receiver that comes back
        // is caught up within seconds
        env.putIfAbsent("LEADSUITE_WEBHOOKS_ALLOW_PRIVATE_TARGETS", "true");
        env.putIfAbsent("LEADSUITE_WEBHOOKS_REQUIRE_HTTPS", "false");
        env.putIfAbsent("LEADSUITE_WEBHOOKS_DELIVERY_INITIAL_BACKOFF", "500ms");
        env.putIfAbsent("LEADSUITE_WEBHOOKS_DELIVERY_MAX_BACKOFF", "2s");
        env.putAll(settings);
        Runtime.getRuntime().addShutdownHook(new Thread(this::close));
    }

    /** The environment the services run with (the test infrastructure's connection settings among them). */
    Map<String, String> env() {
        return Map.copyOf(env);
    }

    /**
     * How long an instance may take to become ready (120 s unless set): a test that starts many instances on a busy
     * two-core machine, or restarts them under load, needs longer.
     */
    void readyWithin(Duration deadline) {
        readyDeadline = deadline;
    }

    /** Environment variables of one instance over the suite's, from its next start on. */
    void settings(String instance, Map<String, String> settings) {
        instance(instance);
        instanceSettings.put(instance, Map.copyOf(settings));
    }

    /** The instances started and not killed. */
    java.util.Set<String> running() {
        return java.util.Set.copyOf(processes.keySet());
    }

    /** PostgreSQL's immediate shutdown (scripts/infra.sh db-crash test): a crash, recovery at the next start. */
    void crashDatabase() throws IOException, InterruptedException {
        infra("db-crash");
    }

    /** Starts the test PostgreSQL again, on the same port and data. */
    void startDatabase() throws IOException, InterruptedException {
        infra("db-start");
    }

    /** kill -9 of the test broker (scripts/infra.sh broker-kill test). */
    void killBroker() throws IOException, InterruptedException {
        infra("broker-kill");
    }

    /** Starts the test broker again, on the same port and data. */
    void startBroker() throws IOException, InterruptedException {
        infra("broker-start");
    }

    /** A broker queue's counts as {@code artemis queue stat} reports them. */
    record QueueStat(long messages, long added) {
    }

    /** The counts of one queue of the test broker (the DLQ, say), read with the broker's own CLI. */
    QueueStat queueStat(String queue) throws IOException, InterruptedException {
        Path cli = root.resolve(".run/test/broker/bin/artemis");
        Process p = new ProcessBuilder(cli.toString(), "queue", "stat", "--url",
                "tcp://" + env.getOrDefault("LEADSUITE_AMQP_HOST", "127.0.0.1") + ":" + env.get("LEADSUITE_AMQP_PORT"),
                "--user", env.get("BROKER_USER_OPERATOR"), "--password", env.get("BROKER_PASSWORD_OPERATOR"),
                "--queueName", queue)
                .redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        if (!p.waitFor(120, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("artemis queue stat failed: " + output);
        }
        // |NAME|ADDRESS|CONSUMER COUNT|MESSAGE COUNT|MESSAGES ADDED|...
        for (String line : output.split("\\R")) {
            String[] cells = line.split("\\|");
            if (cells.length > 5 && cells[1].trim().equals(queue)) {
                return new QueueStat(Long.parseLong(cells[4].trim()), Long.parseLong(cells[5].trim()));
            }
        }
        throw new IllegalStateException("No queue " + queue + " in: " + output);
    }

    private void infra(String command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder("bash", root.resolve("scripts/infra.sh").toString(), command, "test")
                .redirectErrorStream(true).redirectOutput(logs.resolve("infra.log").toFile()).start();
        // longer than the script's own waits (the broker's port, PostgreSQL's start: three minutes each)
        if (!p.waitFor(240, java.util.concurrent.TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("scripts/infra.sh " + command + " test failed; see " + logs);
        }
    }

    /** Starts all four and waits until each is ready; returns how long that took. */
    Duration startAll() {
        long start = System.nanoTime();
        PORTS.keySet().forEach(this::launch);
        PORTS.keySet().forEach(this::awaitReady);
        return Duration.ofNanos(System.nanoTime() - start);
    }

    /** Starts one instance (a service, or a second replica) and waits until it is ready. */
    void start(String instance) {
        launch(instance);
        awaitReady(instance);
    }

    /** Starts several instances at once and waits until each is ready. */
    void start(String... instances) {
        for (String instance : instances) {
            launch(instance);
        }
        for (String instance : instances) {
            awaitReady(instance);
        }
    }

    /** SIGKILL: no shutdown hooks, no graceful drain, in-flight work lost as in a crash. */
    void kill(String instance) throws InterruptedException {
        Process process = processes.remove(instance);
        process.destroyForcibly();
        process.waitFor();
    }

    private void launch(String name) {
        Instance instance = instance(name);
        Path jar = root.resolve(instance.service()).resolve("target/quarkus-app/quarkus-run.jar");
        if (!Files.exists(jar)) {
            throw new IllegalStateException(jar + " is missing: package the services first (./mvnw verify)");
        }
        // a port someone else listens on (a suite left running by another checkout) would answer the readiness
        // probe for an instance that cannot bind it: refuse to start rather than test against a stranger
        try (java.net.ServerSocket probe = new java.net.ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new java.net.InetSocketAddress(instance.port()));
        } catch (IOException e) {
            throw new IllegalStateException("Port " + instance.port() + " for " + name + " is taken by another "
                    + "process; stop it or move the suite's ports with LEADSUITE_E2E_PORT_BASE", e);
        }
        String java = ProcessHandle.current().info().command().orElse("java");
        List<String> command = new ArrayList<>(List.of(java, "-XX:+UseSerialGC", "-Xmx192m", "-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(logs.resolve(name + ".log").toFile()));
        builder.environment().putAll(env);
        // the token issuer's private key is the tests' own (TestTokens): no service, the gateway least of all, gets it
        builder.environment().remove("JWT_PRIVATE_KEY_FILE");
        // each service connects to the broker with its own account (scripts/infra.sh wrote them all)
        String account = instance.service().toUpperCase(Locale.ROOT).replace('-', '_');
        builder.environment().put("LEADSUITE_AMQP_USERNAME", env.get("BROKER_USER_" + account));
        builder.environment().put("LEADSUITE_AMQP_PASSWORD", env.get("BROKER_PASSWORD_" + account));
        builder.environment().keySet().removeIf(k -> k.startsWith("BROKER_"));
        // and to its database with its role, whose password on the local cluster is its name (scripts/infra.sh)
        builder.environment().put("LEADSUITE_DB_PASSWORD", instance.service().replace('-', '_'));
        builder.environment().putAll(instanceSettings.getOrDefault(name, Map.of()));
        builder.environment().put("QUARKUS_HTTP_PORT", String.valueOf(instance.port()));
        try {
            processes.put(name, builder.start());
        } catch (IOException e) {
            throw new IllegalStateException("Cannot start " + name, e);
        }
    }

    private void awaitReady(String service) {
        URI ready = URI.create("http://localhost:" + port(service) + "/q/health/ready");
        long deadline = System.nanoTime() + readyDeadline.toNanos();
        while (System.nanoTime() < deadline) {
            Process process = processes.get(service);
            if (process == null || !process.isAlive()) {
                throw new IllegalStateException(service + " exited during start-up; see " + logs);
            }
            try {
                HttpResponse<Void> response = http.send(HttpRequest.newBuilder(ready).timeout(Duration.ofSeconds(2))
                        .build(), HttpResponse.BodyHandlers.discarding());
                if (response.statusCode() == 200) {
                    return;
                }
            } catch (IOException e) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            try {
                Thread.sleep(250);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
        }
        throw new IllegalStateException(service + " not ready within " + readyDeadline.toSeconds() + " s; see "
                + logs);
    }

    @Override
    public void close() {
        processes.values().forEach(Process::destroy);
        processes.values().forEach(p -> {
            try {
                if (!p.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        processes.clear();
    }

    /** The connection settings scripts/infra.sh wrote for the test profile, unless the environment has them. */
    private static Map<String, String> testInfrastructureEnv(Path root) throws IOException {
        Map<String, String> values = new HashMap<>();
        Path file = root.resolve(".run/test/env");
        if (Files.exists(file)) {
            for (String line : Files.readAllLines(file)) {
                if (line.startsWith("export ")) {
                    String[] kv = line.substring("export ".length()).split("=", 2);
                    values.put(kv[0], kv[1]);
                }
            }
        }
        System.getenv().forEach((k, v) -> {
            if (k.startsWith("LEADSUITE_")) {
                values.put(k, v);
            }
        });
        if (!values.containsKey("LEADSUITE_DB_PORT") || !values.containsKey("BROKER_USER_OPERATOR")) {
            throw new IllegalStateException("No test infrastructure: run scripts/test.sh (or scripts/infra.sh start test)");
        }
        return values;
    }
}
