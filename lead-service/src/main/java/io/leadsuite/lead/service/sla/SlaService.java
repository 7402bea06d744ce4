package io.leadsuite.lead.service.sla;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadSlaBreached;
import io.leadsuite.kit.sql.HqlIn;
import io.leadsuite.lead.config.SlaConfig;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.repository.StageSlaRepository;
import io.leadsuite.lead.repository.StageSlaRepository.Breach;
import io.leadsuite.lead.repository.StageSlaRepository.OverdueLead;
import io.leadsuite.lead.service.FlowCatalog;
import io.leadsuite.lead.service.LeadEvents;
import io.leadsuite.lead.service.LeadMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.smallrye.mutiny.Uni;

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

    @Inject
    FlowCatalog flows;
    @Inject
    LeadEvents events;
    @Inject
    SlaConfig config;
    @Inject
    StageSlaRepository slas;
    @Inject
    LeadMetrics metrics;

    /**
     * Records (or clears) the deadline of the stage the lead entered, if it is still in it. A lead without a deadline
     * ({@link Lead#hasStageDeadline}, as loaded, then as this transaction wrote) has none to clear: most stage entries
     * into a stage without an SLA write nothing. The flag is right when read: the database sets it with every deadline
     * written, whoever writes it (V93's trigger); a deadline is written with a stage entry, which changes the lead, and
     * so does this transaction, so a deadline another transaction wrote after this one loaded the lead makes this one
     * fail on the lead's version (or the lead was locked when loaded). Only a deadline written by hand without touching
     * the lead, after the lead was loaded, could be missed, and then by that one transaction.
     *
     * @param created the lead was just created: it has no deadline to clear
     */
    public Uni<Void> stageEntered(Lead lead, String stage, Instant at, boolean created) {
        if (!stage.equals(lead.stage)) {
            return Uni.createFrom().voidItem();
        }
        return flows.get(lead.flowId, lead.flowVersion).chain(flow -> {
            Integer hours = flow.stage(stage).map(s -> s.slaHours()).orElse(null);
            if (hours != null && hours > 0) {
                return slas.entered(lead.id, stage, hours, at).invoke(() -> lead.hasStageDeadline = true);
            }
            if (created || !lead.hasStageDeadline) {
                return Uni.createFrom().voidItem();
            }
            return slas.cleared(lead.id, at).invoke(none -> lead.hasStageDeadline = !none).replaceWithVoid();
        });
    }

    /** Open leads overdue in their current stage, longest overdue first; a null team does not filter. */
    @WithSession
    public Uni<List<OverdueLead>> overdue(String team, int limit) {
        return slas.overdue(team, limit);
    }

    /** Flags one batch of overdue leads; answers how many ({@code LeadScans} runs it). */
    public Uni<Integer> scan() {
        return Panache.withTransaction(() -> slas.takeOverdue(config.batchSize()).chain(taken -> {
            if (taken.isEmpty()) {
                return Uni.createFrom().item(0);
            }
            Map<UUID, Breach> due = new LinkedHashMap<>();
            taken.forEach(breach -> due.put(breach.leadId(), breach));
            Instant now = Instant.now();
            return slas.flagBreached(due.keySet(), now)
                    .chain(() -> Lead.<Lead> list("id " + HqlIn.in(1, due.keySet()), HqlIn.values(due.keySet())))
                    .chain(leads -> {
                        Uni<Void> chain = Uni.createFrom().voidItem();
                        for (Lead lead : leads) {
                            chain = chain.chain(() -> breached(lead, due.get(lead.id), now));
                        }
                        return chain;
                    })
                    .replaceWith(due.size());
        }))
                // counted once the breaches are committed
                .invoke(metrics::slaBreached);
    }

    private Uni<Void> breached(Lead lead, Breach sla, Instant now) {
        LeadHistoryEntry entry = LeadHistoryEntry.of(lead, now, LeadHistoryEntry.Kind.SLA_BREACHED, sla.stage(),
                sla.stage(), Cause.SYSTEM, ACTOR, "Overdue: in " + sla.stage() + " since " + sla.entered() + ", SLA "
                        + sla.hours() + " h (due " + sla.due() + ")");
        return events.recorded(lead, entry, EventTypes.LEAD_SLA_BREACHED, now, new LeadSlaBreached(lead.id,
                lead.contactId, sla.stage(), lead.team, lead.owner, sla.hours(), sla.entered(), sla.due()));
    }
}
