package io.leadsuite.lead.service;

import java.time.Instant;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadSalesReady;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadChange;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadHistoryEntry.Kind;
import io.smallrye.mutiny.Uni;

/**
 * Records what happens to a lead: a history entry and the matching event in the outbox, both in the caller's
 * transaction. The one place that turns lead changes into messages.
 */
@ApplicationScoped
public class LeadEvents {

    static final String SOURCE = "lead-service";

    private final Outbox outbox;

    public LeadEvents(Outbox outbox) {
        this.outbox = outbox;
    }

    public Uni<Void> created(Lead lead, Capture capture, String actor) {
        LeadCreated payload = new LeadCreated(lead.id, lead.contactId, lead.topic, lead.source, lead.sourceRef,
                lead.flowId, lead.stage, lead.status.name(), capture);
        return history(LeadHistoryEntry.of(lead.id, lead.createdAt, Kind.CREATED, null, lead.stage, Cause.SYSTEM,
                actor, capture == null ? "Created" : "Captured from " + describe(capture)))
                .chain(() -> publish(lead, EventTypes.LEAD_CREATED, lead.createdAt, payload));
    }

    public Uni<Void> captured(Lead lead, Capture capture, String actor) {
        LeadCaptured payload = new LeadCaptured(lead.id, lead.contactId, lead.topic, capture);
        return history(LeadHistoryEntry.of(lead.id, capture.at(), Kind.CAPTURED, lead.stage, lead.stage, Cause.SYSTEM,
                actor, "Captured again from " + describe(capture)))
                .chain(() -> publish(lead, EventTypes.LEAD_CAPTURED, capture.at(), payload));
    }

    public Uni<Void> changed(Lead lead, LeadChange change, Instant at) {
        if (change instanceof LeadChange.StageChanged stageChanged) {
            LeadStageChanged payload = new LeadStageChanged(lead.id, lead.contactId, lead.flowId,
                    stageChanged.from(), stageChanged.to(), lead.status.name(), change.cause().name(), change.actor(),
                    change.reason());
            return history(LeadHistoryEntry.of(lead.id, at, Kind.STAGE_CHANGED, stageChanged.from(), stageChanged.to(),
                    change.cause(), change.actor(), change.reason()))
                    .chain(() -> publish(lead, EventTypes.LEAD_STAGE_CHANGED, at, payload));
        }
        LeadChange.BecameSalesReady salesReady = (LeadChange.BecameSalesReady) change;
        LeadSalesReady payload = new LeadSalesReady(lead.id, lead.contactId, lead.topic, salesReady.by(), lead.stage);
        return history(
                LeadHistoryEntry.of(lead.id, at, Kind.SALES_READY, salesReady.stage(), salesReady.stage(), change.cause(),
                        change.actor(), change.reason()))
                .chain(() -> publish(lead, EventTypes.LEAD_SALES_READY, at, payload));
    }

    private Uni<Void> history(LeadHistoryEntry entry) {
        return entry.persist().replaceWithVoid();
    }

    private Uni<Void> publish(Lead lead, String type, Instant at, Object payload) {
        return outbox.add(Envelope.of(type, SOURCE, at, lead.id, lead.nextEventSequence(), payload));
    }

    private static String describe(Capture capture) {
        return capture.source() + (capture.sourceRef() == null ? "" : " " + capture.sourceRef());
    }
}
