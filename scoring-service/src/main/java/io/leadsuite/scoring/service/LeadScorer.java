package io.leadsuite.scoring.service;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.contracts.Envelope;
import io.leadsuite.contracts.EventTypes;
import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.scoring.config.ScoringClock;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.InteractionApplication;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.RuleHitChanges;
import io.leadsuite.scoring.domain.ScoreCard;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.domain.ScoreHistoryEntry;
import io.leadsuite.scoring.domain.TrackedLead;
import io.leadsuite.scoring.repository.InteractionRepository;
import io.leadsuite.scoring.repository.SessionSteps;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.smallrye.mutiny.Uni;

/**
 * Changes tracked leads' scores, incrementally, inside the caller's transaction: reads through {@link TrackedLeadRepository},
 * decides with the scoring algorithm ({@link ScoreCard}, one per lead), writes through the store and publishes
 * through the outbox. Every entry point locks the leads'
 * tracked_lead rows ({@code select ... for update}, in one order), loads each lead's hits under every published
 * model whose scope admits it ({@link io.leadsuite.scoring.domain.StoredHits}: those of rules without window counted),
 * and then:
 * <ul>
 * <li>re-scores the lead from its stored interactions under a model only when its score there was computed with an
 * older version of the model (or the model newly admits the lead), so live scoring never waits for a re-scoring
 * job;</li>
 * <li>drops windowed hits that have expired (decay) and re-evaluates DEMOGRAPHIC and LEAD rules against the contact's
 * and the lead's current attributes;</li>
 * <li>applies the given interactions: each (interaction, lead) is recorded in interaction_application first, and one
 * found there is skipped, so nothing counts twice;</li>
 * <li>writes score rows and history, and publishes one {@code score.changed} per lead (full snapshot, next per-lead
 * sequence) through the outbox when a score, grade or sales-readiness changed, or a model's score appeared or
 * went, or an interaction applied named a campaign (lead-service records it as a touch of the campaign; the event
 * carries the campaigns named, so an interaction that moves no score still reaches its campaign).</li>
 * </ul>
 */
@ApplicationScoped
public class LeadScorer {

    static final String SOURCE = "scoring-service";
    /** The interaction attribute that names the campaign it came from (by id or name). */
    public static final String CAMPAIGN = "campaign";

    @Inject
    ModelCatalog models;
    @Inject
    TrackedLeadRepository trackedLeads;
    @Inject
    InteractionRepository interactions;
    @Inject
    Outbox outbox;
    @Inject
    ScoringClock clock;

    /** An interaction to apply to a lead. */
    public record Application(InteractionFacts interaction, UUID leadId) {
    }

    /** What became of a refresh: how many leads' snapshots changed. */
    public record Refreshed(int leads, int changed) {
    }

    /**
     * One locked lead in a unit of work: its row, its stored scores, its score card and the campaigns the interactions
     * applied to it named.
     */
    private record Scored(TrackedLead lead, TrackedLeadRepository.Stored stored, ScoreCard card,
            List<ScoreChanged.CampaignTouch> touches) {
    }

    /**
     * Applies the interactions, in order, to their leads; {@code leads} may name further leads to bring up to date
     * (decay, facts, model versions). Leads that are not tracked or not open are left alone.
     */
    public Uni<Void> apply(Collection<UUID> leads, List<Application> applications) {
        return run(leads, applications, ScoreCause.INTERACTION).replaceWithVoid();
    }

    /**
     * Brings the leads up to date without a new interaction: expired points, changed attributes, a new model version,
     * a retired model. {@code cause} is recorded in the score history.
     */
    public Uni<Refreshed> refresh(Collection<UUID> leads, ScoreCause cause) {
        return run(leads, List.of(), cause);
    }

    /**
     * As {@link #apply(Collection, List)}, for leads the caller locked and read with their contacts
     * ({@link TrackedLeadRepository#lockOpen}) in this transaction: they are not locked or read again.
     * {@code trackedNow} names leads this transaction began tracking and did not score yet (see {@link #open}).
     */
    public Uni<Void> apply(TrackedLeadRepository.Locked locked, List<Application> applications, Set<UUID> trackedNow) {
        return score(locked, applications, ScoreCause.INTERACTION, trackedNow).replaceWithVoid();
    }

    /**
     * As {@link #refresh(Collection, ScoreCause)}, for leads the caller locked and read with their contacts
     * ({@link TrackedLeadRepository#lockOpen}) in this transaction: they are not locked or read again.
     * {@code trackedNow} names leads this transaction began tracking and did not score yet (see {@link #open}).
     */
    public Uni<Refreshed> refresh(TrackedLeadRepository.Locked locked, ScoreCause cause, Set<UUID> trackedNow) {
        return score(locked, List.of(), cause, trackedNow);
    }

    /**
     * Brings a lead up to date after a lead event changed only attributes of it ({@code facts}, its contact, topic
     * and open state unchanged): only when a published model that scores it has a LEAD rule testing one of them.
     * Otherwise none of its scores can change, and no scoring run starts (no score, hit or contact is read, nothing
     * is written): not even for the expired points or the newer model versions a run would also take care of, which
     * the decay scan and the re-scoring jobs bring. A stage change that only the lead's score caused is the common
     * case.
     */
    public Uni<Refreshed> refreshFacts(TrackedLead lead, Set<String> facts, ScoreCause cause) {
        // the caller holds the lead's lock: the models are asked for after it, as in every run
        return models.published().chain(definitions -> definitions.stream()
                .anyMatch(model -> model.admits(lead.topic) && model.readsLeadFacts(facts))
                        ? run(List.of(lead.leadId), List.of(), cause)
                        : Uni.createFrom().item(new Refreshed(0, 0)));
    }

    private Uni<Refreshed> run(Collection<UUID> leads, List<Application> applications, ScoreCause cause) {
        List<UUID> ids = new ArrayList<>(leads);
        applications.forEach(a -> ids.add(a.leadId()));
        List<UUID> ordered = ids.stream().distinct().sorted(Comparator.comparing(UUID::toString)).toList();
        if (ordered.isEmpty()) {
            return Uni.createFrom().item(new Refreshed(0, 0));
        }
        return trackedLeads.lockOpen(ordered).chain(locked -> score(locked, applications, cause, Set.of()));
    }

    /** A run over leads locked in lead-id order ({@link TrackedLeadRepository#lockOpen}), the open ones. */
    private Uni<Refreshed> score(TrackedLeadRepository.Locked locked, List<Application> applications,
            ScoreCause cause, Set<UUID> trackedNow) {
        Instant now = clock.now();
        Map<UUID, Scored> scored = new LinkedHashMap<>();
        RuleHitChanges changes = new RuleHitChanges();
        List<Boolean> changed = new ArrayList<>();
        // the published models once the leads are locked (ModelCatalog#PUBLISHED_MAX_AGE): a re-scoring job that
        // went over one of these leads before cannot have used newer models than this run does
        return (locked.leads().isEmpty() ? Uni.createFrom().voidItem()
                : models.published().chain(definitions -> trackedLeads.load(locked)
                        .chain(stored -> SessionSteps.each(locked.leads(), lead -> open(lead, stored, definitions, now,
                                changes, trackedNow.contains(lead.leadId)).invoke(
                                        card -> scored.put(lead.leadId,
                                                new Scored(lead, stored, card, new ArrayList<>())))
                                .replaceWithVoid()))))
                .chain(() -> trackedLeads.recordApplications(applications.stream()
                        .filter(a -> scored.containsKey(a.leadId()))
                        .map(a -> new InteractionApplication.Key(a.interaction().id(), a.leadId())).toList(), now))
                .invoke(fresh -> {
                    for (Application application : applications) {
                        Scored lead = scored.get(application.leadId());
                        if (lead != null && fresh.remove(
                                new InteractionApplication.Key(application.interaction().id(), lead.lead().leadId))) {
                            lead.card().apply(application.interaction(), now, changes);
                            campaignOf(application.interaction()).ifPresent(campaign -> lead.touches().add(
                                    new ScoreChanged.CampaignTouch(application.interaction().id(), campaign,
                                            application.interaction().occurredAt())));
                        }
                    }
                })
                .chain(() -> trackedLeads.write(changes, now))
                .chain(() -> {
                    List<ScoreHistoryEntry> history = new ArrayList<>();
                    List<Envelope<ScoreChanged>> events = new ArrayList<>();
                    return SessionSteps.each(List.copyOf(scored.values()), lead -> trackedLeads.saveScores(lead.lead().leadId,
                            lead.stored().rows().getOrDefault(lead.lead().leadId, List.of()), lead.card(), cause, now,
                            history).invoke(() -> {
                                if (lead.card().changed()) {
                                    changed.add(true);
                                }
                                if (lead.card().changed() || !lead.touches().isEmpty()) {
                                    events.add(scoreChanged(lead.lead(), lead.card(), lead.touches(), now));
                                }
                            }))
                            .chain(() -> trackedLeads.insertHistory(history))
                            .chain(() -> outbox.addAll(events));
                })
                .map(ignored -> new Refreshed(scored.size(), changed.size()));
    }

    /**
     * Opens the lead's score card: rebuilds from its applied interactions the scores of models whose version changed
     * (or that newly admit it), then drops expired hits and re-evaluates the attribute rules. A lead this transaction
     * began tracking and did not score yet ({@code trackedNow}) has no applied interaction to read:
     * interaction_application references tracked_lead, so no row can name a lead before its row exists (tracked_lead
     * rows are never deleted), and only a run records one. Its first run (every model newly admits it) therefore
     * rebuilds from nothing without asking: one select per capture fewer.
     */
    private Uni<ScoreCard> open(TrackedLead lead, TrackedLeadRepository.Stored stored, List<CompiledModel> definitions,
            Instant now, RuleHitChanges changes, boolean trackedNow) {
        ScoreCard card = ScoreCard.open(lead.leadId, lead.topic, definitions, stored.scoresOf(lead.leadId),
                stored.hitsOf(lead.leadId));
        List<CompiledModel> rebuild = card.toRebuild();
        Uni<List<InteractionFacts>> applied = trackedNow ? Uni.createFrom().item(List.of())
                : interactions.appliedTo(lead.leadId);
        Uni<Void> rebuilt = rebuild.isEmpty() ? Uni.createFrom().voidItem()
                : applied.chain(interactions -> SessionSteps.each(rebuild,
                        model -> trackedLeads.replaceHits(lead.leadId, model.id(),
                                stored.hitsOf(lead.leadId).containsKey(model.id()),
                                card.rebuild(model, interactions, now), now)));
        ContactRef contact = stored.contacts().get(lead.contactId);
        return rebuilt.invoke(() -> card.refreshFacts(contact == null ? Map.of() : contact.attributes(),
                lead.attributes(), now, changes)).replaceWith(card);
    }

    /**
     * The campaign an interaction names: its {@code campaign} attribute, when it is text that is not blank (the
     * interaction's intake checked its length).
     */
    static Optional<String> campaignOf(InteractionFacts interaction) {
        return interaction.attributes().get(CAMPAIGN) instanceof String campaign && !campaign.isBlank()
                ? Optional.of(campaign.strip())
                : Optional.empty();
    }

    /**
     * The lead's full snapshot and the campaigns of the interactions applied, with its next score.changed sequence.
     */
    private static Envelope<ScoreChanged> scoreChanged(TrackedLead lead, ScoreCard card,
            List<ScoreChanged.CampaignTouch> touches, Instant now) {
        List<ScoreChanged.ModelScore> snapshot = new ArrayList<>();
        for (ScoreCard.Outcome outcome : card.outcomes()) {
            CompiledModel model = outcome.model();
            snapshot.add(new ScoreChanged.ModelScore(model.id(), model.version(), model.name(),
                    outcome.after().score(), outcome.after().grade(), model.salesReadyThreshold(),
                    outcome.after().salesReady()));
        }
        lead.updatedAt = now;
        boolean salesReady = snapshot.stream().anyMatch(ScoreChanged.ModelScore::salesReady);
        ScoreChanged payload = new ScoreChanged(lead.leadId, lead.contactId, snapshot, salesReady,
                card.lastInteractionId(), touches);
        return Envelope.of(EventTypes.SCORE_CHANGED, SOURCE, now, lead.leadId, lead.nextSequence(), payload);
    }
}
