package io.leadsuite.kit.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.leadsuite.kit.metrics.PipelineMetrics;
import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.kit.tracing.MessageTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.smallrye.reactive.messaging.MutinyEmitter;
import io.smallrye.reactive.messaging.amqp.OutgoingAmqpMetadata;
import io.vertx.core.json.JsonObject;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.SqlConnection;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Sends committed outbox messages to the broker. Wakes on PostgreSQL's commit-time {@code NOTIFY outbox_message},
 * and polls as a safety net. Each batch is deleted as it is taken ({@code FOR UPDATE SKIP LOCKED}, so several replicas
 * never send the same row at once), and the deletion commits only after the broker has accepted every message of it
 * (at-least-once). Messages of one batch go out on one link in outbox order, which keeps per-subject order, and carry
 * their subject as AMQP group id: with several replicas consuming one queue, the broker hands one lead's (one
 * contact's) messages to one consumer at a time, so they are applied in order.
 */
@ApplicationScoped
public class OutboxRelay {

    /** The outgoing channel every service configures to its event address. */
    public static final String CHANNEL = "events-out";

    private static final Logger LOG = Logger.getLogger(OutboxRelay.class);
    /**
     * A batch the broker has not accepted by then is rolled back and sent again later. The relay holds one pool
     * connection and its transaction while it waits, so the wait is short: well under the database's
     * {@code idle_in_transaction_session_timeout} (30 s), and a broker outage costs the pool one connection at most.
     */
    private static final Duration SEND_TIMEOUT = Duration.ofSeconds(10);
    private static final CompletableFuture<Void> SETTLED = CompletableFuture.completedFuture(null);
    /** The longest a pass waits for an unsettled first message before it tries again with another. */
    private static final Duration MAX_PROBE_WAIT = Duration.ofSeconds(30);

    @Inject
    @Channel(CHANNEL)
    MutinyEmitter<JsonObject> emitter;
    @Inject
    Pool pool;
    @Inject
    Vertx vertx;
    @Inject
    Pollers pollers;
    @Inject
    OutboxConfig config;
    @Inject
    PipelineMetrics metrics;
    @Inject
    Tracer tracer;
    @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".address")
    String address;

    private WokenPoller poller;
    /** The first message of the latest pass, until the broker has settled it (accepted or refused). */
    private volatile CompletableFuture<Void> probe = SETTLED;
    private volatile long probeSentAt;
    private volatile Duration probeWait = SEND_TIMEOUT;
    /** Whether a pass was skipped for the unsettled first message: its settlement then wakes the relay. */
    private volatile boolean waiting;

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled on this replica");
            return;
        }
        poller = pollers.startListening("Outbox relay", config.pollInterval(), "outbox_message", this::pass);
    }

    /** Asks for a pass; if one is running, it goes round once more when it ends. */
    public void wake() {
        if (poller != null) {
            poller.wake();
        }
    }

    /**
     * One pass, unless the broker has not yet settled the first message of an earlier one: then it is away, and the
     * pass waits for it (woken when it is settled) instead of sending more.
     * <p>
     * Why: while the broker is unreachable, every message handed to the AMQP connector starts its own attempt to
     * connect, retried until it succeeds (SmallRye AMQP 4.31: the sender asks the connection holder for a connection per
     * message, and the holder does not share an attempt in progress), and each such attempt that finally succeeds keeps
     * its connection open. A relay that went on sending every pass during a one-minute outage under load left over a
     * thousand connections per replica when the broker came back, and the broker ran out of heap (found by the long
     * fault run). Sending a pass's first message alone and waiting for it to be settled before the next pass bounds
     * that to the messages in flight when the broker went away, plus one per wait. A first message the connector took
     * on a connection that then died may never be settled, and the connector reconnects an outgoing channel only
     * when it is given a message: so the wait ends after {@link #SEND_TIMEOUT}, doubling while the broker stays away,
     * up to {@link #MAX_PROBE_WAIT}, and the pass then tries with another first message.
     */
    private Uni<Boolean> pass() {
        CompletableFuture<Void> pending = probe;
        if (!pending.isDone()) {
            if (System.nanoTime() - probeSentAt >= probeWait.toNanos()) {
                probeWait = probeWait.multipliedBy(2).compareTo(MAX_PROBE_WAIT) > 0 ? MAX_PROBE_WAIT
                        : probeWait.multipliedBy(2);
                return relay();
            }
            waiting = true;
            return Uni.createFrom().item(false);
        }
        return relay();
    }

    private Uni<Boolean> relay() {
        return pool.withTransaction(this::relayBatch)
                .onFailure().invoke(failure -> metrics.sendFailed())
                .map(sent -> sent == config.batchSize());
    }

    /**
     * Takes a batch off the outbox with one statement: the rows are deleted (and locked, so other replicas skip them)
     * before they are sent, and the deletion commits only once the broker has accepted every one of them. A failed or
     * timed-out send rolls it back, and the rows are sent again by a later pass.
     */
    private Uni<Integer> relayBatch(SqlConnection connection) {
        // "id = any(array(...))", not "id in (select ...)": the ids are taken once and the rows found by the primary
        // key (or one hashed scan). With "in", a generic plan the prepared statement cached while the table was
        // nearly empty joined by a nested loop over a sequential scan, and after a 100,000-row import one delete ran
        // for more than 15 minutes (a CI run of ContactImportTest).
        return connection.preparedQuery("delete from outbox_message where id = any(array(select id from outbox_message "
                + "order by id limit $1 for update skip locked)) "
                + "returning id, message_id, type, subject, sequence, created_at, payload::text as payload, traceparent")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    // what a delete returns comes in no set order: outbox order is id order
                    List<Row> taken = new ArrayList<>();
                    rows.forEach(taken::add);
                    taken.sort(Comparator.comparingLong(row -> row.getLong("id")));
                    List<Row> sendable = new ArrayList<>();
                    List<Row> unreadable = new ArrayList<>();
                    for (Row row : taken) {
                        if (isJsonObject(row.getString("payload"))) {
                            sendable.add(row);
                        } else {
                            LOG.errorf("Outbox message %s (%s) is not a JSON object; moved to outbox_dead_letter",
                                    row.getUUID("message_id"), row.getString("type"));
                            unreadable.add(row);
                        }
                    }
                    if (taken.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Uni<Void> parkUnreadable = unreadable.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.preparedQuery("insert into outbox_dead_letter (id, message_id, type, subject, "
                                    + "sequence, payload, created_at, reason) values ($1, $2, $3, $4, $5, "
                                    + "cast(cast($6 as text) as jsonb), $7, 'payload is not a JSON object')")
                                    .executeBatch(unreadable.stream().map(row -> Tuple.tuple(List.of(row.getLong("id"),
                                            row.getUUID("message_id"), row.getString("type"), row.getUUID("subject"),
                                            row.getLong("sequence"), row.getString("payload"),
                                            row.getOffsetDateTime("created_at")))).toList())
                                    .replaceWithVoid();
                    return parkUnreadable
                            .chain(() -> sendAll(sendable).ifNoItem().after(SEND_TIMEOUT).fail())
                            .invoke(() -> {
                                metrics.sent(sendable.size());
                                metrics.parked(unreadable.size());
                            })
                            .replaceWith(taken.size());
                });
    }

    /**
     * The first message alone, then the others, up to 64 at once, in outbox order (each is handed to the channel when
     * its turn to be sent comes, so they leave on the link in that order). Waiting for the first costs a pass one broker
     * round trip; it is what tells a pass whether the broker is there before it hands over more (see {@link #pass()}).
     */
    private Uni<Void> sendAll(List<Row> rows) {
        if (rows.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        CompletableFuture<Void> settled = new CompletableFuture<>();
        probe = settled;
        probeSentAt = System.nanoTime();
        settled.whenComplete((ignored, failure) -> {
            if (waiting) {
                waiting = false;
                wake();
            }
        });
        return send(rows.get(0), settled).chain(() -> rows.size() == 1 ? Uni.createFrom().voidItem()
                : Multi.createFrom().iterable(rows.subList(1, rows.size()))
                        .onItem().transformToUni(row -> send(row, null)).merge(64)
                        .collect().last().replaceWithVoid());
    }

    private static boolean isJsonObject(String payload) {
        try {
            new JsonObject(payload);
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }

    /**
     * One message; a row written in a trace is sent in a span of that trace ({@code <address> publish}, a child of the
     * span that wrote the row), whose {@code traceparent} goes with the message as an application property. The AMQP
     * connector's own tracing is off ({@code mp.messaging.connector.smallrye-amqp.tracing-enabled=false}): it would
     * start its span from the relay's context, which belongs to no trace.
     */
    private Uni<Void> send(Row row, CompletableFuture<Void> settled) {
        String messageId = row.getUUID("message_id").toString();
        OutgoingAmqpMetadata.OutgoingAmqpMetadataBuilder metadata = OutgoingAmqpMetadata.builder()
                .withMessageId(messageId)
                .withSubject(row.getString("type"))
                // Artemis message groups: one subject's messages go to one consumer of a queue at a time, in order
                .withGroupId(row.getUUID("subject").toString())
                .withContentType("application/json")
                .withDurable(true);
        String traceparent = row.getString("traceparent");
        Span span = traceparent == null ? null
                : tracer.spanBuilder(address + " publish")
                        .setParent(MessageTraces.parent(traceparent))
                        .setSpanKind(SpanKind.PRODUCER)
                        .setAttribute("messaging.system", "amqp")
                        .setAttribute("messaging.operation.type", "publish")
                        .setAttribute("messaging.destination.name", address)
                        .setAttribute("messaging.message.id", messageId)
                        .setAttribute("leadsuite.event.type", row.getString("type"))
                        .startSpan();
        String sent = span == null ? null : MessageTraces.format(span.getSpanContext());
        if (sent != null) {
            metadata.withApplicationProperty(MessageTraces.TRACEPARENT, sent);
        }
        Message<JsonObject> message = Message.of(new JsonObject(row.getString("payload")),
                Metadata.of(metadata.build()));
        if (settled != null) {
            // settled by the broker's answer, whether or not this pass still waits for it (its time-out only stops
            // the wait; the connector keeps the message and sends it when it has a connection)
            message = message.withAck(() -> {
                probeWait = SEND_TIMEOUT;
                settled.complete(null);
                return SETTLED;
            }).withNack(failure -> {
                settled.complete(null);
                return SETTLED;
            });
        }
        Uni<Void> send = emitter.sendMessage(message);
        return span == null ? send : send.onTermination().invoke((done, failure, cancelled) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.toString());
            }
            span.end();
        });
    }
}
