package io.leadsuite.lead.service.webhook;

import java.time.Duration;
import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.lead.config.WebhookConfig;
import io.leadsuite.lead.repository.WebhookRepository;
import io.leadsuite.lead.repository.WebhookRepository.Claimed;
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

    private static final Duration REPAIR_EVERY = Duration.ofSeconds(30);
    private static final Duration REPAIR_WINDOW = Duration.ofMinutes(10);

    private volatile long nextRepair = System.nanoTime();

    private final WebhookRepository repository;
    private final Vertx vertx;
    private final Pollers pollers;
    private final TargetGuard guard;
    private final LeadMetrics metrics;
    private final WebhookConfig.Delivery config;
    private HttpClient http;
    private WokenPoller poller;

    public WebhookDeliveryWorker(WebhookRepository repository, Vertx vertx, Pollers pollers, TargetGuard guard,
            WebhookConfig config, LeadMetrics metrics) {
        this.repository = repository;
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

    record Outcome(Integer status, String error, long durationMs) {
        boolean delivered() {
            return status != null && status >= 200 && status < 300;
        }
    }

    // Where lead-service works on the Vert.x pool instead of a Hibernate Reactive session (the delivery statements
    // of WebhookRepository; see service's package-info): a round posts up to 16 deliveries at once and records each
    // attempt in a short transaction of its own as its answer arrives. A session belongs to the Vert.x context it was
    // opened on and runs one statement at a time, so 16 concurrent transactions on the poller's context cannot share
    // it; pool connections can.
    private Uni<Integer> round() {
        return repairIfDue().chain(this::deliverBatch);
    }

    /**
     * Every {@link #REPAIR_EVERY}, the deliveries of the last {@link #REPAIR_WINDOW} left waiting for nothing stop
     * waiting: a delivery the fan-out inserted as waiting while the one before it was being delivered (the release ran
     * before the fan-out committed, so it could not see it). Such a delivery is at most as old as the longest lead
     * transaction.
     */
    private Uni<Void> repairIfDue() {
        long now = System.nanoTime();
        if (now - nextRepair < 0) {
            return Uni.createFrom().voidItem();
        }
        nextRepair = now + REPAIR_EVERY.toNanos();
        return repository.releaseWaitingForNothing(REPAIR_WINDOW)
                .invoke(released -> {
                    if (released > 0) {
                        LOG.infof("%d webhook deliveries were waiting for a delivery already made; released",
                                released);
                    }
                })
                .replaceWithVoid();
    }

    private Uni<Integer> deliverBatch() {
        long leaseSeconds = config.timeout().toSeconds() * 2 + 30;
        return repository.claim(config.batchSize(), leaseSeconds)
                .chain(claimed -> {
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
        if (outcome.delivered()) {
            return repository.delivered(delivery, outcome.status(), truncate(outcome.error()), outcome.durationMs());
        }
        double backoff = backoff(delivery.attempts()).toMillis() / 1000.0;
        LOG.debugf("Webhook delivery %d (event %s) attempt %d failed: %s; next in %.1f s", delivery.id(),
                delivery.eventId(), delivery.attempts(), outcome.error(), backoff);
        return repository.failed(delivery, outcome.status(), truncate(outcome.error()), outcome.durationMs(),
                backoff);
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
