package io.leadsuite.scoring.repository;

import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.Interaction;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.domain.InteractionTypes;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/**
 * The queries of interactions ({@code interaction}): stores them, finds those still to be applied to a lead and those
 * applied, moves and deletes them with their contact. Needs the caller's transaction.
 */
@ApplicationScoped
public class InteractionRepository {

    /** Stores the interaction unless its id is known; true when it was stored (false: a duplicate). */
    public Uni<Boolean> store(InteractionInput input) {
        String attributes = new JsonObject(input.attributes() == null ? Map.of() : input.attributes()).encode();
        return Panache.getSession()
                .chain(session -> session.createNativeQuery("insert into interaction (id, type, contact_id, email, "
                        + "lead_id, topic, occurred_at, attributes, received_at) values (?1, ?2, ?3, ?4, ?5, ?6, ?7, "
                        + "cast(cast(?8 as text) as jsonb), ?9) on conflict (id) do nothing")
                        .setParameter(1, input.id())
                        .setParameter(2, input.type())
                        .setParameter(3, input.contactId())
                        .setParameter(4, input.email())
                        .setParameter(5, input.leadId())
                        .setParameter(6, input.topic())
                        .setParameter(7, input.occurredAt())
                        .setParameter(8, attributes)
                        .setParameter(9, Instant.now())
                        .executeUpdate())
                .map(inserted -> inserted == 1);
    }

    /**
     * Stores the interactions whose ids are not known yet, in multi-row statements; yields the ids that were stored
     * (the others are duplicates: seen before, or earlier in the same list).
     */
    public Uni<java.util.Set<String>> storeAll(List<InteractionInput> inputs) {
        java.util.Set<String> stored = new java.util.HashSet<>();
        List<List<InteractionInput>> chunks = new java.util.ArrayList<>();
        for (int i = 0; i < inputs.size(); i += CHUNK) {
            chunks.add(inputs.subList(i, Math.min(inputs.size(), i + CHUNK)));
        }
        Instant now = Instant.now();
        OffsetDateTime receivedAt = now.atOffset(ZoneOffset.UTC);
        // arrays, not a multi-row values list: one statement text whatever the chunk's size (see kit SessionSql)
        return SessionSteps.each(chunks, chunk -> SessionSql.column(String.class, "insert into interaction (id, type, "
                + "contact_id, email, lead_id, topic, occurred_at, attributes, received_at) "
                + "select i, t, c, e, l, tp, o, cast(a as jsonb), $9 from unnest($1::text[], $2::text[], $3::uuid[], "
                + "$4::text[], $5::uuid[], $6::text[], $7::timestamptz[], $8::text[]) as u(i, t, c, e, l, tp, o, a) "
                + "on conflict (id) do nothing returning id",
                chunk.stream().map(InteractionInput::id).toArray(String[]::new),
                chunk.stream().map(InteractionInput::type).toArray(String[]::new),
                chunk.stream().map(InteractionInput::contactId).toArray(UUID[]::new),
                chunk.stream().map(InteractionInput::email).toArray(String[]::new),
                chunk.stream().map(InteractionInput::leadId).toArray(UUID[]::new),
                chunk.stream().map(InteractionInput::topic).toArray(String[]::new),
                chunk.stream().map(input -> input.occurredAt().atOffset(ZoneOffset.UTC)).toArray(OffsetDateTime[]::new),
                chunk.stream().map(input -> new JsonObject(input.attributes() == null ? Map.of() : input.attributes())
                        .encode()).toArray(String[]::new),
                receivedAt)
                .invoke(stored::addAll).replaceWithVoid()).replaceWith(stored);
    }

    /**
     * The ids of the interactions that name an erased contact (by id) or a lead of one: they are never stored, so an
     * interaction sent after the erasure leaves nothing about the person behind. Callers hold the contact and lead
     * locks of the interactions (an erasure takes the contact's).
     */
    public Uni<java.util.Set<String>> namingErased(List<InteractionInput> inputs) {
        if (inputs.stream().allMatch(i -> i.contactId() == null && i.leadId() == null)) {
            return Uni.createFrom().item(java.util.Set.of());
        }
        return SessionSql.column(String.class, "select u.id from unnest("
                + "cast($1 as text[]), cast($2 as uuid[]), cast($3 as uuid[])) as u(id, contact_id, lead_id) "
                + "where exists (select 1 from contact_ref c where c.contact_id = u.contact_id and c.erased_at is not null) "
                + "or exists (select 1 from tracked_lead t where t.lead_id = u.lead_id and t.status = $4)",
                inputs.stream().map(InteractionInput::id).toArray(String[]::new),
                inputs.stream().map(InteractionInput::contactId).toArray(UUID[]::new),
                inputs.stream().map(InteractionInput::leadId).toArray(UUID[]::new),
                TrackedLead.ERASED)
                .map(java.util.HashSet::new);
    }

    /** Rows per multi-row insert (9 parameters each; PostgreSQL allows 32767). */
    static final int CHUNK = 500;

    /**
     * A lead asked for its pending interactions, with what decides which count for it.
     *
     * @param email the contact's normalised e-mail, or null when not known
     */
    public record LeadInScope(UUID leadId, UUID contactId, String email, String topic) {
    }

    /**
     * The stored interactions that count for each of these leads and were not applied to it yet, in one statement: by
     * lead, in the order given, each lead's oldest first (a lead without any is absent). Those naming the lead, and
     * those naming no lead but its contact (by id, or by e-mail when they name no contact id) whose topic is none or
     * the lead's. The leads travel as arrays ({@code unnest}): one statement text whatever their number, not a list
     * parameter (which Hibernate translates again at every execution); each lead's interactions come from a lateral
     * subquery with that condition, so the indexes on lead, contact and e-mail serve it as they serve one lead.
     */
    public Uni<Map<UUID, List<InteractionFacts>>> pendingFor(List<LeadInScope> leads) {
        if (leads.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return SessionSql.select("select l.lead_id, i.id, i.type, i.occurred_at, cast(i.attributes as text) "
                + "from unnest($1::uuid[], $2::uuid[], $3::text[], $4::text[]) with ordinality "
                + "as l(lead_id, contact_id, email, topic, n) "
                + "cross join lateral (select p.id, p.type, p.occurred_at, p.received_at, p.attributes "
                + "from interaction p where (p.lead_id = l.lead_id or (p.lead_id is null "
                + "and (p.contact_id = l.contact_id or (p.contact_id is null and p.email = l.email)) "
                + "and (p.topic is null or lower(trim(p.topic)) = l.topic))) "
                + "and not exists (select 1 from interaction_application a where a.interaction_id = p.id "
                + "and a.lead_id = l.lead_id)) i "
                + "order by l.n, i.occurred_at, i.received_at, i.id",
                leads.stream().map(LeadInScope::leadId).toArray(UUID[]::new),
                leads.stream().map(LeadInScope::contactId).toArray(UUID[]::new),
                leads.stream().map(lead -> lead.email() == null ? "" : lead.email()).toArray(String[]::new),
                leads.stream().map(lead -> CompiledModel.normaliseTopic(lead.topic())).toArray(String[]::new))
                .map(rows -> {
                    Map<UUID, List<InteractionFacts>> pending = new LinkedHashMap<>();
                    for (Object[] row : rows) {
                        Interaction stored = new Interaction();
                        stored.id = (String) row[1];
                        stored.type = (String) row[2];
                        stored.occurredAt = ((OffsetDateTime) row[3]).toInstant();
                        stored.attributesJson = (String) row[4];
                        pending.computeIfAbsent((UUID) row[0], lead -> new ArrayList<>())
                                .add(InteractionFacts.of(stored));
                    }
                    return pending;
                });
    }

    /** The interactions applied to the lead, oldest first: what a from-scratch score is computed from. */
    public Uni<List<InteractionFacts>> appliedTo(UUID leadId) {
        return Interaction.<Interaction> list("from Interaction i where exists (select 1 from InteractionApplication a "
                + "where a.interactionId = i.id and a.leadId = ?1) order by i.occurredAt, i.id", leadId)
                .map(list -> list.stream().map(InteractionFacts::of).toList());
    }

    /**
     * Whether the lead has another anonymous FORM_SUBMITTED interaction (a public-form post) within {@code window}
     * either side of {@code at}.
     */
    public Uni<Boolean> anonymousPostNear(UUID leadId, String exceptId, Instant at, Duration window) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "select count(*) from interaction where lead_id = ?1 and type = ?2 and id <> ?3 "
                        + "and attributes @> '{\"" + ANONYMOUS + "\": true}'::jsonb "
                        + "and occurred_at > ?4 and occurred_at <= ?5",
                Long.class)
                .setParameter(1, leadId)
                .setParameter(2, InteractionTypes.FORM_SUBMITTED)
                .setParameter(3, exceptId)
                .setParameter(4, at.minus(window))
                .setParameter(5, at.plus(window))
                .getSingleResult())
                .map(counted -> ((Number) counted).longValue() > 0);
    }

    /** The attribute that marks a FORM_SUBMITTED interaction from an anonymous public-form post. */
    public static final String ANONYMOUS = "anonymous";

    /**
     * The duplicate contact's interactions now name the survivor: those naming it by id, and those naming it only by
     * its e-mail ({@code duplicateEmail}, null when unknown).
     */
    public Uni<Void> moveToContact(UUID duplicateId, String duplicateEmail, UUID survivorId) {
        return Panache.getSession().chain(session -> session.createNativeQuery(
                "update interaction set contact_id = ?1 where contact_id = ?2")
                .setParameter(1, survivorId).setParameter(2, duplicateId).executeUpdate()
                .chain(() -> duplicateEmail == null ? Uni.createFrom().item(0)
                        : session.createNativeQuery("update interaction set contact_id = ?1 "
                                + "where contact_id is null and email = ?2")
                                .setParameter(1, survivorId).setParameter(2, duplicateEmail)
                                .executeUpdate()))
                .replaceWithVoid();
    }

    /**
     * Erasure: deletes the contact's interactions (naming it by id, by its e-mail, or naming one of its leads) with
     * their applications and rule hits, and every application and rule hit of its leads.
     *
     * @param email the contact's normalised e-mail, or null when unknown
     */
    public Uni<Void> deleteOfContact(UUID contactId, String email) {
        String known = email == null ? "" : email;
        String erased = "(select i.id from interaction i where i.contact_id = ?1 or (i.contact_id is null "
                + "and i.email = ?2) or i.lead_id in (select t.lead_id from tracked_lead t "
                + "where t.contact_id = ?1))";
        String leads = "(select t.lead_id from tracked_lead t where t.contact_id = ?1)";
        return Panache.getSession().chain(session -> session.createNativeQuery("delete from rule_hit where lead_id in "
                + leads + " or interaction_id in " + erased).setParameter(1, contactId).setParameter(2, known)
                .executeUpdate()
                .chain(() -> session.createNativeQuery("delete from interaction_application where lead_id in "
                        + leads + " or interaction_id in " + erased).setParameter(1, contactId)
                        .setParameter(2, known).executeUpdate())
                .chain(() -> session.createNativeQuery("delete from interaction where id in " + erased)
                        .setParameter(1, contactId).setParameter(2, known).executeUpdate()))
                .replaceWithVoid();
    }
}
