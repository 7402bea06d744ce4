package io.leadsuite.lead.rest;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.ws.rs.core.Response;

import io.leadsuite.kit.consumer.GroupCommit;
import io.leadsuite.kit.idempotency.IdempotentRequests;
import io.leadsuite.kit.sql.UniqueViolation;
import io.leadsuite.lead.client.ContactServiceClient.ContactMatch;
import io.leadsuite.lead.config.CaptureConfig;
import io.leadsuite.lead.service.CaptureService;
import io.leadsuite.lead.service.CaptureService.CaptureResult;
import io.leadsuite.lead.service.CaptureService.Submission;
import io.leadsuite.lead.service.LeadEvents;
import io.leadsuite.lead.service.LeadMetrics;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.core.Vertx;

/**
 * A capture with its Idempotency-Key (or none): owns the key and the capture's transaction. An earlier answer to the
 * key is replayed. Otherwise the contact is matched, outside the transaction (contact-service is another process),
 * then the capture is recorded and its answer stored in one transaction, so a key is only ever remembered together
 * with its effect. The loser of a race on the one-open-lead-per-topic index runs that transaction again and then
 * finds the winner's lead.
 * <p>
 * Captures that arrive together are recorded in one transaction (the kit's {@link GroupCommit}, several lanes): a
 * capture arriving while a lane is free starts a transaction at once; those arriving while every lane is busy go
 * together in the next, one after another as if alone. Each pays its own statements but not a transaction and a pooled
 * connection of its own.
 * A batch that fails (an erased contact, a lost race, a key taken by a concurrent request) is rolled back and its
 * captures recorded one per transaction, so a capture fails only on its own account. Each capture is recorded in its
 * own request's trace.
 */
@ApplicationScoped
public class IdempotentCapture {

    private final CaptureService captures;
    private final IdempotentRequests idempotency;
    private final LeadMetrics metrics;
    private final GroupCommit<Pending, Recorded> intake;

    /** A capture whose contact is matched, waiting to be recorded. */
    private record Pending(IdempotentRequests.Request keyed, Submission submission, ContactMatch match, String actor,
            Function<CaptureResult, IdempotentRequests.Answer> answer, boolean retry) {
    }

    private record Recorded(CaptureResult result, IdempotentRequests.Answer answer) {
    }

    IdempotentCapture(CaptureService captures, IdempotentRequests idempotency, LeadMetrics metrics, LeadEvents events,
            Vertx vertx, CaptureConfig config) {
        this.captures = captures;
        this.idempotency = idempotency;
        this.metrics = metrics;
        // the lead events of a batch's captures are written together at its end (three statements, not three each)
        this.intake = GroupCommit.oneAfterAnother("Capture intake", vertx, config.maxBatch(), config.lanes(),
                this::record, new GroupCommit.Transaction() {
                    @Override
                    public <T> Uni<T> run(Supplier<Uni<T>> work) {
                        return Panache.withTransaction(() -> events.gathered(work));
                    }
                });
    }

    /**
     * @param keyed the request's key, or null without one
     * @param answer what the caller is answered for a result (the same the first time and on a replay)
     */
    public Uni<Response> capture(IdempotentRequests.Request keyed, Submission submission, String actor,
            Function<CaptureResult, IdempotentRequests.Answer> answer) {
        return idempotency.answer(keyed, () -> captures.matchContact(submission)
                .chain(match -> {
                    // a run after a lost race reads the contact's open lead even for a contact just created
                    AtomicInteger runs = new AtomicInteger();
                    return Uni.createFrom()
                            .deferred(() -> intake.submit(
                                    new Pending(keyed, submission, match, actor, answer, runs.getAndIncrement() > 0)))
                            .onFailure(UniqueViolation::in).retry().atMost(2);
                })
                // counted once the capture is committed
                .invoke(recorded -> metrics.captured(recorded.result()))
                .map(Recorded::answer));
    }

    /** Records one capture and remembers its answer, in the caller's transaction (its batch's). */
    private Uni<Recorded> record(Pending pending) {
        return captures.record(pending.submission(), pending.match(), pending.actor(), pending.retry())
                .chain(result -> {
                    IdempotentRequests.Answer answer = pending.answer().apply(result);
                    return idempotency.remember(pending.keyed(), answer).replaceWith(new Recorded(result, answer));
                });
    }
}
