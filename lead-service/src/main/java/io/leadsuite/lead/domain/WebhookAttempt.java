package io.leadsuite.lead.domain;

import java.time.Instant;

import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** One try to deliver: the HTTP status (null when there was no answer), the error, and how long it took. */
@Entity
@Table(name = "webhook_attempt")
public class WebhookAttempt extends PanacheEntityBase {

    @Id
    public Long id;
    public Long deliveryId;
    public Instant at;
    public Integer status;
    public String error;
    public long durationMs;
}
