package io.leadsuite.scoring.repository;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.kit.sql.SessionSql;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.Interaction;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.domain.TrackedLead;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.json.JsonObject;

/** Stores interactions and finds those still to be applied to a lead. Needs the caller's transaction. */
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
        return TrackedLeadRepository.each(chunks, chunk -> SessionSql.column(String.class, "insert into interaction (id, type, "
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
     * The stored interactions that count for the lead and were not applied to it yet, oldest first: those naming the
     * lead, and those naming no lead but its contact (by id, or by e-mail when they name no contact id) whose topic is
     * none or the lead's.
     *
     * @param email the contact's normalised e-mail, or null when not known
     */
    public Uni<List<InteractionFacts>> pendingFor(UUID leadId, UUID contactId, String email, String topic) {
        return Interaction.<Interaction> list("from Interaction i where (i.leadId = ?1 or (i.leadId is null "
                + "and (i.contactId = ?2 or (i.contactId is null and i.email = ?3)) "
                + "and (i.topic is null or lower(trim(i.topic)) = ?4))) "
                + "and not exists (select 1 from InteractionApplication a where a.interactionId = i.id "
                + "and a.leadId = ?1) order by i.occurredAt, i.receivedAt, i.id",
                leadId, contactId, email == null ? "" : email, CompiledModel.normaliseTopic(topic))
                .map(list -> list.stream().map(InteractionRepository::facts).toList());
    }

    public static InteractionFacts facts(Interaction interaction) {
        Map<String, Object> attributes = new java.util.HashMap<>();
        if (interaction.attributesJson != null) {
            interaction.attributes().forEach(e -> attributes.put(e.getKey(),
                    e.getValue() instanceof io.vertx.core.json.JsonArray list ? list.getList() : e.getValue()));
        }
        return new InteractionFacts(interaction.id, interaction.type, interaction.occurredAt, attributes);
    }

    public static InteractionFacts facts(InteractionInput input) {
        return new InteractionFacts(input.id(), input.type(), input.occurredAt(), input.attributes());
    }
}
