package io.leadsuite.kit.poller;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import org.jboss.logging.Logger;

import io.quarkus.vertx.core.runtime.context.VertxContextSafetyToggle;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Context;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.pgclient.pubsub.PgSubscriber;
import io.vertx.pgclient.PgConnectOptions;

/**
 * The one way a service runs background work that comes in passes (the outbox relay, webhook deliveries, SLA and
 * nurture scans): a pass runs when the poller is woken (in-process, or by a PostgreSQL {@code NOTIFY} at another
 * replica's commit) and on a timer as a safety net. Never two passes at once on one replica; a wake that comes during
 * a pass, or a pass that says there is more, makes it go round again at once. Each pass runs on a fresh duplicated
 * Vert.x context marked safe, so a Hibernate Reactive session (Panache) works in it.
 */
public final class WokenPoller {

    private static final Logger LOG = Logger.getLogger(WokenPoller.class);

    private final Vertx vertx;
    private final String name;
    private final Supplier<Uni<Boolean>> pass;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean again = new AtomicBoolean();
    private volatile boolean stopped;
    private long timer = -1;
    private PgSubscriber subscriber;

    private WokenPoller(Vertx vertx, String name, Supplier<Uni<Boolean>> pass) {
        this.vertx = vertx;
        this.name = name;
        this.pass = pass;
    }

    /**
     * Starts polling every {@code interval} (and runs a first pass at once).
     *
     * @param pass one pass of work; its item says whether there is more to do right away (a full batch)
     */
    public static WokenPoller start(Vertx vertx, String name, Duration interval, Supplier<Uni<Boolean>> pass) {
        WokenPoller poller = new WokenPoller(vertx, name, pass);
        poller.timer = vertx.setPeriodic(interval.toMillis(), id -> poller.wake());
        poller.wake();
        return poller;
    }

    /** Also wakes on {@code NOTIFY channel} (a trigger at commit); polling alone if notifications are unavailable. */
    public WokenPoller listen(PgConnectOptions database, String channel) {
        subscriber = PgSubscriber.subscriber(vertx, database).reconnectPolicy(retries -> 1000L);
        subscriber.channel(channel).handler(payload -> wake());
        subscriber.connect().subscribe().with(ignored -> wake(),
                failure -> LOG.warnf("%s: notifications unavailable, polling only: %s", name, describe(failure)));
        return this;
    }

    /** Asks for a pass; if one is running, it goes round once more when it ends. */
    public void wake() {
        if (stopped) {
            return;
        }
        if (!running.compareAndSet(false, true)) {
            again.set(true);
            return;
        }
        again.set(false);
        Context context = VertxContext.createNewDuplicatedContext(vertx.getDelegate().getOrCreateContext());
        VertxContextSafetyToggle.setContextSafe(context, true);
        context.runOnContext(ignored -> Uni.createFrom().deferred(pass::get).subscribe().with(more -> {
            running.set(false);
            if (Boolean.TRUE.equals(more) || again.get()) {
                wake();
            }
        }, failure -> {
            running.set(false);
            LOG.warnf("%s failed, will retry: %s", name, describe(failure));
        }));
    }

    /**
     * A failure as an operator needs to read it: its type and message, and its cause's. A time-out has no message: a
     * relay that waited 10 s for a broker that was not there used to log only "null".
     */
    static String describe(Throwable failure) {
        StringBuilder text = new StringBuilder();
        Throwable t = failure;
        for (int depth = 0; t != null && depth < 3; depth++, t = t.getCause() == t ? null : t.getCause()) {
            if (depth > 0) {
                text.append("; caused by ");
            }
            text.append(t.getClass().getName());
            if (t.getMessage() != null) {
                text.append(": ").append(t.getMessage());
            }
        }
        return text.toString();
    }

    public void stop() {
        stopped = true;
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
        if (subscriber != null) {
            subscriber.closeAndForget();
        }
    }
}
