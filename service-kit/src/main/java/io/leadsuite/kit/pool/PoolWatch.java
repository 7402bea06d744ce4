package io.leadsuite.kit.pool;

import java.time.Duration;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Liveness;
import org.jboss.logging.Logger;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.vertx.core.Vertx;
import io.vertx.sqlclient.Pool;

/**
 * Asks the database pool for a connection every few seconds and gives it straight back, to tell whether the service
 * can still reach its database through the pool. A pool that leaked its connections, or waits on a database that does
 * not answer, looks the same from inside: requests queue for a connection that never comes. The watch makes that
 * visible and ends it:
 * <ul>
 * <li>the metric {@code leadsuite.db.pool.unavailable} (seconds the pool has not handed out a connection, 0 when it
 * does) and the timer {@code leadsuite.db.pool.acquisition};</li>
 * <li>a warning with the pool's state once that lasts {@link PoolWatchConfig#warnAfter()};</li>
 * <li>liveness DOWN once it lasts {@link PoolWatchConfig#livenessAfter()}, so an orchestrator restarts the service.</li>
 * </ul>
 * The probe uses the pool's own callback, never a cancellable {@code Uni}: a connection that arrives late is closed,
 * not lost. The pool fails a waiter itself after its connection time-out.
 */
@Liveness
@ApplicationScoped
public class PoolWatch implements HealthCheck {

    private static final Logger LOG = Logger.getLogger(PoolWatch.class);
    private static final long REPEAT_WARNING_NANOS = TimeUnit.SECONDS.toNanos(30);

    private final Pool pool;
    private final Vertx vertx;
    private final PoolWatchConfig config;
    private final int maxSize;
    private final Timer acquisition;
    private final MeterRegistry registry;

    /** When the current run of unanswered or failed probes began (nanoTime), or -1 while the pool answers. */
    private volatile long unavailableSince = -1;
    private volatile boolean probing;
    private volatile String lastFailure;
    private volatile long lastWarning;
    private long timer = -1;

    public PoolWatch(io.vertx.mutiny.sqlclient.Pool pool, io.vertx.mutiny.core.Vertx vertx, PoolWatchConfig config,
            MeterRegistry registry, @ConfigProperty(name = "quarkus.datasource.reactive.max-size") int maxSize) {
        this.pool = pool.getDelegate();
        this.vertx = vertx.getDelegate();
        this.config = config;
        this.maxSize = maxSize;
        this.registry = registry;
        this.acquisition = Timer.builder("leadsuite.db.pool.acquisition")
                .description("Time the pool watch waited for a database connection").register(registry);
        Gauge.builder("leadsuite.db.pool.unavailable", this, w -> w.unavailable().toMillis() / 1000.0)
                .description("Seconds the database pool has not handed out a connection (0 when it does)")
                .baseUnit("seconds").register(registry);
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.interval().toMillis(), id -> tick());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** How long the pool has not handed out a connection; zero while it does. */
    public Duration unavailable() {
        long since = unavailableSince;
        return since < 0 ? Duration.ZERO : Duration.ofNanos(System.nanoTime() - since);
    }

    void tick() {
        warnIfStalled();
        if (probing) {
            return;
        }
        probing = true;
        long started = System.nanoTime();
        if (unavailableSince < 0) {
            unavailableSince = started;
        }
        pool.getConnection().onComplete(result -> {
            probing = false;
            if (result.succeeded()) {
                result.result().close();
                acquisition.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
                Duration was = unavailable();
                if (lastWarning != 0) {
                    LOG.infof("The database pool hands out connections again, after %.1f s", was.toMillis() / 1000.0);
                }
                unavailableSince = -1;
                lastWarning = 0;
                lastFailure = null;
            } else {
                lastFailure = result.cause().getClass().getSimpleName() + ": " + result.cause().getMessage();
            }
        });
    }

    private void warnIfStalled() {
        Duration stalled = unavailable();
        long now = System.nanoTime();
        if (stalled.compareTo(config.warnAfter()) >= 0 && now - lastWarning > REPEAT_WARNING_NANOS) {
            lastWarning = now;
            LOG.warnf("The database pool has not handed out a connection for %.1f s: %s", stalled.toMillis() / 1000.0,
                    state());
        }
    }

    /** The pool's state, for the log and the health answer. */
    public String state() {
        return "max size " + maxSize + ", connections open " + pool.size() + ", in use " + gauge("sql.pool.active")
                + ", waiting for one " + gauge("sql.pool.queue.size") + ", a probe "
                + (probing ? "is waiting" : "is not waiting") + (lastFailure == null ? "" : ", last failure " + lastFailure);
    }

    /** A gauge of the Vert.x pool metrics Quarkus publishes, or "?" when metrics are off. */
    private String gauge(String name) {
        var gauges = registry.find(name).tag("pool.type", "sql").gauges();
        return gauges.isEmpty() ? "?"
                : String.valueOf((long) gauges.stream().mapToDouble(io.micrometer.core.instrument.Gauge::value).sum());
    }

    @Override
    public HealthCheckResponse call() {
        Duration stalled = unavailable();
        return HealthCheckResponse.named("database pool")
                .status(stalled.compareTo(config.livenessAfter()) < 0)
                .withData("unavailableSeconds", stalled.toSeconds())
                .withData("state", state())
                .build();
    }
}
