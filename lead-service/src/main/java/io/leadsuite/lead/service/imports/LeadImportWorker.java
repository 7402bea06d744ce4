package io.leadsuite.lead.service.imports;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.ConcurrentLinkedDeque;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import org.jboss.logging.Logger;

import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.poller.Pollers;
import io.leadsuite.kit.poller.WokenPoller;
import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.client.ContactServiceClient.ContactMatch;
import io.leadsuite.lead.config.LeadImportConfig;
import io.leadsuite.lead.repository.LeadImportJobRepository;
import io.leadsuite.lead.service.LeadService;
import io.leadsuite.lead.service.LeadService.CaptureCommand;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;

/**
 * Works through the lead imports this replica took, one chunk per transaction and one job after the other in turn:
 * the chunk's contacts are matched or created by contact-service (as a capture's are, with the uploader's token, a
 * few calls at a time), then in one transaction each row's lead is created or touched exactly as a capture does it
 * ({@link LeadService#recordCapture}: lead.created / lead.captured, routing, SLA and nurture in the same transaction,
 * so scoring-service scores it like a captured lead), the failed lines are recorded and the job's counters and lease
 * advance. A cancelled job is dropped at its next chunk. Logs name jobs and counts, never row contents.
 */
@ApplicationScoped
public class LeadImportWorker {

    private static final Logger LOG = Logger.getLogger(LeadImportWorker.class);
    /** Chunk attempts in a row that may fail (contact-service away, a racing capture) before the job fails. */
    private static final int MAX_ATTEMPTS = 5;

    /** An import in progress on this replica: its rows, where it is, and whose authority it works with. */
    static final class Pending {
        final UUID id;
        final String authorization;
        final String actor;
        final List<LeadImportRow> rows;
        int position;
        int reported;
        int attempts;

        Pending(UUID id, String authorization, String actor, List<LeadImportRow> rows) {
            this.id = id;
            this.authorization = authorization;
            this.actor = actor;
            this.rows = rows;
        }
    }

    /** A row's contact, or why contact-service refused it. */
    private record Matched(LeadImportRow row, ContactMatch match, String error) {
    }

    @Inject
    ContactDirectory contacts;
    @Inject
    LeadService leads;
    @Inject
    LeadImportConfig config;
    @Inject
    Pollers pollers;
    @Inject
    LeadImportJobRepository jobs;
    private final ConcurrentLinkedDeque<Pending> queue = new ConcurrentLinkedDeque<>();
    private WokenPoller poller;

    void start(@Observes StartupEvent event) {
        poller = pollers.start("Lead import", config.pollInterval(), this::pass);
    }

    /** @param actor the uploader: the leads' history names them as who created or touched each lead */
    void enqueue(UUID id, String authorization, String actor, List<LeadImportRow> rows) {
        queue.add(new Pending(id, authorization, actor, rows));
        if (poller != null) {
            poller.wake();
        }
    }

    void drop(UUID id) {
        queue.removeIf(p -> p.id.equals(id));
    }

    /** One chunk of the job whose turn it is; true when there is more to do. */
    Uni<Boolean> pass() {
        Pending job = queue.peekFirst();
        if (job == null) {
            return Uni.createFrom().item(false);
        }
        return chunk(job).map(more -> {
            job.attempts = 0;
            queue.remove(job);
            if (more) {
                queue.addLast(job);
            }
            return !queue.isEmpty();
        }).onFailure().recoverWithUni(failure -> {
            job.attempts++;
            boolean refused = failure instanceof NotPermitted;
            if (!refused && job.attempts < MAX_ATTEMPTS) {
                LOG.warnf("Import %s: chunk rolled back (%s), retrying", job.id, failure.getClass().getSimpleName());
                return Uni.createFrom().item(false);
            }
            queue.remove(job);
            String reason = refused
                    ? "contact-service refused the uploader's authorisation (an expired token?); the lines counted in "
                            + "'processed' went in, import the others again"
                    : "processing failed repeatedly: " + failure.getClass().getSimpleName()
                            + (failure instanceof DomainException ? ": " + failure.getMessage() : "");
            LOG.errorf("Import %s failed: %s", job.id, reason);
            return Panache.withTransaction(() -> jobs.end(job.id, reason)).replaceWith(!queue.isEmpty());
        });
    }

    private Uni<Boolean> chunk(Pending job) {
        List<LeadImportRow> rows = job.rows.subList(job.position,
                Math.min(job.rows.size(), job.position + config.chunkSize()));
        if (rows.isEmpty()) {
            return Panache.withTransaction(() -> jobs.end(job.id, null))
                    .invoke(() -> LOG.infof("Import %s: done, %d rows", job.id, job.rows.size()))
                    .replaceWith(false);
        }
        List<LeadImportRow> readable = rows.stream().filter(r -> r.error() == null).toList();
        return Multi.createFrom().iterable(readable)
                .onItem().transformToUni(row -> contacts.matchOrCreate(job.authorization, row.person())
                        .map(match -> new Matched(row, match, null))
                        .onFailure(InvalidValues.class)
                        .recoverWithItem(failure -> new Matched(row, null, describe((InvalidValues) failure))))
                .merge(config.concurrency())
                .collect().asList()
                .chain(matched -> record(job, rows, matched))
                .invoke(active -> job.position += rows.size())
                .map(active -> active);
    }

    /** The chunk's leads, failed lines and counters, in one transaction; false when the job is no longer active. */
    private Uni<Boolean> record(Pending job, List<LeadImportRow> rows, List<Matched> matched) {
        List<Matched> inOrder = new ArrayList<>(matched);
        inOrder.sort(Comparator.comparingInt(m -> m.row().line()));
        List<LeadImportJobError> errors = new ArrayList<>();
        rows.stream().filter(r -> r.error() != null).forEach(r -> errors.add(new LeadImportJobError(r.line(), r.error())));
        inOrder.stream().filter(m -> m.error() != null)
                .forEach(m -> errors.add(new LeadImportJobError(m.row().line(), m.error())));
        errors.sort(Comparator.comparingInt(LeadImportJobError::line));
        int[] counts = new int[4]; // contacts created, contacts matched, leads created, leads touched
        return Panache.withTransaction(() -> jobs.lockState(job.id).chain(state -> {
            if (state.isEmpty() || !(state.get().equals("QUEUED") || state.get().equals("RUNNING"))) {
                LOG.infof("Import %s: %s, stopped", job.id, state.orElse("gone"));
                queue.remove(job);
                return Uni.createFrom().item(false);
            }
            Uni<Void> done = Uni.createFrom().voidItem();
            for (Matched m : inOrder) {
                if (m.match() == null) {
                    continue;
                }
                LeadImportRow row = m.row();
                done = done.chain(() -> leads.recordCapture(new CaptureCommand(m.match().contact().id(),
                        row.topic(), row.source(), row.sourceRef(), row.campaign()), job.actor)
                        .invoke(recorded -> {
                            counts[m.match().created() ? 0 : 1]++;
                            counts[recorded.created() ? 2 : 3]++;
                        }).replaceWithVoid()
                        // a topic or campaign the service refuses (REFUSE) is the line's error; it is refused
                        // before anything is written
                        .onFailure(InvalidValues.class).recoverWithUni(refused -> {
                            errors.add(new LeadImportJobError(row.line(), describe((InvalidValues) refused)));
                            return Uni.createFrom().voidItem();
                        }));
            }
            int room = Math.max(0, config.maxReportedErrors() - job.reported);
            done = done.chain(() -> {
                errors.sort(Comparator.comparingInt(LeadImportJobError::line));
                Uni<Void> written = Uni.createFrom().voidItem();
                for (LeadImportJobError e : errors.subList(0, Math.min(room, errors.size()))) {
                    written = written.chain(() -> jobs.reportError(job.id, e.line(), e.message()));
                }
                return written;
            });
            return done.chain(() -> jobs.progress(job.id, rows.size(), counts[0], counts[1], errors.size(),
                    counts[2], counts[3], Instant.now().plus(config.lease())))
                    .invoke(() -> job.reported += Math.min(room, errors.size()))
                    .replaceWith(true);
        }));
    }

    /**
     * The fields a rule refused and why (a line's own problem: an invalid e-mail, phone or country, an unknown topic),
     * field names and reasons, never values.
     */
    private static String describe(InvalidValues refused) {
        if (refused.violations().isEmpty()) {
            return "refused: " + refused.getMessage();
        }
        return String.join("; ", refused.violations().stream().map(v -> v.field() + ": " + v.message()).toList());
    }

    private record LeadImportJobError(int line, String message) {
    }
}
