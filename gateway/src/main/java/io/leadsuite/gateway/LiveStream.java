package io.leadsuite.gateway;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.jwt.JsonWebToken;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.Roles;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/**
 * {@code GET /api/stream}: server-sent events of lead changes, as they arrive from the broker.
 * <p>
 * While a stream is open (and {@code leadsuite.gateway.stream.linger} after the last one closed) the replica holds its
 * own subscription to {@code lead-events} and {@code score-updates} ({@link LiveSubscription}), so each replica with a
 * stream open sees every event. Events are numbered per replica and run of the subscription
 * ({@code id: <run>-<n>}) and the last {@code leadsuite.gateway.stream.buffer-size} are kept in memory: a client that
 * reconnects with {@code Last-Event-ID} gets what it missed, or an {@code event: reset} when the id is from another
 * replica or an earlier run (the subscription was detached or its connection lost since: events may have been
 * missed) or older than the buffer, telling it to reload its view. A stream opens once the subscription receives; while
 * the broker cannot be reached it is answered 503.
 */
@ApplicationScoped
class LiveStream implements LiveSubscription.Listener {

    private static final Logger LOG = Logger.getLogger(LiveStream.class);

    /** An event as sent: its number, SSE type, who may see it, and the data line. */
    record Event(String run, long seq, String type, Set<String> roles, String data) {
    }

    /** The SSE event types and the roles that see them. */
    static final Map<String, String> TYPES = Map.of(
            EventTypes.LEAD_CREATED, "lead-created",
            EventTypes.LEAD_STAGE_CHANGED, "stage-changed",
            EventTypes.LEAD_SALES_READY, "sales-ready",
            EventTypes.SCORE_CHANGED, "score-changed");
    static final Set<String> STAFF = Route.STAFF;
    static final Set<String> SALES_READY_AUDIENCE = Set.of(Roles.TELESALES, Roles.SALES, Roles.ADMIN, Roles.CRM,
            Roles.MARKETING);

    /** This replica's run of the subscription: a new one whenever events may have been missed. Guarded by buffer. */
    private String run = newRun();
    private final ArrayDeque<Event> buffer = new ArrayDeque<>();
    private final Map<HttpServerResponse, Client> clients = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> streamsPerUser = new ConcurrentHashMap<>();
    private final GatewayConfig config;
    private final Vertx vertx;
    private final LiveSubscription subscription;
    private long seq;

    private record Client(Context context, HttpServerResponse response, Set<String> roles) {
    }

    LiveStream(GatewayConfig config, Vertx vertx, MeterRegistry registry, LiveSubscription subscription) {
        this.config = config;
        this.vertx = vertx;
        this.subscription = subscription;
        subscription.listener(this);
        registry.gaugeMapSize("leadsuite.gateway.stream.clients", io.micrometer.core.instrument.Tags.empty(), clients);
    }

    private static String newRun() {
        return UUID.randomUUID().toString().substring(0, 8);
    }

    /** Numbers, buffers and pushes one envelope, if it is of a type the stream carries. */
    @Override
    public void event(JsonObject envelope) {
        String type = envelope == null ? null : TYPES.get(envelope.getString("type"));
        if (type == null) {
            return;
        }
        JsonObject data = envelope.getJsonObject("data", new JsonObject());
        JsonObject payload = new JsonObject()
                .put("type", type)
                .put("eventId", envelope.getString("id"))
                .put("time", envelope.getValue("time"))
                .put("leadId", envelope.getString("subject"))
                .put("contactId", data.getString("contactId"))
                .put("data", data);
        Set<String> roles = type.equals("sales-ready") ? SALES_READY_AUDIENCE : STAFF;
        Event event;
        synchronized (buffer) {
            event = new Event(run, ++seq, type, roles, payload.encode());
            buffer.addLast(event);
            while (buffer.size() > config.stream().bufferSize()) {
                buffer.removeFirst();
            }
        }
        clients.values().forEach(client -> send(client, event));
    }

    void handle(RoutingContext rc, SecurityIdentity identity) {
        rc.request().resume();
        String subject = identity.getPrincipal().getName();
        long expiresAt = identity.getPrincipal() instanceof JsonWebToken jwt ? jwt.getExpirationTime() * 1000 : 0;
        long untilExpiry = expiresAt - System.currentTimeMillis();
        if (expiresAt > 0 && untilExpiry <= 0) {
            ApiGateway.answer(rc, "unauthorized", "Unauthorized", 401, "The token has expired");
            return;
        }
        AtomicInteger open = streamsPerUser.computeIfAbsent(subject, s -> new AtomicInteger());
        if (open.incrementAndGet() > config.stream().maxPerUser()) {
            release(subject, open);
            rc.response().putHeader(HttpHeaders.RETRY_AFTER, "30");
            ApiGateway.answer(rc, "too-many-streams", "Too many streams", 429, "At most "
                    + config.stream().maxPerUser() + " live streams per user at once; close one first");
            return;
        }
        Context context = Vertx.currentContext();
        // the stream answers once the subscription receives: from its first line on, nothing published is missed
        subscription.join().onComplete(joined -> context.runOnContext(v -> {
            HttpServerResponse response = rc.response();
            if (joined.failed() || response.closed()) {
                subscription.leave();
                release(subject, open);
                if (!response.closed() && !response.ended()) {
                    response.putHeader(HttpHeaders.RETRY_AFTER, "2");
                    ApiGateway.answer(rc, "stream-unavailable", "Live stream unavailable", 503,
                            "The gateway cannot reach the broker for the live stream; retry");
                }
                return;
            }
            open(rc, context, identity, subject, open, expiresAt, untilExpiry);
        }));
    }

    /** Starts the event stream of a caller whose subscription is in place. */
    private void open(RoutingContext rc, Context context, SecurityIdentity identity, String subject,
            AtomicInteger open, long expiresAt, long untilExpiry) {
        HttpServerResponse response = rc.response();
        Client client = new Client(context, response, Set.copyOf(identity.getRoles()));
        response.setChunked(true)
                .putHeader(HttpHeaders.CONTENT_TYPE, "text/event-stream; charset=utf-8")
                .putHeader(HttpHeaders.CACHE_CONTROL, "no-cache")
                .putHeader("X-Accel-Buffering", "no");
        String lastEventId = rc.request().getHeader("Last-Event-ID");
        List<Event> replay = new ArrayList<>();
        boolean reset = false;
        String resetId;
        synchronized (buffer) {
            if (lastEventId != null && !lastEventId.isBlank()) {
                long after = parse(lastEventId.trim());
                long oldest = buffer.isEmpty() ? seq + 1 : buffer.peekFirst().seq();
                if (after < 0 || after > seq || after < oldest - 1) {
                    reset = true;
                } else {
                    buffer.stream().filter(e -> e.seq() > after).forEach(replay::add);
                }
            }
            // registered under the same lock as publish numbers events: nothing falls between replay and live
            clients.put(response, client);
            resetId = run + "-" + seq;
        }
        response.write("retry: 2000\n\n");
        if (reset) {
            response.write(reset(resetId, "the stream cannot resume from " + lastEventId.replaceAll("[\r\n]", "")
                    + "; reload"));
        }
        replay.forEach(e -> write(client, e));
        long heartbeat = vertx.setPeriodic(config.stream().heartbeat().toMillis(),
                t -> context.runOnContext(v -> {
                    if (!response.ended() && !response.closed()) {
                        response.write(": keep-alive\n\n");
                    }
                }));
        // the stream ends when the token it was opened with expires: the client reconnects with a fresh one
        long expiry = expiresAt > 0 ? vertx.setTimer(untilExpiry, t -> context.runOnContext(v -> {
            if (!response.ended() && !response.closed()) {
                response.write("event: token-expired\ndata: {\"reason\":\"the token has expired; reconnect with a "
                        + "new one\"}\n\n");
                response.end();
            }
        })) : -1;
        AtomicBoolean closed = new AtomicBoolean();
        Runnable close = () -> {
            if (closed.compareAndSet(false, true)) {
                clients.remove(response);
                vertx.cancelTimer(heartbeat);
                if (expiry >= 0) {
                    vertx.cancelTimer(expiry);
                }
                release(subject, open);
                subscription.leave();
            }
        };
        response.closeHandler(v -> close.run());
        response.endHandler(v -> close.run());
    }

    private void release(String subject, AtomicInteger open) {
        if (open.decrementAndGet() <= 0) {
            streamsPerUser.remove(subject, open);
        }
    }

    /** Streams open per caller on this replica. */
    int openStreams(String subject) {
        AtomicInteger open = streamsPerUser.get(subject);
        return open == null ? 0 : open.get();
    }

    /** A new run: the ids given so far cannot be resumed from (events between them and now may be missing). */
    @Override
    public void missed() {
        synchronized (buffer) {
            run = newRun();
            buffer.clear();
        }
    }

    /** The subscription is back after a lost broker connection: the streams still open are told to reload. */
    @Override
    public void resumed() {
        String id;
        synchronized (buffer) {
            id = run + "-" + seq;
        }
        String reset = reset(id, "events may have been missed while the broker was away; reload");
        clients.values().forEach(client -> client.context().runOnContext(v -> {
            HttpServerResponse response = client.response();
            if (!response.ended() && !response.closed()) {
                response.write(reset);
            }
        }));
    }

    private static String reset(String id, String reason) {
        return "id: " + id + "\nevent: reset\ndata: " + new JsonObject().put("reason", reason).encode() + "\n\n";
    }

    /** {@code <run>-<n>} of this replica's current run, else -1. Called holding buffer. */
    private long parse(String id) {
        int dash = id.lastIndexOf('-');
        if (dash <= 0 || !id.substring(0, dash).equals(run)) {
            return -1;
        }
        try {
            return Long.parseLong(id.substring(dash + 1));
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private void send(Client client, Event event) {
        client.context().runOnContext(v -> write(client, event));
    }

    private void write(Client client, Event event) {
        HttpServerResponse response = client.response();
        if (response.ended() || response.closed()) {
            clients.remove(response);
            return;
        }
        if (event.roles().stream().noneMatch(client.roles()::contains)) {
            return;
        }
        if (response.writeQueueFull()) {
            // a client that does not keep up is cut off; it reconnects with Last-Event-ID
            LOG.debugf("Closing a live stream that does not keep up");
            clients.remove(response);
            response.reset();
            return;
        }
        response.write("id: " + event.run() + "-" + event.seq() + "\nevent: " + event.type() + "\ndata: " + event.data()
                + "\n\n");
    }

    int clientCount() {
        return clients.size();
    }
}
