package io.leadsuite.scoring.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.leadsuite.scoring.domain.ContactRef;
import io.leadsuite.scoring.domain.ModelDefinition;
import io.leadsuite.scoring.service.LeadScorer.Application;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithTransaction;
import io.smallrye.mutiny.Uni;

/**
 * Accepts interactions: stores each (an id seen before is a duplicate and ignored) and, in the same transaction,
 * applies it to its target leads: the named lead if it is tracked and open; without a lead, every open tracked lead of
 * the contact (by id, or by e-mail through contact.created), of the interaction's topic when it names one. An
 * interaction whose lead or contact is not known yet stays stored and is applied when they arrive.
 */
@ApplicationScoped
public class InteractionService {

    private final ScoringLocks locks;
    private final InteractionStore store;
    private final LeadScorer scorer;

    public InteractionService(ScoringLocks locks, InteractionStore store, LeadScorer scorer) {
        this.locks = locks;
        this.store = store;
        this.scorer = scorer;
    }

    /** The ids that were new and those that had been seen before, in input order. */
    public record Outcome(List<String> accepted, List<String> duplicates) {
    }

    @WithTransaction
    public Uni<Outcome> submit(List<InteractionInput> inputs) {
        Set<ScoringLocks.Key> keys = new LinkedHashSet<>();
        for (InteractionInput input : inputs) {
            if (input.leadId() != null) {
                keys.add(ScoringLocks.lead(input.leadId()));
            }
            if (input.contactId() != null) {
                keys.add(ScoringLocks.contact(input.contactId()));
            } else if (input.email() != null) {
                keys.add(ScoringLocks.email(input.email()));
            }
        }
        List<String> accepted = new ArrayList<>();
        List<String> duplicates = new ArrayList<>();
        List<Application> applications = new ArrayList<>();
        Map<String, List<UUID>> targetCache = new HashMap<>();
        Map<String, UUID> contactCache = new HashMap<>();
        return locks.acquire(keys)
                .chain(() -> LeadScorer.each(inputs, input -> store.store(input).chain(stored -> {
                    if (!stored) {
                        duplicates.add(input.id());
                        return Uni.createFrom().voidItem();
                    }
                    accepted.add(input.id());
                    return targets(input, targetCache, contactCache).invoke(leads -> leads.forEach(
                            lead -> applications.add(new Application(InteractionStore.facts(input), lead))))
                            .replaceWithVoid();
                })))
                .chain(() -> scorer.apply(List.of(), applications))
                .replaceWith(() -> new Outcome(accepted, duplicates));
    }

    private Uni<List<UUID>> targets(InteractionInput input, Map<String, List<UUID>> cache,
            Map<String, UUID> contacts) {
        if (input.leadId() != null) {
            String key = "lead:" + input.leadId();
            if (cache.containsKey(key)) {
                return Uni.createFrom().item(cache.get(key));
            }
            return openLeads("t.leadId = ?1", input.leadId(), null).invoke(ids -> cache.put(key, ids));
        }
        Uni<UUID> contact;
        if (input.contactId() != null) {
            contact = Uni.createFrom().item(input.contactId());
        } else if (contacts.containsKey(input.email())) {
            contact = Uni.createFrom().item(contacts.get(input.email()));
        } else {
            contact = ContactRef.findByEmail(input.email()).map(ref -> ref == null ? null : ref.contactId)
                    .invoke(id -> contacts.put(input.email(), id));
        }
        return contact.chain(contactId -> {
            if (contactId == null) {
                return Uni.createFrom().item(List.<UUID> of());
            }
            String topic = input.topic() == null ? null : ModelDefinition.normaliseTopic(input.topic());
            String key = "contact:" + contactId + ":" + topic;
            if (cache.containsKey(key)) {
                return Uni.createFrom().item(cache.get(key));
            }
            return openLeads("t.contactId = ?1", contactId, topic).invoke(ids -> cache.put(key, ids));
        });
    }

    private static Uni<List<UUID>> openLeads(String condition, UUID id, String normalisedTopic) {
        String hql = "select t.leadId from TrackedLead t where " + condition + " and t.open = true"
                + (normalisedTopic == null ? "" : " and lower(trim(t.topic)) = ?2");
        return Panache.getSession().chain(session -> {
            var query = session.createSelectionQuery(hql, UUID.class).setParameter(1, id);
            if (normalisedTopic != null) {
                query.setParameter(2, normalisedTopic);
            }
            return query.getResultList();
        });
    }
}
