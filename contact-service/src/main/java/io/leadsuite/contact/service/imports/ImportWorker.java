package io.leadsuite.contact.service.imports;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jboss.logging.Logger;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.contact.config.ContactConfig;
import io.leadsuite.contact.domain.Contact;
import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.contact.repository.ContactRepository;
import io.leadsuite.contact.repository.ImportJobRepository;
import io.leadsuite.contact.service.ContactValidator;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.outbox.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs import jobs in the background, one chunk per transaction: read the next rows, validate and normalise them
 * (the same rules as the API), create or update their contacts (the contact's own rule for incoming details, an empty
 * cell leaving a field as it is), write one outbox event per created or updated contact, record failed lines, delete
 * the chunk's rows and advance the job's counters, then commit. A crash loses at most the chunk in flight, which the
 * next worker redoes: the job resumes from its first uncommitted row. A worker holds a job by a lease it renews every
 * chunk, so replicas share jobs safely and an abandoned job is taken over. Blocking JDBC on a thread of its own: the
 * import is the service's JDBC exception (see the service package). Logs name jobs and counts, never row contents.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final ObjectMapper ROWS = new ObjectMapper();
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private final AgroalDataSource db;
    private final ImportJobRepository jobs;
    private final ContactRepository contacts;
    private final ContactValidator validator;
    private final Outbox outbox;
    private final ContactConfig.Imports config;
    private ScheduledExecutorService executor;

    public ImportWorker(AgroalDataSource db, ImportJobRepository jobs, ContactRepository contacts,
            ContactValidator validator, Outbox outbox, ContactConfig config) {
        this.db = db;
        this.jobs = jobs;
        this.contacts = contacts;
        this.validator = validator;
        this.outbox = outbox;
        this.config = config.imports();
    }

    void start(@Observes StartupEvent event) {
        executor = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "contact-import-worker");
            t.setDaemon(true);
            return t;
        });
        long every = config.pollInterval().toMillis();
        executor.scheduleWithFixedDelay(this::poll, every, every, TimeUnit.MILLISECONDS);
    }

    void stop(@Observes ShutdownEvent event) {
        if (executor != null) {
            executor.shutdownNow();
        }
    }

    private void poll() {
        try {
            UUID job;
            while (!Thread.currentThread().isInterrupted() && (job = claim()) != null) {
                run(job);
            }
        } catch (Exception e) {
            // the class only: a database message may quote a value of a row (personal data)
            LOG.warnf("Import worker: %s (will retry)", e.getClass().getName());
        }
    }

    /** Takes the oldest queued job, or a running one whose lease ran out (one statement, auto-committed). */
    UUID claim() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            return jobs.claim(c, config.lease());
        }
    }

    private void run(UUID job) {
        LOG.infof("Import %s: started", job);
        int attempts = 0;
        while (true) {
            try {
                if (!chunk(job)) {
                    LOG.infof("Import %s: ended", job);
                    return;
                }
                attempts = 0;
            } catch (SQLException | RuntimeException e) {
                attempts++;
                // a concurrent capture created one of the chunk's contacts, or the database hiccupped: redo the chunk
                if (attempts >= 5) {
                    LOG.errorf("Import %s failed after %d attempts: %s", job, attempts, e.getClass().getName());
                    fail(job, "processing failed repeatedly: " + e.getClass().getSimpleName());
                    return;
                }
                LOG.warnf("Import %s: chunk rolled back (%s), retrying", job, e.getClass().getSimpleName());
            }
        }
    }

    private void fail(UUID job, String reason) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            jobs.fail(c, job, reason);
            c.commit();
        } catch (SQLException e) {
            LOG.errorf("Import %s: could not be marked failed: %s", job, e.getClass().getName());
        }
    }

    /** Processes one chunk in one transaction; false when the job has nothing left (or was cancelled). */
    boolean chunk(UUID job) throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                boolean more = chunk(c, job);
                c.commit();
                return more;
            } catch (SQLException | RuntimeException e) {
                c.rollback();
                throw e;
            }
        }
    }

    private boolean chunk(Connection c, UUID job) throws SQLException {
        int reported = jobs.lockRunning(c, job);
        if (reported < 0) {
            return false;
        }
        List<ImportJobRepository.Row> rows = jobs.nextRows(c, job, config.chunkSize());
        if (rows.isEmpty()) {
            jobs.done(c, job);
            return false;
        }

        Map<Integer, String> errors = new LinkedHashMap<>();
        Map<Integer, ContactDetails> valid = new LinkedHashMap<>();
        for (ImportJobRepository.Row row : rows) {
            if (row.error() != null) {
                errors.put(row.line(), row.error());
                continue;
            }
            Map<String, String> f = read(row.data());
            ContactValidator.Result result = validator.check(new ContactDetails(f.get("email"), f.get("firstName"),
                    f.get("lastName"), f.get("phone"), f.get("company"), f.get("jobTitle"), f.get("industry"),
                    f.get("country"), null, null));
            if (result.valid()) {
                valid.put(row.line(), result.details());
            } else {
                // field names and reasons only: never the values (personal data)
                errors.put(row.line(), result.errors().stream().map(e -> e.field() + ": " + e.message())
                        .collect(Collectors.joining("; ")));
            }
        }

        Map<String, Contact> byEmail = contacts.lockByEmail(c,
                valid.values().stream().map(ContactDetails::email).distinct().toList());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Envelope<?>> events = new ArrayList<>();
        Map<UUID, Contact> fresh = new LinkedHashMap<>();
        Map<UUID, Contact> changed = new LinkedHashMap<>();
        int updated = 0;
        int unchanged = 0;
        for (ContactDetails d : valid.values()) {
            Contact contact = byEmail.get(d.email());
            if (contact == null) {
                contact = new Contact();
                contact.id = UUID.randomUUID();
                contact.email = d.email();
                contact.createdAt = now;
                contact.take(d, Contact.Blanks.KEEP, null, now);
                byEmail.put(d.email(), contact);
                fresh.put(contact.id, contact);
                events.add(ContactEvents.created(contact));
                continue;
            }
            List<String> fields = contact.take(d, Contact.Blanks.KEEP, null, now);
            if (fields.isEmpty()) {
                unchanged++;
                continue;
            }
            // a contact created earlier in this chunk is inserted as it ends up; its later rows still count as updates
            if (!fresh.containsKey(contact.id)) {
                changed.put(contact.id, contact);
            }
            events.add(ContactEvents.updated(contact, fields, now));
            updated++;
        }
        contacts.insertImported(c, List.copyOf(fresh.values()), now);
        contacts.updateImported(c, List.copyOf(changed.values()), now);
        outbox.addAll(c, events);
        int room = Math.max(0, config.maxReportedErrors() - reported);
        jobs.reportErrors(c, job, errors.entrySet().stream().limit(room)
                .collect(LinkedHashMap::new, (m, e) -> m.put(e.getKey(), e.getValue()), Map::putAll));
        jobs.advance(c, job, rows.get(rows.size() - 1).line(), rows.size(), fresh.size(), updated, unchanged,
                errors.size(), config.lease());
        return true;
    }

    /**
     * A row as {@code ImportJobs} stored it: this service's own JSON of the line's fields. Read without the kit's rule
     * for request bodies (RejectNulCharacters), so that a NUL character is ContactValidator's to report on its line,
     * not a failure of the chunk.
     */
    private Map<String, String> read(String data) {
        try {
            return ROWS.readValue(data, FIELDS);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable import row", e);
        }
    }
}
