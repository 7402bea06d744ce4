package io.leadsuite.lead.domain;

import java.time.Instant;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A CRM's subscription: where to POST which lead events, and the secret that signs them. */
@Entity
@Table(name = "webhook_subscription")
public class WebhookSubscription extends PanacheEntityBase {

    @Id
    public UUID id;
    public String url;
    public String secret;
    /** Comma-separated event types. */
    public String events;
    public String createdBy;
    public Instant createdAt;
    public Instant deletedAt;

    /** For Hibernate. */
    protected WebhookSubscription() {
    }

    /** A new subscription of {@code createdBy}'s to these event types, signed with {@code secret}. */
    public WebhookSubscription(String url, String secret, Collection<String> eventTypes, String createdBy,
            Instant createdAt) {
        this.id = UUID.randomUUID();
        this.url = url;
        this.secret = secret;
        this.events = String.join(",", eventTypes);
        this.createdBy = createdBy;
        this.createdAt = createdAt;
    }

    public List<String> eventTypes() {
        return Arrays.asList(events.split(","));
    }
}
