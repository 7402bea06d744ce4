package io.leadsuite.lead.rest;

import java.util.function.Function;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.core.Response;

import io.leadsuite.kit.idempotency.IdempotentRequests;
import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.lead.service.CaptureService;
import io.leadsuite.lead.service.CaptureService.CaptureResult;
import io.leadsuite.lead.service.CaptureService.Submission;
import io.leadsuite.lead.service.LeadMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;

/**
 * A capture with its Idempotency-Key (or none): owns the key and the capture's one transaction. An earlier answer to
 * the key is replayed. Otherwise the contact is matched, outside the transaction (contact-service is another process),
 * then the capture is recorded and its answer stored in one transaction, so a key is only ever remembered together
 * with its effect. The loser of a race on the one-open-lead-per-topic index runs that transaction again and then
 * finds the winner's lead.
 */
@ApplicationScoped
public class IdempotentCapture {

    @Inject
    CaptureService captures;
    @Inject
    IdempotentRequests idempotency;
    @Inject
    LeadMetrics metrics;

    /**
     * @param keyed the request's key, or null without one
     * @param answer what the caller is answered for a result (the same the first time and on a replay)
     */
    public Uni<Response> capture(IdempotentRequests.Request keyed, Submission submission, String actor,
            Function<CaptureResult, IdempotentRequests.Answer> answer) {
        return idempotency.answer(keyed, () -> captures.matchContact(submission)
                .chain(match -> Uni.createFrom()
                        .deferred(() -> Panache.withTransaction(() -> captures.record(submission, match, actor)
                                .call(result -> idempotency.remember(keyed, answer.apply(result)))))
                        .onFailure(UniqueViolation::in).retry().atMost(2))
                // counted once the capture is committed
                .invoke(metrics::captured)
                .map(answer));
    }
}
