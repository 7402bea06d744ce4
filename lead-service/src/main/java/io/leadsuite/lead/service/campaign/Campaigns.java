package io.leadsuite.lead.service.campaign;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import io.leadsuite.contracts.ScoreChanged;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.lead.repository.RowValues;
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

    /** What happens to a campaign name that is not in the list. */
    public enum Unknown {
        REGISTER,
        REFUSE
    }

    /** How a campaign touched a lead. */
    public enum TouchKind {
        /** A capture or import row named it. */
        CAPTURE,
        /** An interaction named it. */
        INTERACTION
    }

    public record Campaign(UUID id, String name, String channel, LocalDate startsOn, LocalDate endsOn,
            BigDecimal cost, Instant createdAt, Instant updatedAt, long version) {
    }

    /** What a campaign's fields are set to. */
    public record Definition(String name, String channel, LocalDate startsOn, LocalDate endsOn, BigDecimal cost) {
    }

    /**
     * What a campaign produced.
     *
     * @param members contacts with a lead the campaign touched
     * @param leads leads the campaign touched (it sourced them or influenced them later)
     * @param sourcedLeads leads that came from the campaign (their first capture named it)
     * @param wonLeads touched leads closed won
     * @param sourcedRevenue won revenue of the leads it sourced
     * @param influencedRevenue won revenue of every lead it touched
     * @param pipelineRevenue estimated revenue of the touched leads still open in sales (accepted or converted)
     */
    public record Results(long members, long leads, long sourcedLeads, long wonLeads, BigDecimal sourcedRevenue,
            BigDecimal influencedRevenue, BigDecimal pipelineRevenue) {
    }

    private static final Logger LOG = Logger.getLogger(Campaigns.class);
    private static final String COLUMNS = "id, name, channel, starts_on, ends_on, cost, created_at, updated_at, version";

    private final Unknown unknown;

    public Campaigns(@ConfigProperty(name = "leadsuite.campaigns.unknown", defaultValue = "REGISTER") Unknown unknown) {
        this.unknown = unknown;
    }

    /**
     * The campaign a capture or import row names, in the caller's transaction: by its id, or by its name whatever the
     * case and surrounding blanks. Otherwise (REGISTER) a campaign of that name joins the list, or (REFUSE) the
     * command is refused naming {@code field}.
     */
    public Uni<UUID> resolve(String campaign, String field) {
        String name = campaign.strip();
        return find(name).chain(found -> {
            if (found != null) {
                return Uni.createFrom().item(found);
            }
            if (unknown == Unknown.REFUSE) {
                return Uni.createFrom().failure(new InvalidValues("Unknown campaign '" + name + "'",
                        List.of(new Violation(field, "no campaign has this id or name (GET /campaigns); "
                                + "create it with POST /campaigns"))));
            }
            return register(name);
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
            chain = chain.chain(() -> find(name).chain(campaign -> {
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

    /** The campaign of this id or name (any case), or null; in the caller's session. */
    private static Uni<UUID> find(String name) {
        UUID id = uuidOrNull(name);
        return Panache.getSession().chain(s -> s.createNativeQuery("select id from campaign where id = ?1 or "
                + "lower(name) = lower(?2) order by (id = ?1) desc limit 1", UUID.class)
                .setParameter(1, id == null ? new UUID(0, 0) : id).setParameter(2, name)
                .setFlushMode(FlushModeType.COMMIT).getResultList())
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    /** Adds a campaign of only this name (another transaction may add it at the same time); its id. */
    private static Uni<UUID> register(String name) {
        return SessionSql.executeWithoutFlush(s -> s.createNativeQuery("insert into campaign (id, name) values (?1, ?2) "
                + "on conflict (lower(name)) do nothing").setParameter(1, UUID.randomUUID()).setParameter(2, name))
                .chain(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "select id from campaign where lower(name) = lower(?1)", UUID.class).setParameter(1, name)
                        .setFlushMode(FlushModeType.COMMIT).getSingleResult()));
    }

    /** Records that the campaign touched the lead, in the caller's transaction; an interaction touches once. */
    public Uni<Void> touch(UUID campaign, UUID lead, TouchKind kind, String interactionId, Instant at) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into campaign_touch (campaign_id, lead_id, "
                + "kind, interaction_id, at) values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, campaign).setParameter(2, lead).setParameter(3, kind.name())
                .setParameter(4, interactionId).setParameter(5, at).executeUpdate()).replaceWithVoid();
    }

    public Uni<Campaign> create(Definition definition) {
        check(definition);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select id from campaign where lower(name) = lower(?1)", UUID.class)
                .setParameter(1, definition.name().strip()).getResultList()
                .chain(existing -> {
                    if (!existing.isEmpty()) {
                        throw new StateConflict("A campaign named '" + definition.name().strip() + "' exists")
                                .with("existingId", existing.get(0));
                    }
                    return s.createNativeQuery("insert into campaign (id, name, channel, starts_on, ends_on, cost) "
                            + "values (?1, ?2, ?3, ?4, ?5, ?6) returning " + COLUMNS, Object[].class)
                            .setParameter(1, UUID.randomUUID()).setParameter(2, definition.name().strip())
                            .setParameter(3, definition.channel()).setParameter(4, definition.startsOn())
                            .setParameter(5, definition.endsOn()).setParameter(6, definition.cost())
                            .getSingleResult().map(Campaigns::campaign);
                })));
    }

    /** Replaces the campaign's fields; {@code ifMatch} (when given) must be its current version (else 412). */
    public Uni<Campaign> update(UUID id, Long ifMatch, Definition definition) {
        check(definition);
        return Panache.withTransaction(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select version from campaign where id = ?1 for update", Long.class).setParameter(1, id)
                .getResultList()
                .chain(versions -> {
                    if (versions.isEmpty()) {
                        throw new NotFound("Campaign", id);
                    }
                    long version = versions.get(0);
                    if (ifMatch != null && ifMatch != version) {
                        throw new StaleVersion("The campaign", ifMatch, version);
                    }
                    return s.createNativeQuery("select id from campaign where lower(name) = lower(?1) and id <> ?2",
                            UUID.class).setParameter(1, definition.name().strip()).setParameter(2, id)
                            .getResultList();
                })
                .chain(clash -> {
                    if (!clash.isEmpty()) {
                        throw new StateConflict("Another campaign is named '" + definition.name().strip() + "'")
                                .with("existingId", clash.get(0));
                    }
                    return s.createNativeQuery("update campaign set name = ?2, channel = ?3, starts_on = ?4, "
                            + "ends_on = ?5, cost = ?6, updated_at = now(), version = version + 1 where id = ?1 "
                            + "returning " + COLUMNS, Object[].class)
                            .setParameter(1, id).setParameter(2, definition.name().strip())
                            .setParameter(3, definition.channel()).setParameter(4, definition.startsOn())
                            .setParameter(5, definition.endsOn()).setParameter(6, definition.cost())
                            .getSingleResult().map(Campaigns::campaign);
                })));
    }

    public Uni<List<Campaign>> list() {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select " + COLUMNS + " from campaign order by lower(name)", Object[].class).getResultList()))
                .map(rows -> rows.stream().map(Campaigns::campaign).toList());
    }

    public Uni<Campaign> get(UUID id) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                "select " + COLUMNS + " from campaign where id = ?1", Object[].class).setParameter(1, id)
                .getResultList()))
                .map(rows -> {
                    if (rows.isEmpty()) {
                        throw new NotFound("Campaign", id);
                    }
                    return campaign(rows.get(0));
                });
    }

    /** The campaign's results, read from its touches and its leads. */
    public Uni<Results> results(UUID id) {
        return Panache.withSession(() -> Panache.getSession().chain(s -> s.createNativeQuery("""
                select count(distinct l.contact_id), count(*), count(*) filter (where l.campaign_id = ?1),
                       count(*) filter (where l.status = 'WON'),
                       coalesce(sum(l.revenue) filter (where l.status = 'WON' and l.campaign_id = ?1), 0),
                       coalesce(sum(l.revenue) filter (where l.status = 'WON'), 0),
                       coalesce(sum(l.estimated_revenue) filter (where l.status in ('ACCEPTED', 'CONVERTED')), 0)
                from lead l
                where l.id in (select t.lead_id from campaign_touch t where t.campaign_id = ?1)""", Object[].class)
                .setParameter(1, id).getSingleResult()))
                .map(r -> new Results(RowValues.count(r[0]), RowValues.count(r[1]), RowValues.count(r[2]),
                        RowValues.count(r[3]), RowValues.amount(r[4]), RowValues.amount(r[5]),
                        RowValues.amount(r[6])));
    }

    private static void check(Definition definition) {
        if (definition.startsOn() != null && definition.endsOn() != null
                && definition.endsOn().isBefore(definition.startsOn())) {
            throw new InvalidValues("The campaign ends before it starts",
                    List.of(new Violation("endsOn", "must not be before startsOn")));
        }
    }

    private static UUID uuidOrNull(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Campaign campaign(Object[] row) {
        return new Campaign((UUID) row[0], (String) row[1], (String) row[2], RowValues.date(row[3]), RowValues.date(row[4]),
                (BigDecimal) row[5], RowValues.instant(row[6]), RowValues.instant(row[7]), RowValues.count(row[8]));
    }
}
