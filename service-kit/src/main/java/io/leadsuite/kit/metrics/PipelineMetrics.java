package io.leadsuite.kit.metrics;

import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.TimeUnit;

import jakarta.enterprise.context.ApplicationScoped;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.json.JsonObject;

/**
 * The event pipeline's meters, the same in every service: what the outbox relay sends, what each consumer applies and
 * how late, and the duplicates the inbox drops. An operator reads from them whether events flow (sent and applied
 * rise together), where they wait (consumer lag, see also the outbox backlog gauges of
 * {@link io.leadsuite.kit.outbox.OutboxBacklog}) and what fails (send failures, rejected messages). Names follow
 * Prometheus' conventions once exported: {@code leadsuite_outbox_sent_total}, {@code leadsuite_consumer_lag_seconds}.
 */
@ApplicationScoped
public class PipelineMetrics {

    /** Buckets of the lag histogram: from a healthy pipeline (tens of ms) to a backlog (minutes). */
    private static final Duration[] LAG_BUCKETS = { Duration.ofMillis(25), Duration.ofMillis(50),
            Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
            Duration.ofSeconds(2), Duration.ofSeconds(5), Duration.ofSeconds(15), Duration.ofSeconds(60),
            Duration.ofMinutes(5) };

    private final MeterRegistry registry;
    private final Counter sent;
    private final Counter sendFailures;
    private final Counter parked;
    private final ConcurrentMap<String, Consumer> consumers = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, Counter> duplicates = new ConcurrentHashMap<>();

    public PipelineMetrics(MeterRegistry registry) {
        this.registry = registry;
        this.sent = Counter.builder("leadsuite.outbox.sent").description("Outbox messages the broker accepted")
                .register(registry);
        this.sendFailures = Counter.builder("leadsuite.outbox.send.failures")
                .description("Relay passes that failed (the broker refused or did not answer); their messages are "
                        + "sent again")
                .register(registry);
        this.parked = Counter.builder("leadsuite.outbox.unreadable")
                .description("Outbox rows that were not a JSON object, moved to outbox_dead_letter").register(registry);
    }

    public void sent(int messages) {
        sent.increment(messages);
    }

    public void sendFailed() {
        sendFailures.increment();
    }

    public void parked(int messages) {
        parked.increment(messages);
    }

    /** A message the inbox had recorded already (a redelivery, or the other replica's): skipped. */
    public void duplicate(String type) {
        duplicates.computeIfAbsent(type, t -> Counter.builder("leadsuite.inbox.duplicates")
                .description("Messages skipped because they had been applied before").tag("type", t)
                .register(registry)).increment();
    }

    /** The meters of one incoming channel. */
    public Consumer consumer(String channel) {
        return consumers.computeIfAbsent(channel, Consumer::new);
    }

    /** Meters of one consumer: its batches, its messages by outcome, and how late each is applied. */
    public final class Consumer {
        private final Timer committed;
        private final Timer split;
        private final Counter applied;
        private final Counter rejected;
        private final Timer lag;

        private Consumer(String channel) {
            committed = batches(channel, "committed");
            split = batches(channel, "split");
            applied = messages(channel, "applied");
            rejected = messages(channel, "rejected");
            lag = Timer.builder("leadsuite.consumer.lag")
                    .description("From an event's time (when its cause was committed) to its application by this "
                            + "consumer")
                    .tag("channel", channel).serviceLevelObjectives(LAG_BUCKETS).register(registry);
        }

        private Timer batches(String channel, String outcome) {
            return Timer.builder("leadsuite.consumer.batches")
                    .description("Batches applied in one transaction (committed), or split into one transaction per "
                            + "message after a failure (split)")
                    .tag("channel", channel).tag("outcome", outcome).register(registry);
        }

        private Counter messages(String channel, String outcome) {
            return Counter.builder("leadsuite.consumer.messages")
                    .description("Messages acknowledged after their transaction (applied) or handed back to the broker "
                            + "for redelivery and in the end the dead-letter queue (rejected)")
                    .tag("channel", channel).tag("outcome", outcome).register(registry);
        }

        public void batch(long startedNanos, boolean wasSplit) {
            (wasSplit ? split : committed).record(System.nanoTime() - startedNanos, TimeUnit.NANOSECONDS);
        }

        public void applied(JsonObject body, Instant now) {
            applied.increment();
            Instant time = timeOf(body);
            if (time != null) {
                lag.record(Duration.between(time, now).isNegative() ? Duration.ZERO : Duration.between(time, now));
            }
        }

        public void rejected() {
            rejected.increment();
        }
    }

    private static Instant timeOf(JsonObject body) {
        Object time = body == null ? null : body.getValue("time");
        if (time instanceof String text) {
            try {
                return Instant.parse(text);
            } catch (DateTimeParseException e) {
                return null;
            }
        }
        return time instanceof Instant instant ? instant : null;
    }
}
