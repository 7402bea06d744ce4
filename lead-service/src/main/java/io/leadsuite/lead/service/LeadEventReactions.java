package io.leadsuite.lead.service;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.service.nurture.NurtureService;
import io.leadsuite.lead.service.routing.RoutingService;
import io.leadsuite.lead.service.sla.SlaService;
import io.smallrye.mutiny.Uni;

/**
 * What follows a lead event inside lead-service, in the transaction that records the event (domain events handled
 * in-process, as the outbox row is written; {@link LeadEvents} writes its webhook deliveries with it): a lead entering
 * a stage (lead.created, lead.stage-changed) is routed, gets the stage's SLA deadline and fires the stage's nurture
 * triggers. Atomic with the change: there is nothing to redeliver, count twice or lose, and no second
 * trip through the broker.
 */
@ApplicationScoped
public class LeadEventReactions {

    @Inject
    RoutingService routing;
    @Inject
    SlaService sla;
    @Inject
    NurtureService nurture;

    /** Runs after {@code event} of {@code lead} was written to the outbox, in the same transaction. */
    Uni<Void> followed(Lead lead, Envelope<?> event) {
        String stage = enteredStage(event);
        if (stage == null) {
            return Uni.createFrom().voidItem();
        }
        // routing first: it may assign the lead, which the SLA and nurture then see
        return routing.stageEntered(lead, stage)
                .chain(() -> sla.stageEntered(lead, stage, event.time(), event.data() instanceof LeadCreated))
                .chain(() -> nurture.stageEntered(lead, stage, event.id()));
    }

    /** The stage a lead entered with this event, or null if it entered none. */
    static String enteredStage(Envelope<?> event) {
        if (event.data() instanceof LeadCreated created) {
            return created.stage();
        }
        if (event.data() instanceof LeadStageChanged changed) {
            return changed.to();
        }
        return null;
    }
}
