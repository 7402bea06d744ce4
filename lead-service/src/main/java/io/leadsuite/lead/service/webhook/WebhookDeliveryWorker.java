package io.leadsuite.lead.service.webhook;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.lead.config.WebhookConfig;
import io.leadsuite.lead.service.LeadMetrics;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.SocketAddress;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.core.buffer.Buffer;
import io.vertx.mutiny.core.http.HttpClient;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Delivers pending webhook deliveries: takes a batch in a short transaction (at most the first pending delivery of
 * each subscription and lead, so one lead's events go out in order; the ones behind it wait, unread by the claim,
 * until it is delivered), leases it so no other replica takes it, POSTs
 * each, and records the attempt. A 2xx delivers; anything else (or no answer) is retried after an exponentially
 * growing, capped wait, for as long as it takes. Wakes on the commit-time {@code NOTIFY webhook_delivery} and polls as
 * a safety net. A replica that dies holding a lease leaves it to expire; the delivery is then taken again.
 */
@ApplicationScoped
public class WebhookDeliveryWorker {

    private static final Logger LOG = Logger.getLogger(WebhookDeliveryWorker.class);
    private static final int MAX_ERROR_LENGTH = 500;

    private static final String CLAIM = """
            update webhook_delivery d
               set leased_until = now() + make_interval(secs => $2), attempts = d.attempts + 1
              from webhook_subscription s
             where s.id = d.subscription_id
               and d.id in (select c.id from webhook_delivery c
                             where c.state = 'PENDING' and not c.waiting and c.next_attempt_at <= now()
                               and (c.leased_until is null or c.leased_until < now())
                               and not exists (select 1 from webhook_delivery e
                                                where e.subscription_id = c.subscription_id
                                                  and e.lead_id = c.lead_id and e.state = 'PENDING'
                                                  and (e.sequence < c.sequence
                                                       or (e.sequence = c.sequence and e.id < c.id)))
                             order by c.next_attempt_at, c.id
                             limit $1
                             for update of c skip locked)
            returning d.id, d.event_id, d.payload, d.attempts, s.url, s.secret, d.subscription_id, d.lead_id
            """;

    /** The next delivery of the (subscription, lead) after one was delivered stops waiting. */
    private static final String RELEASE_NEXT = """
            update webhook_delivery set waiting = false
             where id = (select n.id from webhook_delivery n
                          where n.subscription_id = $1 and n.lead_id = $2 and n.state = 'PENDING'
                          order by n.sequence, n.id limit 1)
               and waiting
            """;

    /**
     * The safety net of {@link #RELEASE_NEXT}: a delivery the fan-out inserted as waiting while the one before it was
     * being delivered (the release ran before the fan-out committed, so it could not see it) has nothing to wait for.
     * Such a delivery is at most as old as the longest lead transaction; the net looks back {@link #REPAIR_WINDOW}.
     */
    private static final String REPAIR = """
            update webhook_delivery c set waiting = false
             where c.state = 'PENDING' and c.waiting and c.created_at > now() - make_interval(secs => $1)
               and not exists (select 1 from webhook_delivery e
                                where e.subscription_id = c.subscription_id
                                  and e.lead_id = c.lead_id and e.state = 'PENDING'
                                  and (e.sequence < c.sequence
                                       or (e.sequence = c.sequence and e.id < c.id)))
            """;
    private static final Duration REPAIR_EVERY = Duration.ofSeconds(30);
    private static final Duration REPAIR_WINDOW = Duration.ofMinutes(10);

    private volatile long nextRepair = System.nanoTime();

    private final Pool pool;
    private final Vertx vertx;
    private final Pollers pollers;
    private final TargetGuard guard;
    private final LeadMetrics metrics;
    private final WebhookConfig.Delivery config;
    private HttpClient http;
    private WokenPoller poller;

    public WebhookDeliveryWorker(Pool pool, Vertx vertx, Pollers pollers, TargetGuard guard, WebhookConfig config,
            LeadMetrics metrics) {
        this.pool = pool;
        this.vertx = vertx;
        this.pollers = pollers;
        this.guard = guard;
        this.metrics = metrics;
        this.config = config.delivery();
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Webhook delivery disabled on this replica");
            return;
        }
        int timeout = (int) config.timeout().toMillis();
        http = vertx.createHttpClient(new HttpClientOptions().setConnectTimeout(timeout).setMaxPoolSize(32)
                .setKeepAlive(true));
        poller = pollers.startListening("Webhook delivery", config.pollInterval(), "webhook_delivery",
                () -> round().map(taken -> taken > 0));
    }

    record Claimed(long id, UUID eventId, String payload, int attempts, String url, String secret,
            UUID subscriptionId, UUID leadId) {
    }

    record Outcome(Integer status, String error, long durationMs) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    // The one place lead-service works on the Vert.x pool instead of a Hibernate Reactive session (see service's
    // package-info): a round posts up to 16 deliveries at once and records each attempt in a short transaction of its
    // own as its answer arrives. A session belongs to the Vert.x context it was opened on and runs one statement at a
    // time, so 16 concurrent transactions on the poller's context cannot share it; pool connections can.
    private Uni<Integer> round() {
        return repairIfDue().chain(this::deliverBatch);
    }

    /** Every {@link #REPAIR_EVERY}, the deliveries left waiting for nothing stop waiting (see {@link #REPAIR}). */
    private Uni<Void> repairIfDue() {
        long now = System.nanoTime();
        if (now - nextRepair < 0) {
            return Uni.createFrom().voidItem();
        }
        nextRepair = now + REPAIR_EVERY.toNanos();
        return pool.preparedQuery(REPAIR).execute(Tuple.of((double) REPAIR_WINDOW.toSeconds()))
                .invoke(rows -> {
                    if (rows.rowCount() > 0) {
                        LOG.infof("%d webhook deliveries were waiting for a delivery already made; released",
                                rows.rowCount());
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Integer> deliverBatch() {
        long leaseSeconds = config.timeout().toSeconds() * 2 + 30;
        return pool.withTransaction(connection -> connection.preparedQuery(CLAIM)
                .execute(Tuple.of(config.batchSize(), (double) leaseSeconds)))
                .chain(rows -> {
                    List<Claimed> claimed = new ArrayList<>();
                    for (Row row : rows) {
                        claimed.add(new Claimed(row.getLong("id"), row.getUUID("event_id"), row.getString("payload"),
                                row.getInteger("attempts"), row.getString("url"), row.getString("secret"),
                                row.getUUID("subscription_id"), row.getUUID("lead_id")));
                    }
                    if (claimed.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    return Multi.createFrom().iterable(claimed)
                            .onItem().transformToUni(c -> attempt(c).chain(outcome -> record(c, outcome)))
                            .merge(16)
                            .collect().last()
                            .replaceWith(claimed.size());
                });
    }

    private Uni<Outcome> attempt(Claimed delivery) {
        long started = System.nanoTime();
        return guard.check(delivery.url())
                .chain(checked -> checked.refusal() != null
                        ? Uni.createFrom().item(new Outcome(null, "refused: " + checked.refusal(), 0))
                        : post(delivery, checked, started))
                .onFailure().recoverWithItem(failure -> new Outcome(null, describe(failure),
                        Duration.ofNanos(System.nanoTime() - started).toMillis()));
    }

    /**
     * The POST of one delivery, to the address the guard checked: the URL gives Host, TLS server name and path, but the
     * connection goes to {@code checked.address()}, so no second name lookup can lead it elsewhere.
     */
    static RequestOptions request(Claimed delivery, TargetGuard.Checked checked, Duration timeout, long nowSeconds) {
        return new RequestOptions()
                .setMethod(HttpMethod.POST)
                .setAbsoluteURI(delivery.url())
                .setServer(SocketAddress.inetSocketAddress(checked.address()))
                .setFollowRedirects(false)
                .setTimeout(timeout.toMillis())
                .putHeader("Content-Type", "application/json")
                .putHeader("User-Agent", "leadsuite-webhooks/1")
                .putHeader(WebhookSignature.EVENT_ID_HEADER, delivery.eventId().toString())
                .putHeader(WebhookSignature.HEADER, WebhookSignature.header(delivery.secret(), nowSeconds,
                        delivery.payload()));
    }

    private Uni<Outcome> post(Claimed delivery, TargetGuard.Checked checked, long started) {
        RequestOptions request = request(delivery, checked, config.timeout(), Instant.now().getEpochSecond());
        return http.request(request)
                .chain(req -> req.send(Buffer.buffer(delivery.payload())))
                .chain(response -> response.end().replaceWith(response.statusCode()))
                .ifNoItem().after(config.timeout().plusSeconds(1)).fail()
                .map(status -> new Outcome(status, status >= 200 && status < 300 ? null : "HTTP " + status,
                        Duration.ofNanos(System.nanoTime() - started).toMillis()));
    }

    private Uni<Void> record(Claimed delivery, Outcome outcome) {
        metrics.webhookAttempt(outcome.delivered());
        Tuple attempt = Tuple.of(delivery.id(), outcome.status(), truncate(outcome.error()), outcome.durationMs());
        if (outcome.delivered()) {
            return pool.withTransaction(connection -> connection.preparedQuery(
                    "insert into webhook_attempt (delivery_id, at, status, error, duration_ms) "
                            + "values ($1, now(), $2, $3, $4)")
                    .execute(attempt)
                    .chain(() -> connection.preparedQuery("update webhook_delivery set state = 'DELIVERED', "
                            + "delivered_at = now(), leased_until = null, last_status = $2, last_error = null "
                            + "where id = $1 and state = 'PENDING'")
                            .execute(Tuple.of(delivery.id(), outcome.status())))
                    .chain(() -> connection.preparedQuery(RELEASE_NEXT)
                            .execute(Tuple.of(delivery.subscriptionId(), delivery.leadId()))))
                    .replaceWithVoid();
        }
        double backoff = backoff(delivery.attempts()).toMillis() / 1000.0;
        LOG.debugf("Webhook delivery %d (event %s) attempt %d failed: %s; next in %.1f s", delivery.id(),
                delivery.eventId(), delivery.attempts(), outcome.error(), backoff);
        return pool.withTransaction(connection -> connection.preparedQuery(
                "insert into webhook_attempt (delivery_id, at, status, error, duration_ms) values ($1, now(), $2, $3, $4)")
                .execute(attempt)
                .chain(() -> connection.preparedQuery("update webhook_delivery set leased_until = null, "
                        + "next_attempt_at = now() + make_interval(secs => $2), last_status = $3, last_error = $4 "
                        + "where id = $1 and state = 'PENDING'")
                        .execute(Tuple.of(delivery.id(), backoff, outcome.status(), truncate(outcome.error())))))
                .replaceWithVoid();
    }

    /** The wait after the n-th failed attempt: initial, doubling, capped. */
    Duration backoff(int failedAttempts) {
        return backoff(config.initialBackoff(), config.maxBackoff(), failedAttempts);
    }

    static Duration backoff(Duration initial, Duration max, int failedAttempts) {
        int doublings = Math.max(0, Math.min(failedAttempts - 1, 30));
        Duration wait = initial.multipliedBy(1L << doublings);
        return wait.compareTo(max) > 0 || wait.isNegative() ? max : wait;
    }

    /**
     * What the delivery log says about a failed attempt: a category, never the exception's text (which can name internal
     * addresses and host names); the details go to this service's debug log.
     */
    static String describe(Throwable failure) {
        LOG.debugf(failure, "Webhook attempt failed");
        for (Throwable t = failure; t != null; t = t.getCause()) {
            String type = t.getClass().getName();
            String message = t.getMessage() == null ? "" : t.getMessage().toLowerCase(java.util.Locale.ROOT);
            if (type.contains("Timeout") || t instanceof java.net.SocketTimeoutException) {
                return "timed out";
            }
            if (t instanceof java.net.ConnectException) {
                return message.contains("refused") ? "connection refused" : "connection failed";
            }
            if (t instanceof javax.net.ssl.SSLException) {
                return "TLS handshake failed";
            }
            if (t instanceof java.net.UnknownHostException) {
                return "host does not resolve";
            }
            if (message.contains("connection was closed") || message.contains("connection reset")) {
                return "connection closed";
            }
        }
        return "connection failed";
    }

    private static String truncate(String error) {
        return error == null || error.length() <= MAX_ERROR_LENGTH ? error : error.substring(0, MAX_ERROR_LENGTH);
    }

}
