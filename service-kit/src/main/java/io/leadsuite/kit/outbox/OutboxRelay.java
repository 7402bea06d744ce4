package io.leadsuite.kit.outbox;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.eclipse.microprofile.reactive.messaging.Metadata;
import org.jboss.logging.Logger;

import io.leadsuite.kit.metrics.PipelineMetrics;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.kit.tracing.MessageTraces;
import io.opentelemetry.api.trace.Span;
import io.opentelemetry.api.trace.SpanKind;
import io.opentelemetry.api.trace.StatusCode;
import io.opentelemetry.api.trace.Tracer;
import io.quarkus.runtime.ShutdownEvent;
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
import io.vertx.pgclient.PgConnectOptions;

/**
 * Sends committed outbox messages to the broker, then deletes them. Wakes on PostgreSQL's commit-time
 * {@code NOTIFY outbox_message}, and polls as a safety net. Each batch is taken with {@code FOR UPDATE SKIP LOCKED}, so
 * several replicas never send the same row at once; a row is deleted only after the broker has accepted it
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

    private final MutinyEmitter<JsonObject> emitter;
    private final Pool pool;
    private final Vertx vertx;
    private final OutboxConfig config;
    private final PipelineMetrics metrics;
    private final String dbUrl;
    private final String dbUser;
    private final String dbPassword;
    private final Tracer tracer;
    private final String address;

    private WokenPoller poller;

    public OutboxRelay(@Channel(CHANNEL) MutinyEmitter<JsonObject> emitter, Pool pool, Vertx vertx,
            OutboxConfig config, PipelineMetrics metrics,
            @ConfigProperty(name = "quarkus.datasource.reactive.url") String dbUrl,
            @ConfigProperty(name = "quarkus.datasource.username") String dbUser,
            @ConfigProperty(name = "quarkus.datasource.password") String dbPassword, Tracer tracer,
            @ConfigProperty(name = "mp.messaging.outgoing." + CHANNEL + ".address") String address) {
        this.emitter = emitter;
        this.pool = pool;
        this.vertx = vertx;
        this.config = config;
        this.metrics = metrics;
        this.dbUrl = dbUrl;
        this.dbUser = dbUser;
        this.dbPassword = dbPassword;
        this.tracer = tracer;
        this.address = address;
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Outbox relay disabled on this replica");
            return;
        }
        poller = WokenPoller.start(vertx, "Outbox relay", config.pollInterval(),
                () -> pool.withTransaction(this::relayBatch)
                        .onFailure().invoke(failure -> metrics.sendFailed())
                        .map(sent -> sent == config.batchSize()))
                .listen(PgConnectOptions.fromUri(dbUrl.replaceFirst("^vertx-reactive:", ""))
                        .setUser(dbUser).setPassword(dbPassword), "outbox_message");
    }

    void stop(@Observes ShutdownEvent event) {
        if (poller != null) {
            poller.stop();
        }
    }

    /** Asks for a pass; if one is running, it goes round once more when it ends. */
    public void wake() {
        if (poller != null) {
            poller.wake();
        }
    }

    private Uni<Integer> relayBatch(SqlConnection connection) {
        return connection.preparedQuery("select id, message_id, type, subject, payload::text as payload, traceparent "
                + "from outbox_message "
                + "order by id limit $1 for update skip locked")
                .execute(Tuple.of(config.batchSize()))
                .chain(rows -> {
                    List<Row> sendable = new ArrayList<>();
                    List<Long> unreadable = new ArrayList<>();
                    List<Long> all = new ArrayList<>();
                    for (Row row : rows) {
                        all.add(row.getLong("id"));
                        if (isJsonObject(row.getString("payload"))) {
                            sendable.add(row);
                        } else {
                            LOG.errorf("Outbox message %s (%s) is not a JSON object; moved to outbox_dead_letter",
                                    row.getUUID("message_id"), row.getString("type"));
                            unreadable.add(row.getLong("id"));
                        }
                    }
                    if (all.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Uni<Void> parkUnreadable = unreadable.isEmpty() ? Uni.createFrom().voidItem()
                            : connection.preparedQuery("insert into outbox_dead_letter (id, message_id, type, subject, "
                                    + "sequence, payload, created_at, reason) select id, message_id, type, subject, "
                                    + "sequence, payload, created_at, 'payload is not a JSON object' "
                                    + "from outbox_message where id = any($1)")
                                    .execute(Tuple.of(unreadable.toArray(Long[]::new))).replaceWithVoid();
                    return parkUnreadable
                            .chain(() -> Multi.createFrom().iterable(sendable)
                                    .onItem().transformToUni(this::send).merge(64)
                                    .collect().last()
                                    .ifNoItem().after(SEND_TIMEOUT).fail())
                            .chain(() -> connection.preparedQuery("delete from outbox_message where id = any($1)")
                                    .execute(Tuple.of(all.toArray(Long[]::new))))
                            .invoke(() -> {
                                metrics.sent(sendable.size());
                                metrics.parked(unreadable.size());
                            })
                            .replaceWith(all.size());
                });
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
    private Uni<Void> send(Row row) {
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
        Uni<Void> send = emitter.sendMessage(Message.of(new JsonObject(row.getString("payload")),
                Metadata.of(metadata.build())));
        return span == null ? send : send.onTermination().invoke((done, failure, cancelled) -> {
            if (failure != null) {
                span.setStatus(StatusCode.ERROR, failure.toString());
            }
            span.end();
        });
    }
}
