package io.leadsuite.scoring.domain;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.vertx.core.json.JsonObject;

/**
 * A lead this service scores: its projection of lead-service's lead, remembered from {@code lead.created} and kept up
 * to date from the lead events that carry its state. Its row is locked while its scores change.
 * <p>
 * Per-subject order: each part of the projection remembers the sequence of the lead event that last set it
 * ({@link #eventSequence} for contact and status, {@link #stageSequence}, {@link #attributesSequence}); a late event
 * (redelivered, or overtaken by a later one) changes only the parts it is newer for, so a late {@code lead.updated}
 * cannot reopen a lead that a later {@code lead.closed} closed. See {@link #apply(LeadEvent)}.
 */
@Entity
@Table(name = "tracked_lead")
public class TrackedLead extends Projection {

    @Id
    public UUID leadId;
    public UUID contactId;
    public String topic;
    public boolean open;
    /** The lead's status as lead-service last told (OPEN, ACCEPTED, CONVERTED, WON, LOST, DISQUALIFIED). */
    public String status;
    /** Sequence of the last {@code score.changed} published about this lead. */
    public long sequence;
    /** Sequence of the lead event that set the stage. */
    public long stageSequence;
    /** Sequence of the lead event that set the attribute set {@code lead.updated} carries. */
    public long attributesSequence;

    /** Closed leads (won, lost, disqualified, converted) are no longer scored. */
    public static boolean isOpenStatus(String status) {
        return status == null || !CLOSED.contains(status.strip().toUpperCase(Locale.ROOT));
    }

    public static final Set<String> CLOSED = Set.of("WON", "LOST", "DISQUALIFIED", "CONVERTED");

    /** The status of a tracked lead whose contact was erased; no lead event changes it any more. */
    public static final String ERASED = "ERASED";

    /**
     * What one lead event says about the lead's state.
     *
     * @param sequence the envelope's per-lead sequence; 0 (or less) from producers that do not number their events:
     *        such an event always applies and lowers no stored sequence
     * @param contactId the lead's contact (required)
     * @param status the lead's status, or null when the event does not carry it
     * @param stage the lead's stage, or null when the event does not carry it
     * @param attributes the whole attribute set LEAD rules test besides status and stage (topic, source, team,
     *        owner, budget, ...; a null value clears that attribute), or null when the event does not carry it
     */
    public record LeadEvent(long sequence, UUID contactId, String status, String stage, Map<String, Object> attributes) {
    }

    /**
     * What applying a lead event changed in the projection.
     *
     * @param any whether anything changed
     * @param scope whether what decides which models score the lead and which interactions count for it changed: its
     *        contact, its topic, or whether it is open
     * @param facts the attributes LEAD rules test (status and stage among them) whose value changed, appeared or went
     */
    public record Change(boolean any, boolean scope, Set<String> facts) {

        public static final Change NONE = new Change(false, false, Set.of());
    }

    /**
     * Applies what the event says to each part of the projection it is newer for: contact and status when its
     * sequence is above {@link #eventSequence}, the stage above {@link #stageSequence}, the attribute set above
     * {@link #attributesSequence}. A lead whose contact was erased stays as it is.
     *
     * @return what changed: nothing for a stale event
     */
    public Change apply(LeadEvent event) {
        if (ERASED.equals(status)) {
            return Change.NONE;
        }
        long seq = event.sequence();
        boolean unnumbered = seq <= 0;
        Map<String, Object> before = attributes();
        Map<String, Object> facts = new LinkedHashMap<>(before);
        UUID contactBefore = contactId;
        String statusBefore = status;
        String topicBefore = topic;
        boolean openBefore = open;
        if (unnumbered || seq > eventSequence) {
            contactId = event.contactId();
            if (event.status() != null) {
                status = event.status();
                open = isOpenStatus(event.status());
                facts.put("status", event.status());
            }
            eventSequence = Math.max(eventSequence, seq);
        }
        if (event.stage() != null && (unnumbered || seq > stageSequence)) {
            facts.put("stage", event.stage());
            stageSequence = Math.max(stageSequence, seq);
        }
        if (event.attributes() != null && (unnumbered || seq > attributesSequence)) {
            event.attributes().forEach((key, value) -> {
                if (value == null) {
                    facts.remove(key);
                } else {
                    facts.put(key, value);
                }
            });
            Object newTopic = event.attributes().get("topic");
            if (newTopic instanceof String t) {
                topic = t.strip();
            }
            attributesSequence = Math.max(attributesSequence, seq);
        }
        boolean scope = !Objects.equals(contactBefore, contactId) || !Objects.equals(topicBefore, topic)
                || openBefore != open;
        Set<String> changedFacts = new HashSet<>();
        before.forEach((key, value) -> {
            if (!Objects.equals(value, facts.get(key))) {
                changedFacts.add(key);
            }
        });
        facts.keySet().stream().filter(key -> !before.containsKey(key)).forEach(changedFacts::add);
        if (!changedFacts.isEmpty()) {
            attributesJson = new JsonObject(facts).encode();
        }
        boolean any = scope || !Objects.equals(statusBefore, status) || !changedFacts.isEmpty();
        return any ? new Change(true, scope, Set.copyOf(changedFacts)) : Change.NONE;
    }

    public long nextSequence() {
        return ++sequence;
    }
}
