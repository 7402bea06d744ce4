package io.leadsuite.lead.service.nurture;

import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.LeadNurture;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.config.NurtureConfig;
import io.leadsuite.lead.domain.Lead;
import io.leadsuite.lead.domain.NurtureTrigger;
import io.leadsuite.lead.domain.NurtureTriggerKind;
import io.leadsuite.lead.repository.NurtureRepository;
import io.leadsuite.lead.service.Definitions;
import io.leadsuite.lead.service.LeadEvents;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Nurture triggers and their firing. Each firing is an occurrence with a key, recorded in {@code nurture_emission}
 * in the same transaction as the {@code lead.nurture} event in the outbox; the primary key makes a second emission of
 * one occurrence impossible, from redeliveries and from replicas alike.
 * <ul>
 * <li>STAGE_ENTERED: on lead.created / lead.stage-changed into the stage (occurrence: the event id).</li>
 * <li>GRADE_REACHED: on a score update that puts the lead into the grade band it was not in (occurrence: the grade and
 * the score sequence); leaving the band and coming back is a new occurrence.</li>
 * <li>NO_ACTIVITY: a periodic scan finds open leads unchanged for N days (occurrence: the time of the last change, so
 * one spell of inactivity fires once).</li>
 * </ul>
 */
@ApplicationScoped
public class NurtureService extends Definitions<NurtureTrigger, NurtureService.TriggerDefinition> {

    private static final Pattern WORD = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._+-]{0,99}$");

    @Inject
    LeadEvents events;
    @Inject
    NurtureConfig config;
    @Inject
    NurtureRepository repository;

    public NurtureService() {
        super(NurtureTrigger.class, NurtureTrigger::new, "Nurture trigger", "createdAt, id");
    }

    public record TriggerDefinition(String name, NurtureTriggerKind kind, Boolean enabled, String stage, String grade,
            Integer inactiveDays, List<String> topics) implements Definitions.Written {
    }

    public static void validate(TriggerDefinition d) {
        List<Violation> errors = violations(d);
        if (d.kind() == null) {
            errors.add(new Violation("kind", "must be STAGE_ENTERED, GRADE_REACHED or NO_ACTIVITY"));
        } else {
            switch (d.kind()) {
                case STAGE_ENTERED -> {
                    if (d.stage() == null || !STAGE.matcher(d.stage()).matches()) {
                        errors.add(new Violation("stage", "a STAGE_ENTERED trigger names a stage id"));
                    }
                }
                case GRADE_REACHED -> {
                    if (d.grade() == null || !WORD.matcher(d.grade()).matches()) {
                        errors.add(new Violation("grade", "a GRADE_REACHED trigger names a grade"));
                    }
                }
                case NO_ACTIVITY -> {
                    if (d.inactiveDays() == null || d.inactiveDays() < 1 || d.inactiveDays() > 3650) {
                        errors.add(new Violation("inactiveDays",
                                "a NO_ACTIVITY trigger needs 1 to 3650 days"));
                    }
                }
            }
        }
        if (d.topics() != null && d.topics().stream().anyMatch(t -> t == null || !WORD.matcher(t).matches()
                || t.contains(","))) {
            errors.add(new Violation("topics", "must be topics"));
        }
        if (!errors.isEmpty()) {
            throw new InvalidValues("The nurture trigger is not valid", errors);
        }
    }

    @Override
    protected void check(TriggerDefinition written) {
        validate(written);
    }

    /** The enabled triggers of one kind. */
    private Uni<List<NurtureTrigger>> enabled(NurtureTriggerKind kind) {
        return enabled().map(all -> all.stream().filter(t -> kind.name().equals(t.kind)).toList());
    }

    @Override
    protected void apply(NurtureTrigger t, TriggerDefinition d) {
        t.kind = d.kind().name();
        t.stage = d.kind() == NurtureTriggerKind.STAGE_ENTERED ? d.stage() : null;
        t.grade = d.kind() == NurtureTriggerKind.GRADE_REACHED ? d.grade().strip() : null;
        t.inactiveDays = d.kind() == NurtureTriggerKind.NO_ACTIVITY ? d.inactiveDays() : null;
        t.topics = d.topics() == null || d.topics().isEmpty() ? null
                : String.join(",", d.topics().stream().map(s -> s.strip().toLowerCase(Locale.ROOT)).toList());
    }

    /** A lead entered a stage (the stage event's id keys the occurrence), in the transaction that records it. */
    public Uni<Void> stageEntered(Lead lead, String stage, UUID eventId) {
        return enabled(NurtureTriggerKind.STAGE_ENTERED).chain(triggers -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (NurtureTrigger t : triggers) {
                if (stage.equals(t.stage) && t.admits(lead.topic)) {
                    chain = chain.chain(() -> emit(t, lead, "stage:" + eventId, "entered " + stage));
                }
            }
            return chain;
        });
    }

    /**
     * After lead-service applied a score update (same transaction): fires GRADE_REACHED triggers whose band the lead
     * has just entered. A stale update (not the lead's latest) changes nothing.
     */
    public Uni<Void> scoreApplied(Envelope<ScoreChanged> update) {
        return enabled(NurtureTriggerKind.GRADE_REACHED).chain(triggers -> {
            if (triggers.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return Lead.<Lead> findById(update.subject()).chain(lead -> {
                if (lead == null || lead.scoreSequence != update.sequence()) {
                    return Uni.createFrom().voidItem();
                }
                Uni<Void> chain = Uni.createFrom().voidItem();
                for (NurtureTrigger t : triggers) {
                    if (!t.admits(lead.topic)) {
                        continue;
                    }
                    boolean inBand = lead.scores.stream()
                            .anyMatch(s -> s.grade() != null && s.grade().equalsIgnoreCase(t.grade));
                    chain = chain.chain(() -> gradeBand(t, lead, inBand, update.sequence()));
                }
                return chain;
            });
        });
    }

    private Uni<Void> gradeBand(NurtureTrigger t, Lead lead, boolean inBand, long sequence) {
        if (!inBand) {
            return repository.leftBand(t.id, lead.id);
        }
        return repository.inBand(t.id, lead.id).chain(entered -> !entered ? Uni.createFrom().voidItem()
                : emit(t, lead, "grade:" + t.grade + ":" + sequence, "reached grade " + t.grade));
    }

    private Uni<Void> emit(NurtureTrigger t, Lead lead, String occurrence, String detail) {
        Instant now = Instant.now();
        // a journey or e-mail system acts on lead.nurture: only for a contact with confirmed marketing consent (as
        // contact-service last reported it; consent from a public web form counts once the person confirmed it)
        return repository.emitted(t.id, lead.id, lead.contactId, occurrence, now)
                .chain(emitted -> !emitted ? Uni.createFrom().voidItem()
                        : events.recorded(lead, null, EventTypes.LEAD_NURTURE, now, new LeadNurture(lead.id,
                                lead.contactId, lead.topic, t.id, t.name, t.kind, detail)));
    }

    /**
     * Fires NO_ACTIVITY triggers for one batch of idle open leads; answers how many it found ({@code LeadScans} runs
     * it).
     */
    public Uni<Integer> scanInactive() {
        return Panache.withTransaction(() -> repository.takeIdle(config.batchSize()).chain(idle -> {
            Uni<Void> chain = Uni.createFrom().voidItem();
            for (NurtureRepository.Idle found : idle) {
                chain = chain.chain(() -> NurtureTrigger.<NurtureTrigger> findById(found.triggerId())
                        .chain(t -> Lead.<Lead> findById(found.leadId()).chain(lead -> emit(t, lead,
                                "idle-since:" + found.idleSince(), "no activity for " + t.inactiveDays + " days"))));
            }
            return chain.replaceWith(idle.size());
        }));
    }
}
