package io.leadsuite.scoring.event;

import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.UnaryOperator;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.eclipse.microprofile.reactive.messaging.Channel;
import org.eclipse.microprofile.reactive.messaging.Message;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.ContactCreated;
import io.leadsuite.contracts.ContactErased;
import io.leadsuite.contracts.ContactMerged;
import io.leadsuite.contracts.ContactUpdated;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadAccepted;
import io.leadsuite.contracts.LeadCaptured;
import io.leadsuite.contracts.LeadClosed;
import io.leadsuite.contracts.LeadCreated;
import io.leadsuite.contracts.LeadOpportunity;
import io.leadsuite.contracts.LeadStageChanged;
import io.leadsuite.contracts.LeadUpdated;
import io.leadsuite.kit.consumer.BatchConsumers;
import io.leadsuite.kit.inbox.EventHandlers;
import io.leadsuite.kit.inbox.Inbox;
import io.leadsuite.scoring.service.EventIntake;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.vertx.core.json.JsonObject;

/**
 * Consumes the events that keep scoring's projections of other services' entities up to date, each address from
 * scoring-service's own durable queue, both alike: a batch is applied through the inbox, in one transaction with the
 * record of its message ids (so a redelivery changes nothing), after {@link EventIntake#lockAll} has taken the locks
 * of the whole batch; a failure is released as failed and redelivered by the broker (bounded, then the DLQ). Types
 * without an effect are acknowledged and ignored. The leads that a batch's {@code lead.created} and
 * {@code lead.captured} bring are scored together at the end of the batch, in one pass
 * ({@link EventIntake#deferCatchUps}).
 * <ul>
 * <li>{@code contact-events} ({@link #contactEffects}): {@code contact.created} and {@code contact.updated} (the
 * e-mail interactions resolve by, and the demographic snapshot DEMOGRAPHIC rules test), {@code contact.merged}
 * (interactions and leads move to the survivor) and {@code contact.erased} (the contact's interactions and scores are
 * deleted; the contact stays as a tombstone without personal data). A snapshot older than the one applied (per-contact
 * {@code sequence}), or of an erased contact, changes nothing.</li>
 * <li>{@code lead-events} ({@link #leadEffects}): {@code lead.created}, {@code lead.captured} (FORM_SUBMITTED
 * interactions), {@code lead.updated} (attributes for LEAD rules, topic, status), {@code lead.stage-changed},
 * {@code lead.closed}, {@code lead.accepted} and {@code lead.opportunity} (stage and status: closed leads stop
 * scoring); other types are acknowledged as they arrive, without a transaction ({@link #applied}). Each event changes
 * the lead's projection only where it is newer (per-lead {@code sequence}, see {@code TrackedLead#apply}).</li>
 * </ul>
 */
@ApplicationScoped
public class ProjectionConsumer {

    private static final Logger LOG = Logger.getLogger(ProjectionConsumer.class);

    /**
     * The lead event types scoring applies (each has a handler in {@link #leadEffects}). The others
     * ({@code lead.sales-ready}, {@code lead.assigned}, {@code lead.nurture}, {@code lead.sla-breached},
     * {@code lead.rejected}, which lead-service always follows with a {@code lead.stage-changed}, and types added later)
     * change nothing here.
     */
    static final Set<String> APPLIED = Set.of(EventTypes.LEAD_CREATED, EventTypes.LEAD_CAPTURED,
            EventTypes.LEAD_UPDATED, EventTypes.LEAD_STAGE_CHANGED, EventTypes.LEAD_CLOSED, EventTypes.LEAD_ACCEPTED,
            EventTypes.LEAD_OPPORTUNITY);

    private final Map<String, EventHandlers> handlers = new ConcurrentHashMap<>();
    @Inject
    Inbox inbox;
    @Inject
    EventIntake intake;
    @Inject
    @Channel("contact-events")
    Multi<Message<JsonObject>> contactEvents;
    @Inject
    @Channel("lead-events")
    Multi<Message<JsonObject>> leadEvents;

    void start(@Observes StartupEvent event, BatchConsumers consumers) {
        consume(consumers, EventTypes.CONTACT_EVENTS, contactEvents, this::contactEffects);
        consume(consumers, EventTypes.LEAD_EVENTS, applied(leadEvents), this::leadEffects);
    }

    /** Applies each batch of an address's channel (named after it) through the inbox, the batch's locks taken first. */
    private void consume(BatchConsumers consumers, String address, Multi<Message<JsonObject>> messages,
            UnaryOperator<EventHandlers> effects) {
        EventHandlers handlers = effects.apply(inbox.handlers(address))
                .lockFirst(batch -> intake.deferCatchUps().chain(() -> intake.lockAll(batch)))
                .finishWith(intake::catchUpDeferred);
        this.handlers.put(address, handlers);
        consumers.start(address, messages, handlers::applyAll);
    }

    /** The handlers of an address, as the consumer applies its batches with them (for tests that apply one). */
    public EventHandlers handlersOf(String address) {
        return handlers.get(address);
    }

    private EventHandlers contactEffects(EventHandlers handlers) {
        return handlers
                .on(EventTypes.CONTACT_CREATED, ContactCreated.class,
                        created -> intake.contactCreated(created.data(), created.sequence()))
                .on(EventTypes.CONTACT_UPDATED, ContactUpdated.class,
                        updated -> intake.contactUpdated(updated.data(), updated.sequence()))
                .on(EventTypes.CONTACT_MERGED, ContactMerged.class, merged -> intake.contactMerged(merged.data()))
                .on(EventTypes.CONTACT_ERASED, ContactErased.class,
                        erased -> intake.contactErased(erased.data(), erased.sequence()));
    }

    private EventHandlers leadEffects(EventHandlers handlers) {
        return handlers
                .on(EventTypes.LEAD_CREATED, LeadCreated.class,
                        created -> intake.leadCreated(created.data(), created.sequence()))
                .on(EventTypes.LEAD_CAPTURED, LeadCaptured.class, captured -> intake.leadCaptured(captured.data()))
                .on(EventTypes.LEAD_UPDATED, LeadUpdated.class,
                        updated -> intake.leadUpdated(updated.data(), updated.sequence()))
                .on(EventTypes.LEAD_STAGE_CHANGED, LeadStageChanged.class,
                        changed -> intake.leadStageChanged(changed.data(), changed.sequence()))
                .on(EventTypes.LEAD_CLOSED, LeadClosed.class, closed -> intake.leadStatus(closed.data().leadId(),
                        closed.data().contactId(), closed.data().status(), closed.data().stage(), closed.sequence()))
                .on(EventTypes.LEAD_ACCEPTED, LeadAccepted.class, accepted -> intake.leadStatus(
                        accepted.data().leadId(), accepted.data().contactId(), accepted.data().status(),
                        accepted.data().stage(), accepted.sequence()))
                .on(EventTypes.LEAD_OPPORTUNITY, LeadOpportunity.class, opportunity -> intake.leadStatus(
                        opportunity.data().leadId(), opportunity.data().contactId(), opportunity.data().status(),
                        opportunity.data().stage(), opportunity.sequence()));
    }

    /**
     * Acknowledges and drops, before they join a batch, the lead messages of types scoring does not apply: they need
     * no inbox record (they have no effect to make once), and a batch of only such messages would still cost a
     * transaction (a connection, BEGIN, COMMIT). Each one dropped is replaced by the next from the broker, so the
     * consumer's bound on unacknowledged messages holds. A message without a readable type goes on: the handlers
     * fail it, so it ends on the DLQ.
     */
    static Multi<Message<JsonObject>> applied(Multi<Message<JsonObject>> messages) {
        return messages.select().where(message -> {
            if (applies(message.getPayload())) {
                return true;
            }
            message.ack().whenComplete((done, failure) -> {
                if (failure != null) {
                    LOG.debugf(failure, "Cannot acknowledge an ignored lead event");
                }
            });
            return false;
        });
    }

    static boolean applies(JsonObject body) {
        Object type = body == null ? null : body.getValue("type");
        return !(type instanceof String name) || APPLIED.contains(name);
    }
}
