package io.leadsuite.contact.service.imports;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
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
import io.leadsuite.contact.event.ContactEvents;
import io.leadsuite.contact.service.ContactDetails;
import io.leadsuite.contact.service.ContactValidator;
import io.leadsuite.contracts.Envelope;
import io.leadsuite.kit.outbox.Outbox;
import io.quarkus.runtime.ShutdownEvent;
import io.quarkus.runtime.StartupEvent;

/**
 * Runs import jobs in the background, one chunk per transaction: read the next rows, validate and normalise them
 * (the same rules as the API), create or update their contacts, write one outbox event per created or updated
 * contact, record failed lines, delete the chunk's rows and advance the job's counters, then commit. A crash loses at
 * most the chunk in flight, which the next worker redoes: the job resumes from its first uncommitted row. A worker
 * holds a job by a lease it renews every chunk, so replicas share jobs safely and an abandoned job is taken over.
 * Logs name jobs and counts, never row contents.
 */
@ApplicationScoped
public class ImportWorker {

    private static final Logger LOG = Logger.getLogger(ImportWorker.class);
    private static final TypeReference<Map<String, String>> FIELDS = new TypeReference<>() {
    };

    private final AgroalDataSource db;
    private final ContactValidator validator;
    private final ObjectMapper mapper;
    private final Outbox outbox;
    private final ContactConfig.Imports config;
    private ScheduledExecutorService executor;

    public ImportWorker(AgroalDataSource db, ContactValidator validator, ObjectMapper mapper, Outbox outbox,
            ContactConfig config) {
        this.db = db;
        this.validator = validator;
        this.mapper = mapper;
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

    /** Takes the oldest queued job, or a running one whose lease ran out. */
    UUID claim() throws SQLException {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(true);
            try (PreparedStatement s = c.prepareStatement("update import_job set state = 'RUNNING', "
                    + "started_at = coalesce(started_at, now()), lease_until = now() + make_interval(secs => ?) "
                    + "where id = (select id from import_job where state in ('QUEUED', 'RUNNING') and "
                    + "(lease_until is null or lease_until < now()) order by created_at limit 1 for update skip locked) "
                    + "returning id")) {
                s.setDouble(1, config.lease().toMillis() / 1000.0);
                try (ResultSet rs = s.executeQuery()) {
                    return rs.next() ? rs.getObject(1, UUID.class) : null;
                }
            }
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
            try (PreparedStatement s = c.prepareStatement("update import_job set state = 'FAILED', failure = ?, "
                    + "finished_at = now(), lease_until = null where id = ? and state = 'RUNNING'");
                    PreparedStatement d = c.prepareStatement("delete from import_row where job_id = ?")) {
                s.setString(1, reason);
                s.setObject(2, job);
                s.executeUpdate();
                d.setObject(1, job);
                d.executeUpdate();
            }
            c.commit();
        } catch (SQLException e) {
            LOG.errorf("Import %s: could not be marked failed: %s", job, e.getClass().getName());
        }
    }

    /** One row of a chunk as read. */
    private record Input(int line, Map<String, String> fields, String error) {
    }

    /** A contact as the chunk changes it. */
    private static final class State {
        UUID id;
        String email;
        String firstName;
        String lastName;
        String phone;
        String company;
        String jobTitle;
        String industry;
        String country;
        boolean consent;
        long sequence;
        Instant createdAt;
        boolean fresh;
        boolean dirty;
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
        int reported;
        try (PreparedStatement s = c.prepareStatement(
                "select state, (select count(*) from import_error e where e.job_id = j.id) from import_job j "
                        + "where id = ? for update")) {
            s.setObject(1, job);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || !rs.getString(1).equals("RUNNING")) {
                    return false;
                }
                reported = rs.getInt(2);
            }
        }
        List<Input> inputs = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select line, data, error from import_row where job_id = ? order by line limit ?")) {
            s.setObject(1, job);
            s.setInt(2, config.chunkSize());
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    String data = rs.getString(2);
                    inputs.add(new Input(rs.getInt(1), data == null ? null : read(data), rs.getString(3)));
                }
            }
        }
        if (inputs.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("update import_job set state = 'DONE', finished_at = now(), "
                    + "lease_until = null where id = ?")) {
                s.setObject(1, job);
                s.executeUpdate();
            }
            return false;
        }

        Map<Integer, String> errors = new LinkedHashMap<>();
        Map<Integer, ContactDetails> valid = new LinkedHashMap<>();
        for (Input input : inputs) {
            if (input.error() != null) {
                errors.put(input.line(), input.error());
                continue;
            }
            Map<String, String> f = input.fields();
            ContactValidator.Result result = validator.check(new ContactDetails(f.get("email"), f.get("firstName"),
                    f.get("lastName"), f.get("phone"), f.get("company"), f.get("jobTitle"), f.get("industry"),
                    f.get("country"), null, null));
            if (result.valid()) {
                valid.put(input.line(), result.details());
            } else {
                // field names and reasons only: never the values (personal data)
                errors.put(input.line(), result.errors().stream().map(e -> e.field() + ": " + e.message())
                        .collect(Collectors.joining("; ")));
            }
        }

        Map<String, State> contacts = load(c, valid.values().stream().map(ContactDetails::email).distinct().toList());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        List<Envelope<?>> events = new ArrayList<>();
        int created = 0;
        int updated = 0;
        int unchanged = 0;
        for (ContactDetails d : valid.values()) {
            State state = contacts.get(d.email());
            if (state == null) {
                state = new State();
                state.id = UUID.randomUUID();
                state.email = d.email();
                state.createdAt = now;
                state.fresh = true;
                apply(state, d);
                contacts.put(d.email(), state);
                Contact snapshot = snapshot(state);
                events.add(ContactEvents.created(snapshot));
                state.sequence = snapshot.eventSequence;
                created++;
                continue;
            }
            List<String> changed = apply(state, d);
            if (changed.isEmpty()) {
                unchanged++;
                continue;
            }
            state.dirty = true;
            Contact snapshot = snapshot(state);
            events.add(ContactEvents.updated(snapshot, changed, now));
            state.sequence = snapshot.eventSequence;
            updated++;
        }
        insertContacts(c, contacts.values().stream().filter(s -> s.fresh).toList(), now);
        updateContacts(c, contacts.values().stream().filter(s -> !s.fresh && s.dirty).toList(), now);
        outbox.addAll(c, events);
        int room = Math.max(0, config.maxReportedErrors() - reported);
        try (PreparedStatement s = c.prepareStatement(
                "insert into import_error (job_id, line, message) values (?, ?, ?) on conflict do nothing")) {
            for (Map.Entry<Integer, String> e : errors.entrySet()) {
                if (room-- <= 0) {
                    break;
                }
                s.setObject(1, job);
                s.setInt(2, e.getKey());
                s.setString(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
        try (PreparedStatement s = c.prepareStatement("delete from import_row where job_id = ? and line <= ?")) {
            s.setObject(1, job);
            s.setInt(2, inputs.get(inputs.size() - 1).line());
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("update import_job set processed = processed + ?, "
                + "created = created + ?, updated = updated + ?, unchanged = unchanged + ?, failed = failed + ?, "
                + "lease_until = now() + make_interval(secs => ?) where id = ?")) {
            s.setInt(1, inputs.size());
            s.setInt(2, created);
            s.setInt(3, updated);
            s.setInt(4, unchanged);
            s.setInt(5, errors.size());
            s.setDouble(6, config.lease().toMillis() / 1000.0);
            s.setObject(7, job);
            s.executeUpdate();
        }
        return true;
    }

    private Map<String, String> read(String data) {
        try {
            return mapper.readValue(data, FIELDS);
        } catch (Exception e) {
            throw new IllegalStateException("unreadable import row", e);
        }
    }

    /**
     * The chunk's existing contacts by e-mail, locked. An e-mail of a merged duplicate stands for its survivor.
     */
    private Map<String, State> load(Connection c, List<String> emails) throws SQLException {
        Map<String, State> byEmail = new HashMap<>();
        if (emails.isEmpty()) {
            return byEmail;
        }
        Map<UUID, List<String>> survivors = new HashMap<>();
        try (PreparedStatement s = c.prepareStatement("select id, email, first_name, last_name, phone, company, "
                + "job_title, industry, country, consent_marketing, event_sequence, created_at, status, merged_into "
                + "from contact where email = any(?) for update")) {
            s.setArray(1, c.createArrayOf("text", emails.toArray()));
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    if (rs.getString(13).equals("MERGED")) {
                        survivors.computeIfAbsent(rs.getObject(14, UUID.class), k -> new ArrayList<>())
                                .add(rs.getString(2));
                    } else {
                        State state = state(rs);
                        byEmail.put(state.email, state);
                    }
                }
            }
        }
        if (!survivors.isEmpty()) {
            try (PreparedStatement s = c.prepareStatement("select id, email, first_name, last_name, phone, company, "
                    + "job_title, industry, country, consent_marketing, event_sequence, created_at, status "
                    + "from contact where id = any(?) and status = 'ACTIVE' for update")) {
                s.setArray(1, c.createArrayOf("uuid", survivors.keySet().toArray()));
                try (ResultSet rs = s.executeQuery()) {
                    while (rs.next()) {
                        State state = byEmail.computeIfAbsent(rs.getString(2), k -> {
                            try {
                                return state(rs);
                            } catch (SQLException e) {
                                throw new IllegalStateException(e);
                            }
                        });
                        survivors.get(state.id).forEach(alias -> byEmail.put(alias, state));
                    }
                }
            }
        }
        return byEmail;
    }

    private static State state(ResultSet rs) throws SQLException {
        State s = new State();
        s.id = rs.getObject(1, UUID.class);
        s.email = rs.getString(2);
        s.firstName = rs.getString(3);
        s.lastName = rs.getString(4);
        s.phone = rs.getString(5);
        s.company = rs.getString(6);
        s.jobTitle = rs.getString(7);
        s.industry = rs.getString(8);
        s.country = rs.getString(9);
        s.consent = rs.getBoolean(10);
        s.sequence = rs.getLong(11);
        s.createdAt = rs.getObject(12, OffsetDateTime.class).toInstant();
        return s;
    }

    /** An imported value replaces the stored one; an empty cell leaves it as it is. Answers the changed fields. */
    private static List<String> apply(State s, ContactDetails d) {
        List<String> changed = new ArrayList<>();
        s.firstName = pick("firstName", s.firstName, d.firstName(), changed);
        s.lastName = pick("lastName", s.lastName, d.lastName(), changed);
        s.phone = pick("phone", s.phone, d.phone(), changed);
        s.company = pick("company", s.company, d.company(), changed);
        s.jobTitle = pick("jobTitle", s.jobTitle, d.jobTitle(), changed);
        s.industry = pick("industry", s.industry, d.industry(), changed);
        s.country = pick("country", s.country, d.country(), changed);
        return changed;
    }

    private static String pick(String field, String current, String imported, List<String> changed) {
        if (imported == null || Objects.equals(current, imported)) {
            return current;
        }
        changed.add(field);
        return imported;
    }

    /** A detached Contact carrying the state, for the event shapes of {@link ContactEvents}. */
    private static Contact snapshot(State s) {
        Contact c = new Contact();
        c.id = s.id;
        c.email = s.email;
        c.firstName = s.firstName;
        c.lastName = s.lastName;
        c.phone = s.phone;
        c.company = s.company;
        c.jobTitle = s.jobTitle;
        c.industry = s.industry;
        c.country = s.country;
        c.consentMarketing = s.consent;
        c.eventSequence = s.sequence;
        c.createdAt = s.createdAt;
        return c;
    }

    private static OffsetDateTime utc(Instant instant) {
        return instant.atOffset(ZoneOffset.UTC);
    }

    private static java.sql.Array texts(Connection c, List<State> states, java.util.function.Function<State, String> f)
            throws SQLException {
        return c.createArrayOf("text", states.stream().map(f).toArray());
    }

    /** One statement for the whole chunk (unnest of arrays): a round trip per chunk, not per row. */
    private static void insertContacts(Connection c, List<State> fresh, Instant now) throws SQLException {
        if (fresh.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("insert into contact (id, email, first_name, last_name, "
                + "phone, company, job_title, industry, country, consent_marketing, event_sequence, created_at, "
                + "updated_at, version) select u.id, u.email, u.fn, u.ln, u.ph, u.co, u.jt, u.ind, u.ctry, false, "
                + "u.seq, ?, ?, 0 from unnest(cast(? as uuid[]), cast(? as text[]), cast(? as text[]), "
                + "cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), "
                + "cast(? as text[]), cast(? as bigint[])) as u(id, email, fn, ln, ph, co, jt, ind, ctry, seq) "
                + "on conflict (email) do nothing")) {
            s.setObject(1, utc(now));
            s.setObject(2, utc(now));
            s.setArray(3, c.createArrayOf("uuid", fresh.stream().map(st -> st.id).toArray()));
            s.setArray(4, texts(c, fresh, st -> st.email));
            s.setArray(5, texts(c, fresh, st -> st.firstName));
            s.setArray(6, texts(c, fresh, st -> st.lastName));
            s.setArray(7, texts(c, fresh, st -> st.phone));
            s.setArray(8, texts(c, fresh, st -> st.company));
            s.setArray(9, texts(c, fresh, st -> st.jobTitle));
            s.setArray(10, texts(c, fresh, st -> st.industry));
            s.setArray(11, texts(c, fresh, st -> st.country));
            s.setArray(12, c.createArrayOf("bigint", fresh.stream().map(st -> st.sequence).toArray()));
            if (s.executeUpdate() != fresh.size()) {
                // someone created one of these e-mails meanwhile: roll back and redo the chunk, which now finds it
                throw new IllegalStateException("contact created concurrently");
            }
        }
    }

    private static void updateContacts(Connection c, List<State> dirty, Instant now) throws SQLException {
        if (dirty.isEmpty()) {
            return;
        }
        try (PreparedStatement s = c.prepareStatement("update contact set first_name = u.fn, last_name = u.ln, "
                + "phone = u.ph, company = u.co, job_title = u.jt, industry = u.ind, country = u.ctry, "
                + "event_sequence = u.seq, updated_at = ?, version = version + 1 from unnest(cast(? as uuid[]), "
                + "cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), cast(? as text[]), "
                + "cast(? as text[]), cast(? as text[]), cast(? as bigint[])) as u(id, fn, ln, ph, co, jt, ind, ctry, "
                + "seq) where contact.id = u.id")) {
            s.setObject(1, utc(now));
            s.setArray(2, c.createArrayOf("uuid", dirty.stream().map(st -> st.id).toArray()));
            s.setArray(3, texts(c, dirty, st -> st.firstName));
            s.setArray(4, texts(c, dirty, st -> st.lastName));
            s.setArray(5, texts(c, dirty, st -> st.phone));
            s.setArray(6, texts(c, dirty, st -> st.company));
            s.setArray(7, texts(c, dirty, st -> st.jobTitle));
            s.setArray(8, texts(c, dirty, st -> st.industry));
            s.setArray(9, texts(c, dirty, st -> st.country));
            s.setArray(10, c.createArrayOf("bigint", dirty.stream().map(st -> st.sequence).toArray()));
            s.executeUpdate();
        }
    }

}
