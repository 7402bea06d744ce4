package io.leadsuite.kit.retention;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.inject.Instance;

import org.jboss.logging.Logger;

import io.leadsuite.kit.poller.Pollers;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Deletes rows that would otherwise only grow: applied message ids ({@code processed_message}), stored answers of
 * idempotent requests ({@code idempotent_request}), and whatever the service adds as {@link RetentionRule} beans. Runs
 * as a poller ({@link Pollers}) every {@link RetentionConfig#interval()}; each rule deletes in batches of
 * {@link RetentionConfig#batchSize()} rows, one short transaction each, and the pass goes round again while a rule
 * still fills a batch.
 */
@ApplicationScoped
public class Retention {

    private static final Logger LOG = Logger.getLogger(Retention.class);
    /** The 24 hours within which IdempotentRequests answers a repeat from the stored answer. */
    static final Duration IDEMPOTENCY_WINDOW = Duration.ofHours(24);

    private final Pool pool;
    private final Pollers pollers;
    private final RetentionConfig config;
    private final List<RetentionRule> rules;

    public Retention(Pool pool, Pollers pollers, RetentionConfig config, Instance<RetentionRule> serviceRules) {
        this.pool = pool;
        this.pollers = pollers;
        this.config = config;
        List<RetentionRule> all = new ArrayList<>();
        all.add(rule("processed messages", "delete from processed_message where message_id = any(array(select "
                + "message_id from processed_message where processed_at < now() - " + interval(config.processedMessages())
                + " limit $1 for update skip locked))"));
        Duration answers = config.idempotentRequests().compareTo(IDEMPOTENCY_WINDOW) < 0 ? IDEMPOTENCY_WINDOW
                : config.idempotentRequests();
        // Its key is two columns, which "= any(array(...))" cannot express (RetentionRule): "in (select ...)" it is.
        // Planned at each run (below), it takes the expired keys from the created_at index and deletes each row by
        // the primary key (a nested loop: 3.5 ms for 500 expired rows of a 1,000,000-row table, benchmarks/RESULTS.md,
        // 2026-12-07 thirteenth session), no scan of the table.
        all.add(rule("idempotent answers", "delete from idempotent_request where (operation, key) in (select "
                + "operation, key from idempotent_request where created_at < now() - " + interval(answers)
                + " limit $1 for update skip locked)"));
        serviceRules.forEach(all::add);
        this.rules = List.copyOf(all);
    }

    /** Every rule, the kit's first, in the order a pass runs them. */
    public List<RetentionRule> rules() {
        return rules;
    }

    /** {@code make_interval(secs => n)} for a duration: a literal number, never text from outside. */
    public static String interval(Duration duration) {
        return "make_interval(secs => " + Math.max(0, duration.toSeconds()) + ")";
    }

    /** A rule from its name and statement. */
    public static RetentionRule rule(String name, String deleteBatch) {
        return new RetentionRule() {
            @Override
            public String name() {
                return name;
            }

            @Override
            public String deleteBatch() {
                return deleteBatch;
            }
        };
    }

    void start(@Observes StartupEvent event) {
        if (!config.enabled()) {
            LOG.info("Retention job disabled on this replica");
            return;
        }
        pollers.start("Retention", config.interval(),
                () -> pass().map(deleted -> deleted.values().stream().anyMatch(n -> n >= config.batchSize())));
    }

    /** One batch of every rule, in order; the rows each deleted, by rule name. */
    public Uni<Map<String, Long>> pass() {
        Map<String, Long> deleted = new LinkedHashMap<>();
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (RetentionRule rule : rules) {
            // planned at every run from the table as it is (force_custom_plan): the generic plan a prepared statement
            // caches is made once per connection, while a table may still be nearly empty, and a sequential scan of
            // it then stays the plan when the table has grown (seen for interaction, RetentionTest)
            chain = chain.chain(() -> pool.withTransaction(connection -> connection
                    .query("set local plan_cache_mode = force_custom_plan").execute()
                    .chain(() -> connection.preparedQuery(rule.deleteBatch()).execute(Tuple.of(config.batchSize()))))
                    .invoke(rows -> {
                        deleted.put(rule.name(), (long) rows.rowCount());
                        if (rows.rowCount() > 0) {
                            LOG.debugf("Retention: %d %s deleted", rows.rowCount(), rule.name());
                        }
                    }).replaceWithVoid());
        }
        return chain.replaceWith(deleted);
    }

    /** Runs passes until no rule fills a batch; the rows each rule deleted in all. */
    public Uni<Map<String, Long>> untilDone() {
        Map<String, Long> total = new LinkedHashMap<>();
        return pass().invoke(deleted -> deleted.forEach((name, n) -> total.merge(name, n, Long::sum)))
                .repeat().until(deleted -> deleted.values().stream().noneMatch(n -> n >= config.batchSize()))
                .collect().last().replaceWith(total);
    }
}
