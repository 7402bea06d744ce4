package io.leadsuite.lead.service.webhook;

import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.kit.outbox.Outbox;
import io.leadsuite.lead.config.WebhookConfig;
import io.leadsuite.lead.domain.WebhookAttempt;
import io.leadsuite.lead.domain.WebhookDelivery;
import io.leadsuite.lead.domain.WebhookSubscription;
import io.leadsuite.lead.repository.WebhookRepository;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.hibernate.reactive.panache.common.WithSession;
import io.quarkus.panache.common.Sort;
import io.smallrye.mutiny.Uni;

/** Webhook subscriptions, their delivery log, and the fan-out of lead events into deliveries. */
@ApplicationScoped
public class WebhookService {

    /** Lead event types: {@code lead.} and a lower-case word with dashes (today's and future ones). */
    static final Pattern EVENT_TYPE = Pattern.compile("^lead\\.[a-z][a-z-]{0,62}$");
    static final int MAX_SECRET_LENGTH = 256;
    static final int MAX_URL_LENGTH = 2000;

    @Inject
    TargetGuard guard;
    @Inject
    WebhookConfig config;
    @Inject
    WebhookRepository repository;

    public record NewSubscription(String url, String secret, List<String> events) {
    }

    /**
     * A delivery with its attempts, for the log, and when its next attempt is due: its own time, or for one waiting
     * behind an earlier pending delivery of its lead, that one's (it goes once that one is delivered).
     */
    public record DeliveryLog(WebhookDelivery delivery, List<WebhookAttempt> attempts, Instant nextAttemptAt) {
    }

    /**
     * Validates the request (fields first, then where the URL's host resolves) and stores the subscription. Problems
     * are 422s naming the field.
     */
    public Uni<WebhookSubscription> subscribe(NewSubscription request, String actor) {
        List<Violation> errors = new ArrayList<>();
        String url = request.url() == null ? null : request.url().strip();
        if (url == null || url.isEmpty()) {
            errors.add(new Violation("url", "must not be blank"));
        } else if (url.length() > MAX_URL_LENGTH) {
            errors.add(new Violation("url", "must be at most " + MAX_URL_LENGTH + " characters"));
        } else {
            guard.malformed(url).ifPresent(m -> errors.add(new Violation("url", m)));
        }
        String secret = request.secret();
        if (secret == null || secret.length() < config.minSecretLength() || secret.length() > MAX_SECRET_LENGTH) {
            errors.add(new Violation("secret", "must be " + config.minSecretLength() + " to "
                    + MAX_SECRET_LENGTH + " characters"));
        }
        LinkedHashSet<String> events = new LinkedHashSet<>();
        if (request.events() == null || request.events().isEmpty()) {
            errors.add(new Violation("events", "must name at least one event type, e.g. lead.sales-ready"));
        } else {
            for (String type : request.events()) {
                if (type == null || !EVENT_TYPE.matcher(type).matches()) {
                    errors.add(new Violation("events", "'" + type + "' is not a lead event type "
                            + "(lead.created, lead.sales-ready, ...)"));
                } else {
                    events.add(type);
                }
            }
        }
        if (!errors.isEmpty()) {
            return Uni.createFrom().failure(new InvalidValues("The subscription is not valid", errors));
        }
        return guard.refusal(url).chain(refusal -> {
            if (refusal.isPresent()) {
                return Uni.createFrom().failure(new InvalidValues("The webhook target is not allowed: "
                        + refusal.get(), List.of(new Violation("url", refusal.get()))));
            }
            WebhookSubscription subscription = new WebhookSubscription(url, secret, events, actor, Instant.now());
            return Panache.withTransaction(subscription::<WebhookSubscription> persist);
        });
    }

    /**
     * Who asks: a CRM client sees and manages only the subscriptions it made (their {@code createdBy} is its subject);
     * an admin sees all. Another client's subscription reads as not found, so its existence is not revealed either.
     */
    public record Requester(String subject, boolean admin) {
        boolean owns(WebhookSubscription subscription) {
            return admin || subject.equals(subscription.createdBy);
        }
    }

    @WithSession
    public Uni<List<WebhookSubscription>> list(Requester requester) {
        return (requester.admin()
                ? WebhookSubscription.<WebhookSubscription> find("deletedAt is null", Sort.by("createdAt").and("id"))
                : WebhookSubscription.<WebhookSubscription> find("deletedAt is null and createdBy = ?1",
                        Sort.by("createdAt").and("id"), requester.subject()))
                .list();
    }

    @WithSession
    public Uni<WebhookSubscription> get(UUID id, Requester requester) {
        return find(id, requester);
    }

    private static Uni<WebhookSubscription> find(UUID id, Requester requester) {
        return WebhookSubscription.<WebhookSubscription> findById(id)
                .onItem().transform(s -> s == null || s.deletedAt != null || !requester.owns(s) ? null : s)
                .onItem().ifNull().failWith(() -> new NotFound("Webhook subscription", id));
    }

    /** Deletes the subscription: no further deliveries, pending ones cancelled, the log kept. */
    public Uni<Void> delete(UUID id, Requester requester) {
        return Panache.withTransaction(() -> find(id, requester).chain(subscription -> {
            subscription.deletedAt = Instant.now();
            return repository.cancelPending(id);
        })).replaceWithVoid();
    }

    /** The subscription's deliveries, newest first, each with its attempts; after a delivery id. */
    @WithSession
    public Uni<List<DeliveryLog>> deliveries(UUID subscriptionId, Requester requester, Long beforeId, int limit) {
        // a deleted subscription's log stays readable by its owner
        return WebhookSubscription.<WebhookSubscription> findById(subscriptionId)
                .onItem().transform(s -> s == null || !requester.owns(s) ? null : s)
                .onItem().ifNull().failWith(() -> new NotFound("Webhook subscription", subscriptionId))
                .chain(s -> WebhookDelivery.<WebhookDelivery> find("subscriptionId = ?1 and id < ?2",
                        Sort.descending("id"), subscriptionId, beforeId == null ? Long.MAX_VALUE : beforeId)
                        .range(0, limit - 1).list())
                .chain(deliveries -> {
                    if (deliveries.isEmpty()) {
                        return Uni.createFrom().item(List.<DeliveryLog> of());
                    }
                    List<Long> ids = deliveries.stream().map(d -> d.id).toList();
                    return WebhookAttempt.<WebhookAttempt> find("deliveryId in ?1", Sort.by("id"), ids).list()
                            .chain(attempts -> waitedFor(subscriptionId, deliveries).map(heads -> {
                                Map<Long, List<WebhookAttempt>> byDelivery = attempts.stream()
                                        .collect(Collectors.groupingBy(a -> a.deliveryId));
                                return deliveries.stream()
                                        .map(d -> new DeliveryLog(d, byDelivery.getOrDefault(d.id, List.of()),
                                                d.waiting ? heads.getOrDefault(d.leadId, d.nextAttemptAt)
                                                        : d.nextAttemptAt))
                                        .toList();
                            }));
                });
    }

    /**
     * For each lead with a waiting delivery among these: the next attempt of the delivery it waits behind, the lead's
     * first pending one that is not waiting (the one the worker tries).
     */
    private static Uni<Map<UUID, Instant>> waitedFor(UUID subscriptionId, List<WebhookDelivery> deliveries) {
        List<UUID> leads = deliveries.stream().filter(d -> d.waiting).map(d -> d.leadId).distinct().toList();
        if (leads.isEmpty()) {
            return Uni.createFrom().item(Map.of());
        }
        return WebhookDelivery.<WebhookDelivery> find(
                "subscriptionId = ?1 and leadId in ?2 and state = 'PENDING' and waiting = false",
                Sort.by("sequence").and("id"), subscriptionId, leads).list()
                .map(heads -> heads.stream().collect(Collectors.toMap(h -> h.leadId, h -> h.nextAttemptAt,
                        (first, later) -> first)));
    }

    /**
     * One delivery per live subscription to each lead event's type, in the transaction that records the events and in
     * one statement for all of them; the unique (subscription, event) pair makes a second fan-out of one event create
     * none. Each is POSTed as its outbox row holds it.
     */
    public Uni<Void> fanOut(List<Outbox.Row> events) {
        List<Outbox.Row> leadEvents = events.stream().filter(row -> row.event().type().startsWith("lead.")).toList();
        if (leadEvents.isEmpty()) {
            return Uni.createFrom().voidItem();
        }
        return repository.fanOut(leadEvents.stream().map(row -> row.event().id()).toArray(UUID[]::new),
                leadEvents.stream().map(row -> row.event().type()).toArray(String[]::new),
                leadEvents.stream().map(row -> row.event().subject()).toArray(UUID[]::new),
                leadEvents.stream().map(row -> row.event().sequence()).toArray(Long[]::new),
                leadEvents.stream().map(Outbox.Row::payload).toArray(String[]::new));
    }
}
