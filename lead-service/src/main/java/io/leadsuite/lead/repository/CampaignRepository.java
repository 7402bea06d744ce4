package io.leadsuite.lead.repository;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.persistence.FlushModeType;

import io.leadsuite.kit.sql.SessionSql;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * Marketing campaigns ({@code campaign}, one per name in any case) and their touches of leads
 * ({@code campaign_touch}), from which a campaign's results are read. In the caller's session or transaction.
 */
@ApplicationScoped
public class CampaignRepository {

    public record Campaign(UUID id, String name, String channel, LocalDate startsOn, LocalDate endsOn,
            BigDecimal cost, Instant createdAt, Instant updatedAt, long version) {
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

    private static final String COLUMNS = "id, name, channel, starts_on, ends_on, cost, created_at, updated_at, version";

    /**
     * The id of the campaign whose id is {@code idOrName} or whose name is it in any case (an exact id first), or null.
     * Does not flush the session first.
     */
    public Uni<UUID> find(String idOrName) {
        UUID id = uuidOrNull(idOrName);
        return Panache.getSession().chain(s -> s.createNativeQuery("select id from campaign where id = ?1 or "
                + "lower(name) = lower(?2) order by (id = ?1) desc limit 1", UUID.class)
                .setParameter(1, id == null ? new UUID(0, 0) : id).setParameter(2, idOrName)
                .setFlushMode(FlushModeType.COMMIT).getResultList())
                .map(found -> found.isEmpty() ? null : found.get(0));
    }

    /**
     * Adds a campaign of only this name unless one of that name (any case) exists, which another transaction may add
     * at the same time; the id of the campaign of that name.
     */
    public Uni<UUID> register(String name) {
        return SessionSql.executeWithoutFlush(s -> s.createNativeQuery("insert into campaign (id, name) values (?1, ?2) "
                + "on conflict (lower(name)) do nothing").setParameter(1, UUID.randomUUID()).setParameter(2, name))
                .chain(() -> Panache.getSession().chain(s -> s.createNativeQuery(
                        "select id from campaign where lower(name) = lower(?1)", UUID.class).setParameter(1, name)
                        .setFlushMode(FlushModeType.COMMIT).getSingleResult()));
    }

    /**
     * The campaign touched the lead ({@code kind}: CAPTURE or INTERACTION); a touch already recorded (the same
     * interaction again) is not recorded twice.
     */
    public Uni<Void> touch(UUID campaign, UUID lead, String kind, String interactionId, Instant at) {
        // with Hibernate's auto-flush: the touch's foreign key needs the lead, which a capture may still hold unwritten
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into campaign_touch (campaign_id, lead_id, "
                + "kind, interaction_id, at) values (?1, ?2, ?3, ?4, ?5) on conflict do nothing")
                .setParameter(1, campaign).setParameter(2, lead).setParameter(3, kind)
                .setParameter(4, interactionId).setParameter(5, at).executeUpdate()).replaceWithVoid();
    }

    /** The id of the campaign named {@code name} in any case, if any. */
    public Uni<Optional<UUID>> named(String name) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select id from campaign where lower(name) = lower(?1)", UUID.class)
                .setParameter(1, name).getResultList())
                .map(existing -> existing.stream().findFirst());
    }

    /** The id of a campaign other than {@code id} named {@code name} in any case, if any. */
    public Uni<Optional<UUID>> otherNamed(String name, UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select id from campaign where lower(name) = lower(?1) and id <> ?2",
                UUID.class).setParameter(1, name).setParameter(2, id)
                .getResultList())
                .map(clash -> clash.stream().findFirst());
    }

    /** A new campaign with these fields. */
    public Uni<Campaign> insert(String name, String channel, LocalDate startsOn, LocalDate endsOn, BigDecimal cost) {
        return Panache.getSession().chain(s -> s.createNativeQuery("insert into campaign (id, name, channel, starts_on, "
                + "ends_on, cost) values (?1, ?2, ?3, ?4, ?5, ?6) returning " + COLUMNS, Object[].class)
                .setParameter(1, UUID.randomUUID()).setParameter(2, name)
                .setParameter(3, channel).setParameter(4, startsOn)
                .setParameter(5, endsOn).setParameter(6, cost)
                .getSingleResult())
                .map(CampaignRepository::campaign);
    }

    /** The campaign's version, its row locked until the transaction ends; empty when there is no such campaign. */
    public Uni<Optional<Long>> lockVersion(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select version from campaign where id = ?1 for update", Long.class).setParameter(1, id)
                .getResultList())
                .map(versions -> versions.stream().findFirst());
    }

    /** The campaign's fields are replaced; its version goes up by one. */
    public Uni<Campaign> update(UUID id, String name, String channel, LocalDate startsOn, LocalDate endsOn,
            BigDecimal cost) {
        return Panache.getSession().chain(s -> s.createNativeQuery("update campaign set name = ?2, channel = ?3, "
                + "starts_on = ?4, ends_on = ?5, cost = ?6, updated_at = now(), version = version + 1 where id = ?1 "
                + "returning " + COLUMNS, Object[].class)
                .setParameter(1, id).setParameter(2, name)
                .setParameter(3, channel).setParameter(4, startsOn)
                .setParameter(5, endsOn).setParameter(6, cost)
                .getSingleResult())
                .map(CampaignRepository::campaign);
    }

    /** Every campaign, by name in any case. */
    public Uni<List<Campaign>> list() {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select " + COLUMNS + " from campaign order by lower(name)", Object[].class).getResultList())
                .map(rows -> rows.stream().map(CampaignRepository::campaign).toList());
    }

    /** The campaign, if there is one of this id. */
    public Uni<Optional<Campaign>> get(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery(
                "select " + COLUMNS + " from campaign where id = ?1", Object[].class).setParameter(1, id)
                .getResultList())
                .map(rows -> rows.stream().findFirst().map(CampaignRepository::campaign));
    }

    /** The campaign's results, read from its touches and its leads. */
    public Uni<Results> results(UUID id) {
        return Panache.getSession().chain(s -> s.createNativeQuery("""
                select count(distinct l.contact_id), count(*), count(*) filter (where l.campaign_id = ?1),
                       count(*) filter (where l.status = 'WON'),
                       coalesce(sum(l.revenue) filter (where l.status = 'WON' and l.campaign_id = ?1), 0),
                       coalesce(sum(l.revenue) filter (where l.status = 'WON'), 0),
                       coalesce(sum(l.estimated_revenue) filter (where l.status in ('ACCEPTED', 'CONVERTED')), 0)
                from lead l
                where l.id in (select t.lead_id from campaign_touch t where t.campaign_id = ?1)""", Object[].class)
                .setParameter(1, id).getSingleResult())
                .map(r -> new Results(RowValues.count(r[0]), RowValues.count(r[1]), RowValues.count(r[2]),
                        RowValues.count(r[3]), RowValues.amount(r[4]), RowValues.amount(r[5]),
                        RowValues.amount(r[6])));
    }

    private static UUID uuidOrNull(String text) {
        try {
            return text.length() == 36 ? UUID.fromString(text) : null;
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    private static Campaign campaign(Object[] row) {
        return new Campaign((UUID) row[0], (String) row[1], (String) row[2], RowValues.date(row[3]),
                RowValues.date(row[4]), (BigDecimal) row[5], RowValues.instant(row[6]), RowValues.instant(row[7]),
                RowValues.count(row[8]));
    }
}
