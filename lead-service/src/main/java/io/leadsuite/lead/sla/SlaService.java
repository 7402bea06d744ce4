package io.leadsuite.lead.sla;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadSlaBreached;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.event.DirectLeadEvents;
import io.leadsuite.lead.service.FlowCatalog;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Stage SLAs: when a lead enters a stage whose flow gives it {@code slaHours}, its deadline is recorded (in the
 * consumer's transaction of the stage event); a periodic scan takes overdue leads still in that stage with
 * {@code FOR UPDATE SKIP LOCKED} (replicas share the work, none flags one twice), marks them breached, writes a history
 * line and publishes {@code lead.sla-breached}, once per stay in the stage.
 */
@ApplicationScoped
public class SlaService {

    public static final String ACTOR = "sla";
    private static final Logger LOG = Logger.getLogger(SlaService.class);

    private final FlowCatalog flows;
    private final Pool pool;
    private final Vertx vertx;
    private final DirectLeadEvents events;
    private final SlaConfig config;
    private final AtomicBoolean scanning = new AtomicBoolean();
    private long timer = -1;

    public SlaService(FlowCatalog flows, Pool pool, Vertx vertx, DirectLeadEvents events, SlaConfig config) {
        this.flows = flows;
        this.pool = pool;
        this.vertx = vertx;
        this.events = events;
        this.config = config;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            timer = vertx.setPeriodic(config.scanInterval().toMillis(), id -> scanNow());
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (timer >= 0) {
            vertx.cancelTimer(timer);
        }
    }

    /** Records (or clears) the deadline of the stage the lead entered. Runs in the consumer's transaction. */
    public Uni<Void> stageEntered(UUID leadId, String stage, Instant at) {
        return Lead.<Lead> findById(leadId).chain(lead -> {
            if (lead == null) {
                return Uni.createFrom().voidItem();
            }
            return flows.get(lead.flowId, lead.flowVersion).chain(flow -> {
                Integer hours = flow.stage(stage).map(s -> s.slaHours()).orElse(null);
                return Panache.getSession().chain(session -> hours == null || hours <= 0
                        ? session.createNativeQuery("delete from lead_stage_sla where lead_id = ?1 and entered_at <= ?2")
                                .setParameter(1, leadId).setParameter(2, at).executeUpdate()
                        : session.createNativeQuery("insert into lead_stage_sla (lead_id, stage, sla_hours, entered_at, "
                                + "due_at) values (?1, ?2, ?3, ?4, ?5) on conflict (lead_id) do update set "
                                + "stage = excluded.stage, sla_hours = excluded.sla_hours, entered_at = "
                                + "excluded.entered_at, due_at = excluded.due_at, breached_at = null "
                                + "where lead_stage_sla.entered_at <= excluded.entered_at")
                                .setParameter(1, leadId).setParameter(2, stage).setParameter(3, hours)
                                .setParameter(4, at).setParameter(5, at.plus(Duration.ofHours(hours)))
                                .executeUpdate())
                        .replaceWithVoid();
            });
        });
    }

    /** Runs a scan unless one is running; returns at once. */
    public void scanNow() {
        if (!scanning.compareAndSet(false, true)) {
            return;
        }
        scan().subscribe().with(n -> scanning.set(false), failure -> {
            scanning.set(false);
            LOG.warnf("SLA scan failed, will retry: %s", failure.getMessage());
        });
    }

    Uni<Integer> scan() {
        return pool.withTransaction(connection -> connection.preparedQuery("""
                select s.lead_id, s.stage, s.sla_hours, s.entered_at, s.due_at
                  from lead_stage_sla s join lead l on l.id = s.lead_id
                 where s.breached_at is null and s.due_at <= now() and l.stage = s.stage
                   and l.status in ('OPEN', 'ACCEPTED')
                 order by s.due_at limit $1
                 for update of s skip locked""").execute(Tuple.of(config.batchSize())).chain(rows -> {
            List<Row> due = new ArrayList<>();
            rows.forEach(due::add);
            Uni<Void> chain = Uni.createFrom().voidItem();
            Instant now = Instant.now();
            for (Row row : due) {
                UUID leadId = row.getUUID("lead_id");
                String stage = row.getString("stage");
                int hours = row.getInteger("sla_hours");
                Instant entered = row.getOffsetDateTime("entered_at").toInstant();
                Instant dueAt = row.getOffsetDateTime("due_at").toInstant();
                chain = chain
                        .chain(() -> connection.preparedQuery(
                                "update lead_stage_sla set breached_at = $2 where lead_id = $1")
                                .execute(Tuple.of(leadId, now.atOffset(ZoneOffset.UTC))))
                        .chain(() -> DirectLeadEvents.history(connection, leadId, now, "SLA_BREACHED", stage, ACTOR,
                                "Overdue: in " + stage + " since " + entered + ", SLA " + hours + " h (due " + dueAt
                                        + ")"))
                        .chain(() -> events.publish(connection, leadId, EventTypes.LEAD_SLA_BREACHED, now,
                                lead -> new LeadSlaBreached(leadId, lead.getUUID("contact_id"), stage,
                                        lead.getString("team"), lead.getString("owner"), hours, entered, dueAt)));
            }
            return chain.replaceWith(due.size());
        }));
    }
}
