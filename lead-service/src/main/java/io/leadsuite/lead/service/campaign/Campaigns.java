package io.leadsuite.lead.service.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.UnknownNames;
import io.leadsuite.lead.repository.CampaignRepository;
import io.leadsuite.lead.repository.CampaignRepository.Campaign;
import io.leadsuite.lead.repository.CampaignRepository.Results;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Marketing campaigns (name, channel, period, cost) that captures, import rows and interactions name, by id or by
 * name in any case. A lead keeps the campaign it came from; every capture or interaction that names a campaign is a
 * touch of it, and a campaign's results are read from its touches: its members (contacts), leads and the revenue they
 * won. A campaign that a capture or import row names and that is not in the list is, by
 * {@code leadsuite.campaigns.unknown}, added to it with only its name (REGISTER, the default) or refused (REFUSE: 422
 * naming the field), as topics are; an interaction touches only campaigns in the list.
 */
@ApplicationScoped
public class Campaigns {

    /** How a campaign touched a lead. */
    public enum TouchKind {
        /** A capture or import row named it. */
        CAPTURE,
        /** An interaction named it. */
        INTERACTION
    }

    /** What a campaign's fields are set to. */
    public record Definition(String name, String channel, LocalDate startsOn, LocalDate endsOn, BigDecimal cost) {
    }

    private static final Logger LOG = Logger.getLogger(Campaigns.class);

    @ConfigProperty(name = "leadsuite.campaigns.unknown", defaultValue = "REGISTER")
    UnknownNames unknown;
    @Inject
    CampaignRepository repository;

    /**
     * The campaign a capture or import row names, in the caller's transaction: by its id, or by its name whatever the
     * case and surrounding blanks. Otherwise (REGISTER) a campaign of that name joins the list, or (REFUSE) the
     * command is refused naming {@code field}.
     */
    public Uni<UUID> resolve(String campaign, String field) {
        String name = campaign.strip();
        return repository.find(name).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            if (unknown == UnknownNames.REFUSE) {
                return Uni.createFrom().failure(new InvalidValues("Unknown campaign '" + name + "'",
                        List.of(new Violation(field, "no campaign has this id or name (GET /campaigns); "
                                + "create it with POST /campaigns"))));
            }
            return repository.register(name);
        });
    }

    /**
     * Records that the interactions scoring applied to the lead touched the campaigns they named, in the caller's
     * transaction; a touch already recorded (a redelivery, a repeat in another update) is not recorded again. Only
     * campaigns in the list are touched, whatever {@code leadsuite.campaigns.unknown} says (it governs what staff,
     * forms and imports enter): an interaction's attributes are free text from a tracking system, and a campaign made
     * of one would outlive the erasure of the person it was about, while scoring erases the interaction itself. A name
     * that is not in the list costs the interaction nothing (scoring accepted it and its points count); it touches no
     * campaign.
     */
    public Uni<Void> touchedByInteractions(UUID lead, List<ScoreChanged.CampaignTouch> touches) {
        Uni<Void> chain = Uni.createFrom().voidItem();
        for (ScoreChanged.CampaignTouch touch : touches) {
            String name = touch.campaign() == null ? "" : touch.campaign().strip();
            if (name.isEmpty()) {
                continue;
            }
            chain = chain.chain(() -> repository.find(name).chain(campaign -> {
                if (campaign == null) {
                    LOG.debugf("Interaction %s named a campaign that is not in the list: no touch for lead %s",
                            touch.interactionId(), lead);
                    return Uni.createFrom().voidItem();
                }
                return touch(campaign, lead, TouchKind.INTERACTION, touch.interactionId(), touch.occurredAt());
            }));
        }
        return chain;
    }

    /** Records that the campaign touched the lead, in the caller's transaction; an interaction touches once. */
    public Uni<Void> touch(UUID campaign, UUID lead, TouchKind kind, String interactionId, Instant at) {
        return repository.touch(campaign, lead, kind.name(), interactionId, at);
    }

    public Uni<Campaign> create(Definition definition) {
        check(definition);
        return Panache.withTransaction(() -> {
            String name = definition.name().strip();
            return repository.named(name).chain(existing -> {
                if (existing.isPresent()) {
                    throw new StateConflict("A campaign named '" + name + "' exists")
                            .with("existingId", existing.get());
                }
                return repository.insert(name, definition.channel(), definition.startsOn(), definition.endsOn(),
                        definition.cost());
            });
        });
    }

    /** Replaces the campaign's fields; {@code ifMatch} (when given) must be its current version (else 412). */
    public Uni<Campaign> update(UUID id, Long ifMatch, Definition definition) {
        check(definition);
        return Panache.withTransaction(() -> {
            String name = definition.name().strip();
            return repository.lockVersion(id)
                    .chain(versions -> {
                        if (versions.isEmpty()) {
                            throw new NotFound("Campaign", id);
                        }
                        long version = versions.get();
                        if (ifMatch != null && ifMatch != version) {
                            throw new StaleVersion("The campaign", ifMatch, version);
                        }
                        return repository.otherNamed(name, id);
                    })
                    .chain(clash -> {
                        if (clash.isPresent()) {
                            throw new StateConflict("Another campaign is named '" + name + "'")
                                    .with("existingId", clash.get());
                        }
                        return repository.update(id, name, definition.channel(), definition.startsOn(),
                                definition.endsOn(), definition.cost());
                    });
        });
    }

    public Uni<List<Campaign>> list() {
        return Panache.withSession(() -> repository.list());
    }

    public Uni<Campaign> get(UUID id) {
        return Panache.withSession(() -> repository.get(id))
                .map(found -> found.orElseThrow(() -> new NotFound("Campaign", id)));
    }

    /** The campaign's results, read from its touches and its leads. */
    public Uni<Results> results(UUID id) {
        return Panache.withSession(() -> repository.results(id));
    }

    private static void check(Definition definition) {
        if (definition.startsOn() != null && definition.endsOn() != null
                && definition.endsOn().isBefore(definition.startsOn())) {
            throw new InvalidValues("The campaign ends before it starts",
                    List.of(new Violation("endsOn", "must not be before startsOn")));
        }
    }
}
