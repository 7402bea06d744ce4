package io.leadsuite.lead.service.sla;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.FlushModeType;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadSlaBreached;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.lead.config.SlaConfig;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.service.FlowCatalog;
import io.leadsuite.lead.service.LeadEvents;
import io.leadsuite.lead.service.LeadMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Stage SLAs: when a lead enters a stage whose flow gives it {@code slaHours}, its deadline is recorded (in the
 * transaction that records the stage entry); a periodic scan takes overdue leads still in that stage with
 * {@code FOR UPDATE SKIP LOCKED} (replicas share the work, none flags one twice, none waits for a lead that a request
 * holds), marks them breached, writes a history line and publishes {@code lead.sla-breached}, once per stay in the
 * stage.
 */
@ApplicationScoped
public class SlaService {

    public static final String ACTOR = "sla";

    private final FlowCatalog flows;
    private final Vertx vertx;
    private final LeadEvents events;
    private final SlaConfig config;
    private final LeadMetrics metrics;
    private WokenPoller scanner;

    public SlaService(FlowCatalog flows, Vertx vertx, LeadEvents events, SlaConfig config, LeadMetrics metrics) {
        this.flows = flows;
        this.vertx = vertx;
        this.events = events;
        this.config = config;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent event) {
        if (config.enabled()) {
            scanner = WokenPoller.start(vertx, "SLA scan", config.scanInterval(),
                    () -> scan().map(flagged -> flagged == config.batchSize()));
        }
    }

    void stop(@Observes ShutdownEvent event) {
        if (scanner != null) {
            scanner.stop();
        }
    }

    /**
     * Records (or clears) the deadline of the stage the lead entered, if it is still in it.
     *
     * @param created the lead was just created: it has no deadline to clear
     */
    public Uni<Void> stageEntered(Lead lead, String stage, Instant at, boolean created) {
        if (!stage.equals(lead.stage)) {
            return Uni.createFrom().voidItem();
        }
        return flows.get(lead.flowId, lead.flowVersion).chain(flow -> {
            Integer hours = flow.stage(stage).map(s -> s.slaHours()).orElse(null);
            if (created && (hours == null || hours <= 0)) {
                return Uni.createFrom().voidItem();
            }
            return Panache.getSession().chain(session -> (hours == null || hours <= 0
                    ? session.createNativeQuery("delete from lead_stage_sla where lead_id = ?1 and entered_at <= ?2")
                            .setParameter(1, lead.id).setParameter(2, at)
                    : session.createNativeQuery("insert into lead_stage_sla (lead_id, stage, sla_hours, entered_at, "
                            + "due_at) values (?1, ?2, ?3, ?4, ?5) on conflict (lead_id) do update set "
                            + "stage = excluded.stage, sla_hours = excluded.sla_hours, entered_at = "
                            + "excluded.entered_at, due_at = excluded.due_at, breached_at = null "
                            + "where lead_stage_sla.entered_at <= excluded.entered_at")
                            .setParameter(1, lead.id).setParameter(2, stage).setParameter(3, hours)
                            .setParameter(4, at).setParameter(5, at.plus(Duration.ofHours(hours))))
                    .setFlushMode(FlushModeType.COMMIT).executeUpdate())
                    .replaceWithVoid();
        });
    }

    /** Flags one batch of overdue leads; answers how many. */
    Uni<Integer> scan() {
        return Panache.withTransaction(() -> Panache.getSession().chain(session -> session.createNativeQuery("""
                select s.lead_id, s.stage, s.sla_hours,
                       cast(extract(epoch from s.entered_at) * 1000 as bigint),
                       cast(extract(epoch from s.due_at) * 1000 as bigint)
                  from lead_stage_sla s join lead l on l.id = s.lead_id
                 where s.breached_at is null and s.due_at <= now() and l.stage = s.stage
                   and l.status in ('OPEN', 'ACCEPTED')
                 order by s.due_at limit ?1
                 for update of s, l skip locked""", Object[].class).setParameter(1, config.batchSize())
                .getResultList()
                .chain(rows -> {
                    if (rows.isEmpty()) {
                        return Uni.createFrom().item(0);
                    }
                    Map<UUID, Object[]> due = new LinkedHashMap<>();
                    rows.forEach(row -> due.put((UUID) row[0], row));
                    Instant now = Instant.now();
                    return session.createNativeQuery("update lead_stage_sla set breached_at = ?2 where lead_id in (?1)")
                            .setParameter(1, due.keySet()).setParameter(2, now).executeUpdate()
                            .chain(() -> Lead.<Lead> list("id in ?1", due.keySet()))
                            .chain(leads -> {
                                Uni<Void> chain = Uni.createFrom().voidItem();
                                for (Lead lead : leads) {
                                    chain = chain.chain(() -> breached(lead, due.get(lead.id), now));
                                }
                                return chain;
                            })
                            .replaceWith(due.size());
                })))
                // counted once the breaches are committed
                .invoke(metrics::slaBreached);
    }

    private Uni<Void> breached(Lead lead, Object[] sla, Instant now) {
        String stage = (String) sla[1];
        int hours = ((Number) sla[2]).intValue();
        Instant entered = Instant.ofEpochMilli(((Number) sla[3]).longValue());
        Instant dueAt = Instant.ofEpochMilli(((Number) sla[4]).longValue());
        LeadHistoryEntry entry = LeadHistoryEntry.of(lead, now, LeadHistoryEntry.Kind.SLA_BREACHED, stage, stage,
                Cause.SYSTEM, ACTOR, "Overdue: in " + stage + " since " + entered + ", SLA " + hours + " h (due "
                        + dueAt + ")");
        return events.recorded(lead, entry, EventTypes.LEAD_SLA_BREACHED, now, new LeadSlaBreached(lead.id,
                lead.contactId, stage, lead.team, lead.owner, hours, entered, dueAt));
    }
}
