package io.leadsuite.lead.service;

import java.util.UUID;
import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;

import org.hibernate.exception.ConstraintViolationException;

import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.client.ContactServiceClient.ContactDetails;
import io.leadsuite.lead.service.LeadService.CaptureCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.pgclient.PgException;

/**
 * A web-form or lead-gen submission: contact-service matches or creates the contact by e-mail, then the lead is
 * created or touched. Safe to race: both steps are atomic on their own unique keys.
 */
@ApplicationScoped
public class CaptureService {

    private final ContactDirectory contacts;
    private final LeadService leads;
    private final LeadMetrics metrics;

    public CaptureService(ContactDirectory contacts, LeadService leads, LeadMetrics metrics) {
        this.contacts = contacts;
        this.leads = leads;
        this.metrics = metrics;
    }

    public record CaptureResult(UUID contactId, UUID leadId, boolean contactCreated, boolean leadCreated) {
    }

    /**
     * @param inTransaction runs inside the transaction that records the capture, with its result (the REST layer
     *        remembers an Idempotency-Key answer there)
     * @param anonymous an anonymous visitor's post through a public web form: scoring counts it once per lead per
     *        window (the capture's {@code anonymous} flag)
     */
    public Uni<CaptureResult> capture(ContactDetails person, String topic, String source, String sourceRef,
            String campaign, String actor, boolean anonymous, Function<CaptureResult, Uni<Void>> inTransaction) {
        return contacts.matchOrCreate(person)
                .onFailure().transform(ContactDirectory::unavailable)
                .chain(match -> Uni.createFrom()
                        .deferred(() -> Panache.withTransaction(() -> leads
                                .recordCapture(new CaptureCommand(match.contact().id(), topic, source, sourceRef,
                                        campaign, anonymous),
                                        actor)
                                .map(recorded -> new CaptureResult(match.contact().id(), recorded.lead().id,
                                        match.created(), recorded.created()))
                                .call(result -> inTransaction.apply(result))))
                        .onFailure(UniqueViolation::in).retry().atMost(2))
                .invoke(metrics::captured);
    }

    static boolean isUniqueViolation(Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof PgException pg && "23505".equals(pg.getSqlState())) {
                return true;
            }
            if (t instanceof ConstraintViolationException cve
                    && cve.getKind() == ConstraintViolationException.ConstraintKind.UNIQUE) {
                return true;
            }
        }
        return false;
    }
}
