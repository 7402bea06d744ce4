package io.leadsuite.lead.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.hibernate.reactive.mutiny.Mutiny;

import io.leadsuite.contracts.Capture;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadAccepted;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadClosed;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadOpportunity;
import io.leadsuite.contracts.LeadRejected;
import io.leadsuite.contracts.LeadSalesReady;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.lead.domain.Cause;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.LeadChange;
import io.leadsuite.lead.domain.LeadHistoryEntry;
import io.leadsuite.lead.domain.LeadHistoryEntry.Kind;
import io.leadsuite.lead.repository.LeadRepository;
import io.leadsuite.lead.service.webhook.WebhookService;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.common.vertx.ContextLocals;
import io.smallrye.common.vertx.VertxContext;
import io.smallrye.mutiny.Uni;

/**
 * Records what happens to a lead: a history entry, the matching event in the outbox and one webhook delivery per
 * subscription to it, all in the caller's transaction, and then what follows the event in lead-service itself
 * ({@link LeadEventReactions}: routing, the stage's SLA, nurture triggers), in the same transaction. The one place
 * that turns lead changes into messages; lead-service never consumes its own events.
 * <p>
 * A transaction that records many events (a consumer's batch, a group commit of captures) runs its work
 * {@link #gathered}: the history lines, outbox rows and deliveries of all its events are then written after the work,
 * three statements in all, instead of three per event. Alone, each event's are written as it is recorded.
 */
@ApplicationScoped
public class LeadEvents {

    static final String SOURCE = "lead-service";

    @Inject
    Outbox outbox;
    @Inject
    LeadEventReactions reactions;
    @Inject
    LeadMetrics metrics;
    @Inject
    LeadRepository leads;
    @Inject
    WebhookService webhooks;

    /** What a {@link #gathered} run has recorded and not written yet, in the order recorded. */
    private static final class Gathered {
        final List<LeadHistoryEntry> history = new ArrayList<>();
        final List<Outbox.Row> events = new ArrayList<>();
    }

    private static final String GATHERED = LeadEvents.class.getName() + ".gathered";

    /**
     * Runs {@code work} in the caller's transaction with the writes of the lead events it records gathered, then
     * writes them: the session first (the leads they name must exist), then every history line, every outbox row and
     * every webhook delivery, one statement each, in the order the events were recorded. Inside a run already
     * gathering, {@code work} joins it. Why not always: a transaction of one event would pay a flush of its session
     * for nothing, and its lead's changes made after the event would be written twice. And only for work whose lead
     * events all go through this class and that neither deletes outbox rows nor cancels deliveries: the contact-events
     * consumer does both (an erasure removes a lead's unsent events; a merge writes {@code lead.updated} straight to
     * the outbox), so it does not gather, or a gathered row would escape the erasure or be written out of order.
     * <p>
     * The gathered writes are kept with the transaction's Vert.x (duplicated) context, as Hibernate Reactive keeps its
     * session: every event recorded on that context joins them, so their order is the order recorded.
     */
    public <T> Uni<T> gathered(Supplier<Uni<T>> work) {
        if (gathering() != null) {
            return Uni.createFrom().deferred(work::get);
        }
        return Uni.createFrom().deferred(() -> {
            Gathered gathered = new Gathered();
            ContextLocals.put(GATHERED, gathered);
            return work.get()
                    .call(() -> Panache.getSession().chain(Mutiny.Session::flush)
                            .chain(() -> leads.addHistory(gathered.history))
                            .chain(() -> outbox.addRows(gathered.events))
                            .chain(() -> webhooks.fanOut(gathered.events)))
                    .eventually(() -> ContextLocals.remove(GATHERED));
        });
    }

    private static Gathered gathering() {
        return VertxContext.isOnDuplicatedContext() ? ContextLocals.<Gathered> get(GATHERED).orElse(null) : null;
    }

    /**
     * An event that is not a change of the lead's own fields (an assignment, a nurture trigger, an SLA breach), with
     * its history line if it has one.
     */
    public Uni<Void> recorded(Lead lead, LeadHistoryEntry entry, String type, Instant at, Object payload) {
        return (entry == null ? Uni.createFrom().voidItem() : history(entry))
                .chain(() -> publish(lead, type, at, payload));
    }

    /** The lead's first event, of a lead just {@link Lead#open opened}: its sequence was reserved with its row. */
    public Uni<Void> created(Lead lead, Capture capture, String actor) {
        LeadCreated payload = new LeadCreated(lead.id, lead.contactId, lead.topic, lead.source, lead.sourceRef,
                lead.flowId, lead.stage, lead.status.name(), capture);
        return history(LeadHistoryEntry.of(lead, lead.createdAt, Kind.CREATED, null, lead.stage, Cause.SYSTEM,
                actor, capture == null ? "Created" : "Captured from " + describe(capture)))
                .chain(() -> publish(lead, Lead.CREATED_SEQUENCE, EventTypes.LEAD_CREATED, lead.createdAt, payload));
    }

    public Uni<Void> captured(Lead lead, Capture capture, String actor) {
        LeadCaptured payload = new LeadCaptured(lead.id, lead.contactId, lead.topic, capture);
        return history(LeadHistoryEntry.of(lead, capture.at(), Kind.CAPTURED, lead.stage, lead.stage, Cause.SYSTEM,
                actor, "Captured again from " + describe(capture)))
                .chain(() -> publish(lead, EventTypes.LEAD_CAPTURED, capture.at(), payload));
    }

    public Uni<Void> changed(Lead lead, LeadChange change, Instant at) {
        return changed(lead, change, lead.flowId, at);
    }

    /** @param flow the flow the change happened in (a change made before a flow switch belongs to the flow left) */
    private Uni<Void> changed(Lead lead, LeadChange change, String flow, Instant at) {
        if (change instanceof LeadChange.FlowSwitched switched) {
            LeadStageChanged payload = new LeadStageChanged(lead.id, lead.contactId, switched.toFlow(),
                    switched.fromStage(), switched.toStage(), lead.status.name(), change.cause().name(),
                    change.actor(), change.reason());
            LeadHistoryEntry entry = entry(lead, flow, at, Kind.FLOW_SWITCHED, switched.fromStage(),
                    switched.toStage(), change);
            entry.fromFlowId = switched.fromFlow();
            entry.secondsInStage = switched.secondsInStage();
            return history(entry).chain(() -> publish(lead, EventTypes.LEAD_STAGE_CHANGED, at, payload));
        }
        if (change instanceof LeadChange.StageChanged stageChanged) {
            LeadStageChanged payload = new LeadStageChanged(lead.id, lead.contactId, flow,
                    stageChanged.from(), stageChanged.to(), lead.status.name(), change.cause().name(), change.actor(),
                    change.reason());
            LeadHistoryEntry entry = entry(lead, flow, at, Kind.STAGE_CHANGED, stageChanged.from(),
                    stageChanged.to(), change);
            entry.secondsInStage = stageChanged.secondsInStage();
            return history(entry).chain(() -> publish(lead, EventTypes.LEAD_STAGE_CHANGED, at, payload));
        }
        if (change instanceof LeadChange.BecameSalesReady salesReady) {
            LeadSalesReady payload = new LeadSalesReady(lead.id, lead.contactId, lead.topic, salesReady.by(),
                    lead.stage);
            return history(entry(lead, flow, at, Kind.SALES_READY, salesReady.stage(), salesReady.stage(), change))
                    .chain(() -> publish(lead, EventTypes.LEAD_SALES_READY, at, payload))
                    .invoke(metrics::becameSalesReady);
        }
        if (change instanceof LeadChange.SalesReadyCleared cleared) {
            // the stage change that usually follows carries the news; the flag itself is in the history
            return history(entry(lead, flow, at, Kind.SALES_READY_CLEARED, cleared.stage(), cleared.stage(), change));
        }
        if (change instanceof LeadChange.Reopened reopened) {
            LeadStageChanged payload = new LeadStageChanged(lead.id, lead.contactId, lead.flowId, reopened.from(),
                    reopened.to(), lead.status.name(), change.cause().name(), change.actor(), change.reason());
            LeadHistoryEntry entry = entry(lead, flow, at, Kind.REOPENED, reopened.from(), reopened.to(), change);
            entry.secondsInStage = reopened.secondsInStage();
            return history(entry).chain(() -> publish(lead, EventTypes.LEAD_STAGE_CHANGED, at, payload));
        }
        if (change instanceof LeadChange.Accepted accepted) {
            LeadAccepted payload = new LeadAccepted(lead.id, lead.contactId, lead.topic, accepted.crmLeadId(),
                    accepted.owner(), lead.flowId, lead.stage, lead.status.name(), change.actor());
            return history(entry(lead, flow, at, Kind.ACCEPTED, accepted.stage(), accepted.stage(), change))
                    .chain(() -> publish(lead, EventTypes.LEAD_ACCEPTED, at, payload));
        }
        if (change instanceof LeadChange.Rejected rejected) {
            // published after the move back to nurturing, so it names the stage the lead is in then
            return history(entry(lead, flow, at, Kind.REJECTED, rejected.stage(), rejected.stage(), change))
                    .chain(() -> publish(lead, EventTypes.LEAD_REJECTED, at, new LeadRejected(lead.id, lead.contactId,
                            lead.topic, change.reason(), lead.flowId, lead.stage, lead.status.name(), change.actor())));
        }
        if (change instanceof LeadChange.OpportunityReported opportunity) {
            LeadOpportunity payload = new LeadOpportunity(lead.id, lead.contactId, lead.topic, lead.crmLeadId,
                    opportunity.opportunityId(), opportunity.estimatedRevenue(), opportunity.estimatedClose(),
                    lead.flowId, lead.stage, lead.status.name(), change.actor());
            return history(entry(lead, flow, at, Kind.OPPORTUNITY, opportunity.stage(), opportunity.stage(), change))
                    .chain(() -> publish(lead, EventTypes.LEAD_OPPORTUNITY, at, payload));
        }
        if (change instanceof LeadChange.Closed closed) {
            LeadClosed payload = new LeadClosed(lead.id, lead.contactId, lead.topic, closed.outcome(), closed.revenue(),
                    change.reason(), lead.crmLeadId, lead.crmOpportunityId, lead.flowId, lead.stage,
                    lead.status.name(), change.cause().name(), change.actor());
            // the history names the outcome, whatever free text the closer gave
            String said = "Closed " + closed.outcome();
            String reason = change.reason() == null || change.reason().isBlank() || change.reason().equals(said)
                    ? said
                    : said + ": " + change.reason();
            LeadHistoryEntry entry = entry(lead, flow, at, Kind.CLOSED, closed.stage(), closed.stage(), change);
            entry.reason = reason;
            return history(entry)
                    .chain(() -> publish(lead, EventTypes.LEAD_CLOSED, at, payload));
        }
        LeadChange.Updated updated = (LeadChange.Updated) change;
        LeadUpdated payload = new LeadUpdated(lead.id, lead.contactId, lead.topic, lead.source, lead.status.name(),
                lead.team, lead.owner, lead.budget, lead.currency, lead.timeframe, lead.need, lead.decisionMaker);
        return history(entry(lead, flow, at, Kind.UPDATED, updated.stage(), updated.stage(), change))
                .chain(() -> publish(lead, EventTypes.LEAD_UPDATED, at, payload));
    }

    /**
     * Records a list of changes in order. The lead is as the last change left it; a change made before a flow switch
     * in the list is recorded in the flow the switch left.
     */
    public Uni<Void> changed(Lead lead, List<LeadChange> changes, Instant at) {
        String[] flows = new String[changes.size()];
        String flow = lead.flowId;
        for (int i = changes.size() - 1; i >= 0; i--) {
            flows[i] = flow;
            if (changes.get(i) instanceof LeadChange.FlowSwitched switched) {
                flow = switched.fromFlow();
            }
        }
        Uni<Void> recorded = Uni.createFrom().voidItem();
        for (int i = 0; i < changes.size(); i++) {
            LeadChange change = changes.get(i);
            String in = flows[i];
            recorded = recorded.chain(() -> changed(lead, change, in, at));
        }
        return recorded;
    }

    private static LeadHistoryEntry entry(Lead lead, String flow, Instant at, Kind kind, String from, String to,
            LeadChange change) {
        LeadHistoryEntry entry = LeadHistoryEntry.of(lead, at, kind, from, to, change.cause(), change.actor(),
                change.reason());
        entry.flowId = flow;
        return entry;
    }

    private Uni<Void> history(LeadHistoryEntry entry) {
        Gathered gathered = gathering();
        if (gathered != null) {
            gathered.history.add(entry);
            return Uni.createFrom().voidItem();
        }
        return entry.persist().replaceWithVoid();
    }

    private Uni<Void> publish(Lead lead, String type, Instant at, Object payload) {
        return publish(lead, lead.nextEventSequence(), type, at, payload);
    }

    private Uni<Void> publish(Lead lead, long sequence, String type, Instant at, Object payload) {
        Envelope<Object> event = Envelope.of(type, SOURCE, at, lead.id, sequence, payload);
        Outbox.Row row = outbox.row(event);
        Gathered gathered = gathering();
        Uni<Void> written;
        if (gathered != null) {
            gathered.events.add(row);
            written = Uni.createFrom().voidItem();
        } else {
            written = outbox.addRows(List.of(row)).chain(() -> webhooks.fanOut(List.of(row)));
        }
        return written.chain(() -> reactions.followed(lead, event));
    }

    private static String describe(Capture capture) {
        return capture.source() + (capture.sourceRef() == null ? "" : " " + capture.sourceRef());
    }
}
