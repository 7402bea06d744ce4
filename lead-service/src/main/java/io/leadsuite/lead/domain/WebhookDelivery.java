package io.leadsuite.lead.domain;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/**
 * One event to deliver to one subscription: PENDING until the target answers 2xx (DELIVERED), or CANCELLED when the
 * subscription is deleted first. Written by the webhook service's fan-out, worked by its delivery worker.
 */
@Entity
@Table(name = "webhook_delivery")
public class WebhookDelivery extends PanacheEntityBase {

    public enum State {
        PENDING,
        DELIVERED,
        CANCELLED
    }

    @Id
    public Long id;
    public UUID subscriptionId;
    public UUID eventId;
    public String eventType;
    public UUID leadId;
    public long sequence;
    public String payload;
    public String state;
    /** Behind an earlier pending delivery of the same subscription and lead: not tried until that one is delivered. */
    public boolean waiting;
    public int attempts;
    public Instant nextAttemptAt;
    public Instant leasedUntil;
    public Integer lastStatus;
    public String lastError;
    public Instant createdAt;
    public Instant deliveredAt;
}
