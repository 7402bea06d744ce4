package io.leadsuite.kit.outbox;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.kit.poller.Pollers;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * The outbox's backlog as gauges: how many messages wait to be sent and how old the oldest is. A relay that keeps up
 * holds both near zero; a growing age with a broker that is up means the relay is stuck, with the broker down it is
 * the outage's length. Counted every {@link OutboxConfig#backlogInterval()} (one small statement), not at scrape
 * time, so that a scrape never waits on the database; unknown (NaN) while the database does not answer.
 */
@ApplicationScoped
public class OutboxBacklog {

    private static final Logger LOG = Logger.getLogger(OutboxBacklog.class);

    private final Pool pool;
    private final Pollers pollers;
    private final OutboxConfig config;
    private volatile double waiting = Double.NaN;
    private volatile double oldestAgeSeconds = Double.NaN;

    public OutboxBacklog(Pool pool, Pollers pollers, OutboxConfig config, MeterRegistry registry) {
        this.pool = pool;
        this.pollers = pollers;
        this.config = config;
        Gauge.builder("leadsuite.outbox.waiting", this, b -> b.waiting)
                .description("Messages committed to the outbox and not yet accepted by the broker").register(registry);
        Gauge.builder("leadsuite.outbox.oldest.age", this, b -> b.oldestAgeSeconds).baseUnit("seconds")
                .description("Age of the oldest message waiting in the outbox (0 when none waits)").register(registry);
    }

    void start(@Observes StartupEvent event) {
        pollers.start("Outbox backlog", config.backlogInterval(), this::count);
    }

    private Uni<Boolean> count() {
        return pool.query("select count(*), coalesce(extract(epoch from now() - min(created_at)), 0) "
                + "from outbox_message").execute()
                .map(rows -> {
                    Row row = rows.iterator().next();
                    waiting = row.getLong(0);
                    oldestAgeSeconds = row.getNumeric(1).doubleValue();
                    return false;
                })
                .onFailure().recoverWithItem(failure -> {
                    LOG.debugf("Outbox backlog not counted: %s", failure.toString());
                    waiting = Double.NaN;
                    oldestAgeSeconds = Double.NaN;
                    return false;
                });
    }
}
