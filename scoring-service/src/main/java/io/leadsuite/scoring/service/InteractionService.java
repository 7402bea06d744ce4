package io.leadsuite.scoring.service;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.consumer.GroupCommit;
import io.leadsuite.scoring.config.ScoringConfig;
import io.leadsuite.scoring.domain.CompiledModel;
import io.leadsuite.scoring.domain.InteractionFacts;
import io.leadsuite.scoring.domain.InteractionInput;
import io.leadsuite.scoring.repository.ContactRefRepository;
import io.leadsuite.scoring.repository.InteractionRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository;
import io.leadsuite.scoring.repository.TrackedLeadRepository.OpenLead;
import io.leadsuite.scoring.service.LeadScorer.Application;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * Accepts interactions: stores each (an id seen before is a duplicate and ignored) and, in the same transaction,
 * applies it to its target leads: the named lead if it is tracked and open; without a lead, every open tracked lead of
 * the contact (by id, or by e-mail through contact.created), of the interaction's topic when it names one. An
 * interaction whose lead or contact is not known yet stays stored and is applied when they arrive. One that names an
 * erased contact or a lead of one is accepted and dropped: nothing about the person is stored again.
 */
@ApplicationScoped
public class InteractionService {

    @Inject
    ScoringLocks locks;
    @Inject
    InteractionRepository store;
    @Inject
    TrackedLeadRepository trackedLeads;
    @Inject
    ContactRefRepository contacts;
    @Inject
    LeadScorer scorer;

    /** The ids that were new and those that had been seen before, in input order. */
    public record Outcome(List<String> accepted, List<String> duplicates) {
    }

    /** Submissions over HTTP: those that arrive together are applied in one transaction (see {@link GroupCommit}). */
    private final GroupCommit<List<InteractionInput>, Outcome> intake;

    InteractionService(Vertx vertx, ScoringConfig config) {
        this.intake = new GroupCommit<>("Interaction intake", vertx, config.intake().maxBatch(), List::size,
                InteractionService::namedLeads, this::applyInOrder);
    }

    /**
     * Stores and applies one submission, together with the submissions that arrive meanwhile, in a transaction of
     * its own; the outcome after the commit.
     */
    public Uni<Outcome> submit(List<InteractionInput> inputs) {
        return intake.submit(inputs);
    }

    /** Stores and applies the interactions in the transaction of the caller (a consumer's batch). */
    public Uni<Outcome> apply(List<InteractionInput> inputs) {
        return applyInOrder(List.of(inputs)).map(outcomes -> outcomes.get(0));
    }

    /**
     * Applies the submissions as if one after another, in one pass: one lock set, one store statement, one scoring
     * pass; an id is accepted where it first occurs and a duplicate wherever else (and when stored before).
     */
    Uni<List<Outcome>> applyInOrder(List<List<InteractionInput>> submissions) {
        List<InteractionInput> inputs = submissions.stream().flatMap(List::stream).toList();
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
        // the inputs' positions (in the flattened list) that count as accepted
        boolean[] acceptedAt = new boolean[inputs.size()];
        List<Application> applications = new ArrayList<>();
        Set<String> erased = new HashSet<>();
        return locks.acquire(keys)
                .chain(() -> store.namingErased(inputs))
                .chain(ofErased -> {
                    erased.addAll(ofErased);
                    return store.storeAll(inputs.stream().filter(i -> !erased.contains(i.id())).toList());
                })
                .chain(stored -> {
                    Set<String> counted = new HashSet<>();
                    List<InteractionInput> fresh = new ArrayList<>();
                    for (int i = 0; i < inputs.size(); i++) {
                        InteractionInput input = inputs.get(i);
                        if (erased.contains(input.id()) && counted.add(input.id())) {
                            // accepted and dropped: its contact was erased
                            acceptedAt[i] = true;
                        } else if (stored.contains(input.id()) && counted.add(input.id())) {
                            acceptedAt[i] = true;
                            fresh.add(input);
                        }
                    }
                    return targets(fresh).invoke(targets -> {
                        for (InteractionInput input : fresh) {
                            targets.getOrDefault(input.id(), List.of()).forEach(
                                    lead -> applications.add(new Application(InteractionFacts.of(input), lead)));
                        }
                    });
                })
                .chain(() -> scorer.apply(List.of(), applications))
                .replaceWith(() -> {
                    List<Outcome> outcomes = new ArrayList<>(submissions.size());
                    int at = 0;
                    for (List<InteractionInput> submission : submissions) {
                        List<String> accepted = new ArrayList<>();
                        List<String> duplicates = new ArrayList<>();
                        for (InteractionInput input : submission) {
                            (acceptedAt[at++] ? accepted : duplicates).add(input.id());
                        }
                        outcomes.add(new Outcome(accepted, duplicates));
                    }
                    return outcomes;
                });
    }

    /** The leads a submission names, whose score changes continue the submission's trace. */
    private static List<UUID> namedLeads(List<InteractionInput> inputs) {
        return inputs.stream().map(InteractionInput::leadId).filter(java.util.Objects::nonNull).distinct().toList();
    }

    /**
     * The open leads each interaction counts for, by interaction id, in three queries whatever the number of
     * interactions: the named leads; the contacts of the e-mails; the open leads of the contacts.
     */
    private Uni<Map<String, List<UUID>>> targets(List<InteractionInput> inputs) {
        Set<UUID> named = new HashSet<>();
        Set<String> emails = new HashSet<>();
        for (InteractionInput input : inputs) {
            if (input.leadId() != null) {
                named.add(input.leadId());
            } else if (input.contactId() == null && input.email() != null) {
                emails.add(input.email());
            }
        }
        Map<String, UUID> contactsByEmail = new HashMap<>();
        Set<UUID> openNamed = new HashSet<>();
        Map<UUID, List<OpenLead>> leadsByContact = new HashMap<>();
        Uni<Void> namedLeads = named.isEmpty() ? Uni.createFrom().voidItem()
                : trackedLeads.openAmong(named).invoke(openNamed::addAll).replaceWithVoid();
        Uni<Void> byEmail = emails.isEmpty() ? Uni.createFrom().voidItem()
                : contacts.withEmails(emails)
                        .invoke(refs -> refs.forEach(ref -> contactsByEmail.put(ref.email, ref.contactId)))
                        .replaceWithVoid();
        return namedLeads.chain(() -> byEmail).chain(() -> {
            Set<UUID> contactIds = new HashSet<>();
            for (InteractionInput input : inputs) {
                if (input.leadId() == null) {
                    UUID contact = input.contactId() != null ? input.contactId() : contactsByEmail.get(input.email());
                    if (contact != null) {
                        contactIds.add(contact);
                    }
                }
            }
            if (contactIds.isEmpty()) {
                return Uni.createFrom().voidItem();
            }
            return trackedLeads.openLeadsOfContacts(contactIds)
                    .invoke(leads -> leads.forEach(
                            lead -> leadsByContact.computeIfAbsent(lead.contactId(), k -> new ArrayList<>()).add(lead)))
                    .replaceWithVoid();
        }).map(ignored -> {
            Map<String, List<UUID>> targets = new HashMap<>();
            for (InteractionInput input : inputs) {
                List<UUID> leads = new ArrayList<>();
                if (input.leadId() != null) {
                    if (openNamed.contains(input.leadId())) {
                        leads.add(input.leadId());
                    }
                } else {
                    UUID contact = input.contactId() != null ? input.contactId() : contactsByEmail.get(input.email());
                    String topic = input.topic() == null ? null : CompiledModel.normaliseTopic(input.topic());
                    for (OpenLead lead : leadsByContact.getOrDefault(contact, List.of())) {
                        if (topic == null || topic.equals(CompiledModel.normaliseTopic(lead.topic()))) {
                            leads.add(lead.leadId());
                        }
                    }
                }
                targets.put(input.id(), leads);
            }
            return targets;
        });
    }

}
