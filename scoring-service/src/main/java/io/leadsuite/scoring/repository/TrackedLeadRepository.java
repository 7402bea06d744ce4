package io.leadsuite.scoring.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.reactive.mutiny.Mutiny;

import io.leadsuite.kit.sql.HqlIn;
import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.InteractionApplication;
import io.leadsuite.scoring.domain.LeadScore;
import io.leadsuite.scoring.domain.RuleHit;
import io.leadsuite.scoring.domain.RuleHitChanges;
import io.leadsuite.scoring.domain.RuleHitChanges.LeadHit;
import io.leadsuite.scoring.domain.ScoreCard;
import io.leadsuite.scoring.domain.ScoreCause;
import io.leadsuite.scoring.domain.ScoreHistoryEntry;
import io.leadsuite.scoring.domain.Standing;
import io.leadsuite.scoring.domain.StoredHits;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * The queries of a tracked lead and what hangs off it ({@code tracked_lead}, {@code lead_score}, {@code rule_hit},
 * {@code lead_score_history}, {@code interaction_application}), inside the caller's transaction: locking the tracked
 * leads, reading their stored scores, hits and contacts, recording which interaction was applied to which lead, and
 * writing hits, score rows and history in multi-row statements. This is the store of the scoring algorithm
 * ({@link ScoreCard}, which decides what to write).
 */
@ApplicationScoped
public class TrackedLeadRepository {

    /**
     * What is stored about a set of locked leads: score rows by lead, hits by lead and model (those of rules without
     * window counted, {@link StoredHits}), contacts by id.
     */
    public record Stored(Map<UUID, List<LeadScore>> rows, Map<UUID, Map<UUID, StoredHits>> hits,
            Map<UUID, ContactRef> contacts) {

        public Map<UUID, ScoreCard.StoredScore> scoresOf(UUID leadId) {
            Map<UUID, ScoreCard.StoredScore> scores = new HashMap<>();
            for (LeadScore row : rows.getOrDefault(leadId, List.of())) {
                scores.put(row.modelId, new ScoreCard.StoredScore(row.modelId, row.modelVersion,
                        new Standing(row.score, row.grade, row.salesReady)));
            }
            return scores;
        }

        public Map<UUID, StoredHits> hitsOf(UUID leadId) {
            return hits.getOrDefault(leadId, Map.of());
        }
    }

    /**
     * Open leads locked in this transaction, with their contacts by id (a contact not known yet is absent): what a
     * scoring run works on, read once.
     */
    public record Locked(List<TrackedLead> leads, Map<UUID, ContactRef> contacts) {

        /** The e-mail of the lead's contact, null when the contact is unknown or erased. */
        public String emailOf(TrackedLead lead) {
            ContactRef contact = contacts.get(lead.contactId);
            return contact == null ? null : contact.email;
        }
    }

    /**
     * Locks the leads' rows in lead-id order (the order every path uses; {@code ids} come in it) and yields the open
     * ones with their contacts. The lock is a plain statement and the rows a load by ids (one statement with an array,
     * for the leads and one for their contacts), not an HQL query with a list parameter: Hibernate translates such a
     * query again at every execution. The rows are read after the lock is held, so they are the committed state.
     */
    public Uni<Locked> lockOpen(List<UUID> ids) {
        UUID[] ordered = ids.toArray(UUID[]::new);
        return SessionSql.select("select lead_id from tracked_lead where lead_id = any($1) order by lead_id for update",
                (Object) ordered)
                .chain(() -> Panache.getSession().chain(session -> session.find(TrackedLead.class, (Object[]) ordered)))
                .map(leads -> leads.stream().filter(lead -> lead != null && lead.open).toList())
                .chain(leads -> {
                    Map<UUID, ContactRef> contacts = new HashMap<>();
                    Object[] contactIds = leads.stream().map(l -> l.contactId).distinct().toArray();
                    if (contactIds.length == 0) {
                        return Uni.createFrom().item(new Locked(leads, contacts));
                    }
                    return Panache.getSession().chain(session -> session.find(ContactRef.class, contactIds))
                            .map(list -> {
                                list.stream().filter(Objects::nonNull).forEach(c -> contacts.put(c.contactId, c));
                                return new Locked(leads, contacts);
                            });
                });
    }

    /**
     * Tracks the lead unless it is tracked already (a later event, or this one redelivered, tracked it: nothing
     * changes then); yields whether it was new. One statement instead of a find and an insert: the caller holds the
     * lead's advisory lock, and the row is written at once, not left in the session.
     */
    public Uni<Boolean> trackIfNew(TrackedLead lead) {
        return SessionSql.update("insert into tracked_lead (lead_id, contact_id, topic, open, status, attributes, "
                + "event_sequence, stage_sequence, attributes_sequence, created_at, updated_at) values ($1, $2, $3, $4, "
                + "$5, coalesce(cast(cast($6 as text) as jsonb), '{}'), $7, $8, $9, $10, $11) "
                + "on conflict (lead_id) do nothing",
                lead.leadId, lead.contactId, lead.topic, lead.open, lead.status, lead.attributesJson,
                lead.eventSequence, lead.stageSequence, lead.attributesSequence, utc(lead.createdAt),
                utc(lead.updatedAt))
                .map(rows -> rows > 0);
    }

    /**
     * The locked leads' score rows and hits, in two queries (their contacts were read with them). The hits of
     * BEHAVIOUR rules without window are counted by the database (a hit without expiry that names an interaction is
     * one of those: a windowed hit always has an expiry, a fact names no interaction): a lead collects them without
     * bound, and a scoring run needs only how many there are and their points.
     */
    public Uni<Stored> load(Locked locked) {
        List<UUID> ids = locked.leads().stream().map(l -> l.leadId).toList();
        Stored stored = new Stored(new HashMap<>(), new HashMap<>(), locked.contacts());
        Map<UUID, Map<UUID, List<RuleHit>>> live = new HashMap<>();
        Map<UUID, Map<UUID, List<StoredHits.Tally>>> counted = new HashMap<>();
        return LeadScore.<LeadScore> list("leadId " + HqlIn.in(1, ids), HqlIn.values(ids))
                .invoke(list -> list.forEach(r -> stored.rows().computeIfAbsent(r.leadId, k -> new ArrayList<>())
                        .add(r)))
                // the hits as values, not entities (every entity in the session is visited by each flush of the unit
                // of work), read with plain SQL (a query with a list parameter is translated again at every execution)
                .chain(() -> SessionSql.select("select lead_id, model_id, rule_id, interaction_id, points, occurred_at, "
                        + "expires_at, null::int from rule_hit where lead_id = any($1) "
                        + "and (expires_at is not null or interaction_id is null) "
                        + "union all select lead_id, model_id, rule_id, null::text, sum(points)::int, null::timestamptz, "
                        + "null::timestamptz, count(*)::int from rule_hit where lead_id = any($1) "
                        + "and expires_at is null and interaction_id is not null group by lead_id, model_id, rule_id",
                        (Object) ids.toArray(UUID[]::new)))
                .invoke(list -> list.forEach(h -> {
                    if (h[7] == null) {
                        live.computeIfAbsent((UUID) h[0], k -> new HashMap<>())
                                .computeIfAbsent((UUID) h[1], k -> new ArrayList<>())
                                .add(new RuleHit((String) h[2], (String) h[3], (Integer) h[4], instant(h[5]),
                                        instant(h[6])));
                    } else {
                        counted.computeIfAbsent((UUID) h[0], k -> new HashMap<>())
                                .computeIfAbsent((UUID) h[1], k -> new ArrayList<>())
                                .add(new StoredHits.Tally((String) h[2], (Integer) h[7], (Integer) h[4]));
                    }
                }))
                .invoke(() -> ids.forEach(lead -> stored.hits().put(lead,
                        byModel(live.getOrDefault(lead, Map.of()), counted.getOrDefault(lead, Map.of())))))
                .replaceWith(stored);
    }

    private static Map<UUID, StoredHits> byModel(Map<UUID, List<RuleHit>> live,
            Map<UUID, List<StoredHits.Tally>> counted) {
        Set<UUID> models = new HashSet<>(live.keySet());
        models.addAll(counted.keySet());
        Map<UUID, StoredHits> hits = new HashMap<>();
        models.forEach(model -> hits.put(model, new StoredHits(live.getOrDefault(model, List.of()),
                counted.getOrDefault(model, List.of()))));
        return hits;
    }

    /** A hit behind a score, with the type of its interaction (null for a fact). */
    public record ExplainedHit(RuleHit hit, String interactionType) {
    }

    /** The lead's hits under the model, oldest first, each with its interaction's type, in one query. */
    public Uni<List<ExplainedHit>> explainedHits(UUID leadId, UUID modelId) {
        return SessionSql.select("select h.rule_id, h.interaction_id, h.points, h.occurred_at, h.expires_at, i.type "
                + "from rule_hit h left join interaction i on i.id = h.interaction_id "
                + "where h.lead_id = $1 and h.model_id = $2 order by h.occurred_at, h.id", leadId, modelId)
                .map(rows -> rows.stream().map(h -> new ExplainedHit(new RuleHit((String) h[0], (String) h[1],
                        (Integer) h[2], instant(h[3]), instant(h[4])), (String) h[5])).toList());
    }

    /**
     * Records each (interaction, lead) in interaction_application in multi-row statements; yields the pairs that were
     * new, the only ones to apply.
     */
    public Uni<Set<InteractionApplication.Key>> recordApplications(List<InteractionApplication.Key> applications,
            Instant now) {
        Set<InteractionApplication.Key> fresh = new HashSet<>();
        List<List<InteractionApplication.Key>> chunks = SessionSteps.chunks(applications, 1000);
        // the rows reference interactions the unit of work may not have flushed yet
        return Panache.getSession().chain(Mutiny.Session::flush).chain(() -> SessionSteps.each(chunks,
                chunk -> SessionSql.select("insert into interaction_application (interaction_id, lead_id, applied_at) "
                        + "select i, l, $3 from unnest($1::text[], $2::uuid[]) as u(i, l) "
                        + "on conflict do nothing returning interaction_id, lead_id",
                        chunk.stream().map(InteractionApplication.Key::interactionId).toArray(String[]::new),
                        chunk.stream().map(InteractionApplication.Key::leadId).toArray(UUID[]::new),
                        utc(now))
                        .invoke(rows -> rows.forEach(
                                row -> fresh.add(new InteractionApplication.Key((String) row[0], (UUID) row[1]))))
                        .replaceWithVoid()))
                .replaceWith(fresh);
    }

    /**
     * Replaces the lead's hits under the model with these (a rebuilt score). {@code storedAny}: whether the lead's
     * locked load ({@link #load}, which reads every hit of the lead, listed or counted) found any under the model;
     * when it found none there is nothing to delete (a new lead, or a model that newly admits the lead).
     */
    public Uni<Void> replaceHits(UUID leadId, UUID modelId, boolean storedAny, List<RuleHit> live, Instant now) {
        Uni<Void> deleted = !storedAny ? Uni.createFrom().voidItem()
                : Panache.getSession().chain(session -> session.createNativeQuery("delete from rule_hit "
                        + "where lead_id = ?1 and model_id = ?2").setParameter(1, leadId).setParameter(2, modelId)
                        .executeUpdate()).replaceWithVoid();
        return deleted.chain(() -> SessionSteps.each(live, hit -> insertHit(leadId, modelId, hit, now)));
    }

    /** Writes the hit changes of a unit of work: the deletions one by one, the insertions in multi-row statements. */
    public Uni<Void> write(RuleHitChanges changes, Instant now) {
        return SessionSteps.each(changes.deletes(), this::deleteHit)
                .chain(() -> SessionSteps.each(SessionSteps.chunks(changes.inserts(), 500),
                        chunk -> SessionSql.update("insert into rule_hit "
                                + "(lead_id, model_id, rule_id, interaction_id, points, occurred_at, recorded_at, expires_at) "
                                + "select l, m, r, i, p, o, $7, e from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[], "
                                + "$5::int[], $6::timestamptz[], $8::timestamptz[]) as u(l, m, r, i, p, o, e)",
                                chunk.stream().map(LeadHit::leadId).toArray(UUID[]::new),
                                chunk.stream().map(LeadHit::modelId).toArray(UUID[]::new),
                                chunk.stream().map(row -> row.hit().ruleId()).toArray(String[]::new),
                                chunk.stream().map(row -> row.hit().interactionId()).toArray(String[]::new),
                                chunk.stream().map(row -> row.hit().points()).toArray(Integer[]::new),
                                chunk.stream().map(row -> utc(row.hit().occurredAt())).toArray(OffsetDateTime[]::new),
                                utc(now),
                                chunk.stream().map(row -> utc(row.hit().expiresAt())).toArray(OffsetDateTime[]::new))
                                .replaceWithVoid()));
    }

    private static Instant instant(Object timestamp) {
        return timestamp == null ? null : ((OffsetDateTime) timestamp).toInstant();
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant == null ? null : instant.atOffset(ZoneOffset.UTC);
    }

    private Uni<Void> insertHit(UUID leadId, UUID modelId, RuleHit hit, Instant now) {
        return Panache.getSession().chain(session -> session.createNativeQuery("insert into rule_hit (lead_id, "
                + "model_id, rule_id, interaction_id, points, occurred_at, recorded_at, expires_at) values (?1, ?2, ?3, "
                + "?4, ?5, ?6, ?7, ?8)")
                .setParameter(1, leadId)
                .setParameter(2, modelId)
                .setParameter(3, hit.ruleId())
                .setParameter(4, hit.interactionId())
                .setParameter(5, hit.points())
                .setParameter(6, hit.occurredAt())
                .setParameter(7, now)
                .setParameter(8, hit.expiresAt())
                .executeUpdate()).replaceWithVoid();
    }

    private Uni<Void> deleteHit(LeadHit row) {
        RuleHit hit = row.hit();
        boolean fact = hit.interactionId() == null;
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery("delete from rule_hit where lead_id = ?1 and model_id = ?2 "
                    + "and rule_id = ?3 and " + (fact ? "interaction_id is null" : "interaction_id = ?4"))
                    .setParameter(1, row.leadId())
                    .setParameter(2, row.modelId())
                    .setParameter(3, hit.ruleId());
            if (!fact) {
                query.setParameter(4, hit.interactionId());
            }
            return query.executeUpdate();
        }).replaceWithVoid();
    }

    /**
     * Writes the lead's score rows as the card left them (a new row per model that now scores the lead, the dropped
     * models' rows and hits deleted) and collects a history entry per changed standing.
     */
    public Uni<Void> saveScores(UUID leadId, Collection<LeadScore> stored, ScoreCard card, ScoreCause cause, Instant now,
            List<ScoreHistoryEntry> history) {
        Map<UUID, LeadScore> rows = new HashMap<>();
        stored.forEach(row -> rows.put(row.modelId, row));
        List<Uni<Void>> writes = new ArrayList<>();
        for (ScoreCard.Outcome outcome : card.outcomes()) {
            CompiledModel model = outcome.model();
            Standing after = outcome.after();
            LeadScore row = rows.get(model.id());
            if (row == null) {
                row = new LeadScore();
                row.leadId = leadId;
                row.modelId = model.id();
                writes.add(row.persist().replaceWithVoid());
            }
            if (row.updatedAt == null || row.score != after.score() || !Objects.equals(row.grade, after.grade())
                    || row.salesReady != after.salesReady() || row.modelVersion != model.version()) {
                row.score = after.score();
                row.grade = after.grade();
                row.salesReady = after.salesReady();
                row.modelVersion = model.version();
                row.updatedAt = now;
            }
            if (outcome.changed()) {
                ScoreHistoryEntry entry = new ScoreHistoryEntry();
                entry.leadId = leadId;
                entry.modelId = model.id();
                entry.modelVersion = model.version();
                entry.score = after.score();
                entry.grade = after.grade();
                entry.salesReady = after.salesReady();
                entry.cause = cause;
                entry.interactionId = outcome.lastInteractionId();
                entry.at = now;
                history.add(entry);
            }
        }
        for (UUID dropped : card.dropped()) {
            LeadScore row = rows.get(dropped);
            writes.add(Panache.getSession().chain(session -> session.createNativeQuery("delete from rule_hit where "
                    + "lead_id = ?1 and model_id = ?2").setParameter(1, leadId).setParameter(2, dropped)
                    .executeUpdate()).chain(() -> row.delete()));
        }
        return SessionSteps.each(writes, Function.identity());
    }

    /** Writes the history entries in multi-row statements. */
    public Uni<Void> insertHistory(List<ScoreHistoryEntry> history) {
        return SessionSteps.each(SessionSteps.chunks(history, 500),
                chunk -> SessionSql.update("insert into lead_score_history (lead_id, "
                        + "model_id, model_version, score, grade, sales_ready, cause, interaction_id, at) select * from unnest("
                        + "$1::uuid[], $2::uuid[], $3::int[], $4::int[], $5::text[], $6::boolean[], $7::text[], $8::text[], "
                        + "$9::timestamptz[])",
                        chunk.stream().map(e -> e.leadId).toArray(UUID[]::new),
                        chunk.stream().map(e -> e.modelId).toArray(UUID[]::new),
                        chunk.stream().map(e -> e.modelVersion).toArray(Integer[]::new),
                        chunk.stream().map(e -> e.score).toArray(Integer[]::new),
                        chunk.stream().map(e -> e.grade).toArray(String[]::new),
                        chunk.stream().map(e -> e.salesReady).toArray(Boolean[]::new),
                        chunk.stream().map(e -> e.cause.name()).toArray(String[]::new),
                        chunk.stream().map(e -> e.interactionId).toArray(String[]::new),
                        chunk.stream().map(e -> utc(e.at)).toArray(OffsetDateTime[]::new))
                        .replaceWithVoid());
    }

    /** The open leads of the contact. */
    public Uni<List<UUID>> openLeadsOf(UUID contactId) {
        return Panache.getSession().chain(session -> session.createSelectionQuery(
                "select t.leadId from TrackedLead t where t.contactId = ?1 and t.open = true", UUID.class)
                .setParameter(1, contactId).getResultList());
    }

    /** Which of these leads are tracked and open. */
    public Uni<List<UUID>> openAmong(Collection<UUID> leadIds) {
        return Panache.getSession().map(session -> session.createSelectionQuery(
                "select t.leadId from TrackedLead t where t.leadId " + HqlIn.in(1, leadIds) + " and t.open = true",
                UUID.class)).chain(query -> HqlIn.bind(query, 1, leadIds).getResultList());
    }

    /** An open lead of a contact, with the topic that decides which interactions count for it. */
    public record OpenLead(UUID leadId, UUID contactId, String topic) {
    }

    /** The open leads of these contacts. */
    public Uni<List<OpenLead>> openLeadsOfContacts(Collection<UUID> contactIds) {
        return Panache.getSession().map(session -> session.createSelectionQuery(
                "select t.leadId, t.contactId, t.topic from TrackedLead t where t.contactId " + HqlIn.in(1, contactIds)
                        + " and t.open = true",
                Object[].class))
                .chain(query -> HqlIn.bind(query, 1, contactIds).getResultList())
                .map(rows -> rows.stream().map(row -> new OpenLead((UUID) row[0], (UUID) row[1], (String) row[2]))
                        .toList());
    }

    /** The duplicate contact's leads now belong to the survivor. */
    public Uni<Integer> moveToContact(UUID duplicateId, UUID survivorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery("update tracked_lead set contact_id = ?1 "
                + "where contact_id = ?2")
                .setParameter(1, survivorId).setParameter(2, duplicateId)
                .executeUpdate());
    }

    /**
     * Erasure: the contact's leads lose their scores and score history and stay known only as closed ids without
     * attributes (status {@link TrackedLead#ERASED}). Their rule hits and applications go with the contact's
     * interactions ({@code InteractionRepository#deleteOfContact}), before.
     */
    public Uni<Void> eraseLeadsOf(UUID contactId) {
        String leads = "(select t.lead_id from tracked_lead t where t.contact_id = ?1)";
        return Panache.getSession().chain(session -> session.createNativeQuery("delete from lead_score where lead_id in "
                + leads).setParameter(1, contactId).executeUpdate()
                .chain(() -> session.createNativeQuery("delete from lead_score_history where lead_id in " + leads)
                        .setParameter(1, contactId).executeUpdate())
                .chain(() -> session.createNativeQuery("update tracked_lead set open = false, "
                        + "status = '" + TrackedLead.ERASED + "', attributes = '{}' where contact_id = ?1")
                        .setParameter(1, contactId).executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Locks (skipping those another transaction holds) up to {@code limit} open leads with hits expired by
     * {@code now}, in lead-id order.
     */
    public Uni<List<UUID>> lockWithExpiredHits(Instant now, int limit) {
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("select cast(t.lead_id as text) from tracked_lead t "
                        + "where t.open and exists (select 1 from rule_hit h where h.lead_id = t.lead_id "
                        + "and h.expires_at <= ?1) order by t.lead_id limit ?2 for update of t skip locked",
                        String.class)
                        .setParameter(1, now)
                        .setParameter(2, limit)
                        .getResultList())
                .map(ids -> ids.stream().map(UUID::fromString).toList());
    }

    /**
     * The open leads after {@code after} (in id order) with a score under the model and, when {@code inScope}, those
     * its scope admits as well.
     */
    public Uni<List<UUID>> openLeadsAffectedBy(CompiledModel model, boolean inScope, UUID after, int limit) {
        List<Object> params = new ArrayList<>();
        params.add(after);
        params.add(model.id());
        StringBuilder sql = new StringBuilder("select cast(t.lead_id as text) from tracked_lead t where t.open "
                + "and t.lead_id > ?1 and (exists (select 1 from lead_score s where s.lead_id = t.lead_id "
                + "and s.model_id = ?2)");
        if (inScope) {
            if (model.topics().isEmpty()) {
                sql.append(" or true");
            } else {
                sql.append(" or lower(trim(t.topic)) in (");
                for (int i = 0; i < model.topics().size(); i++) {
                    params.add(CompiledModel.normaliseTopic(model.topics().get(i)));
                    sql.append(i == 0 ? "" : ", ").append('?').append(params.size());
                }
                sql.append(')');
            }
        }
        sql.append(") order by t.lead_id limit ").append(limit);
        return Panache.getSession().chain(session -> {
            var query = session.createNativeQuery(sql.toString(), String.class);
            for (int i = 0; i < params.size(); i++) {
                query.setParameter(i + 1, params.get(i));
            }
            return query.getResultList();
        }).map(ids -> ids.stream().map(UUID::fromString).toList());
    }

    /** The lead's score rows, by model id. */
    public Uni<List<LeadScore>> scoresOf(UUID leadId) {
        return LeadScore.list("leadId = ?1 order by modelId", leadId);
    }

    /** Up to {@code limit} of the lead's history entries after the entry {@code after} (0: from the first), oldest first. */
    public Uni<List<ScoreHistoryEntry>> historyOf(UUID leadId, long after, int limit) {
        return ScoreHistoryEntry.<ScoreHistoryEntry> find("leadId = ?1 and id > ?2 order by id", leadId, after)
                .page(0, limit).list();
    }
}
