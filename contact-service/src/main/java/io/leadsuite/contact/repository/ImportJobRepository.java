package io.leadsuite.contact.repository;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

/**
 * The import-job aggregate as stored: the job ({@code import_job}), its rows waiting to be processed
 * ({@code import_row}) and its reported failed lines ({@code import_error}). Every statement about them is here, on
 * the import's JDBC connection and in the caller's transaction (see the service package: the import is the JDBC
 * exception).
 */
@ApplicationScoped
public class ImportJobRepository {

    /** A job's state, counters and reported failed lines (in line order). */
    public record Job(UUID id, String state, int total, int processed, int created, int updated, int unchanged,
            int failed, String failure, Instant createdAt, Instant startedAt, Instant finishedAt,
            List<LineError> errors) {
    }

    /** A failed line as reported. */
    public record LineError(int line, String message) {
    }

    /** A row waiting to be processed: its line, its mapped fields as JSON, or why it could not be read. */
    public record Row(int line, String data, String error) {
    }

    /** The rows of an upload, one at a time; null after the last. */
    @FunctionalInterface
    public interface RowSource {
        Row next() throws IOException;
    }

    public void insertQueued(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into import_job (id, state, total) values (?, 'QUEUED', 0)")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    public void setTotal(Connection c, UUID id, int total) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update import_job set total = ? where id = ?")) {
            s.setInt(1, total);
            s.setObject(2, id);
            s.executeUpdate();
        }
    }

    /**
     * Streams the rows into {@code import_row} with PostgreSQL COPY, about 200 kB at a time, and answers how many
     * there were. The one streaming statement of the service: a CSV of 100,000 contacts goes in without being held in
     * memory, in the transaction that also creates the job.
     */
    public int copyRows(Connection c, UUID id, RowSource rows) throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy import_row (job_id, line, data, error) from stdin");
        int total = 0;
        try {
            StringBuilder batch = new StringBuilder(256 * 1024);
            String job = id.toString();
            Row row;
            while ((row = rows.next()) != null) {
                total++;
                batch.append(job).append('\t').append(row.line()).append('\t');
                appendCopyValue(batch, row.data());
                batch.append('\t');
                appendCopyValue(batch, row.error());
                batch.append('\n');
                if (batch.length() > 200 * 1024) {
                    byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
                    copy.writeToCopy(bytes, 0, bytes.length);
                    batch.setLength(0);
                }
            }
            byte[] bytes = batch.toString().getBytes(StandardCharsets.UTF_8);
            copy.writeToCopy(bytes, 0, bytes.length);
            copy.endCopy();
            return total;
        } finally {
            if (copy.isActive()) {
                copy.cancelCopy();
            }
        }
    }

    /** COPY text format: \N for null, backslash escapes for backslash, tab, CR, LF. */
    static void appendCopyValue(StringBuilder out, String value) {
        if (value == null) {
            out.append("\\N");
            return;
        }
        for (int i = 0; i < value.length(); i++) {
            char ch = value.charAt(i);
            switch (ch) {
                case '\\' -> out.append("\\\\");
                case '\t' -> out.append("\\t");
                case '\n' -> out.append("\\n");
                case '\r' -> out.append("\\r");
                case '\u0000' -> {
                    // PostgreSQL text cannot hold NUL; JSON-encoded data never contains one
                }
                default -> out.append(ch);
            }
        }
    }

    /** The job with its reported failed lines, or null when unknown. */
    public Job find(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state, total, processed, created, updated, "
                + "unchanged, failed, failure, created_at, started_at, finished_at from import_job where id = ?")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next()) {
                    return null;
                }
                return new Job(id, rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                        rs.getInt(6), rs.getInt(7), rs.getString(8), instant(rs, 9), instant(rs, 10),
                        instant(rs, 11), errors(c, id));
            }
        }
    }

    private static List<LineError> errors(Connection c, UUID id) throws SQLException {
        List<LineError> errors = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select line, message from import_error where job_id = ? order by line")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    errors.add(new LineError(rs.getInt(1), rs.getString(2)));
                }
            }
        }
        return List.copyOf(errors);
    }

    /** The job's state, its row locked until the transaction ends; null when unknown. */
    public String lockState(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("select state from import_job where id = ? for update")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** Ends the job as CANCELLED; its remaining rows are deleted. */
    public void cancel(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update import_job set state = 'CANCELLED', "
                + "finished_at = now(), lease_until = null where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
        deleteRows(c, id);
    }

    /** Takes the oldest queued job, or a running one whose lease ran out, for {@code lease}; null when none. */
    public UUID claim(Connection c, Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update import_job set state = 'RUNNING', "
                + "started_at = coalesce(started_at, now()), lease_until = now() + make_interval(secs => ?) "
                + "where id = (select id from import_job where state in ('QUEUED', 'RUNNING') and "
                + "(lease_until is null or lease_until < now()) order by created_at limit 1 for update skip locked) "
                + "returning id")) {
            s.setDouble(1, lease.toMillis() / 1000.0);
            try (ResultSet rs = s.executeQuery()) {
                return rs.next() ? rs.getObject(1, UUID.class) : null;
            }
        }
    }

    /** Ends a running job as FAILED with the reason; its remaining rows are deleted. */
    public void fail(Connection c, UUID id, String reason) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update import_job set state = 'FAILED', failure = ?, "
                + "finished_at = now(), lease_until = null where id = ? and state = 'RUNNING'")) {
            s.setString(1, reason);
            s.setObject(2, id);
            s.executeUpdate();
        }
        deleteRows(c, id);
    }

    private static void deleteRows(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from import_row where job_id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    /**
     * Locks a RUNNING job for a chunk and answers how many failed lines it has reported; -1 when the job is no longer
     * running (cancelled, ended, gone).
     */
    public int lockRunning(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "select state, (select count(*) from import_error e where e.job_id = j.id) from import_job j "
                        + "where id = ? for update")) {
            s.setObject(1, id);
            try (ResultSet rs = s.executeQuery()) {
                if (!rs.next() || !rs.getString(1).equals("RUNNING")) {
                    return -1;
                }
                return rs.getInt(2);
            }
        }
    }

    /** The job's next {@code limit} rows, in line order. */
    public List<Row> nextRows(Connection c, UUID id, int limit) throws SQLException {
        List<Row> rows = new ArrayList<>();
        try (PreparedStatement s = c.prepareStatement(
                "select line, data, error from import_row where job_id = ? order by line limit ?")) {
            s.setObject(1, id);
            s.setInt(2, limit);
            try (ResultSet rs = s.executeQuery()) {
                while (rs.next()) {
                    rows.add(new Row(rs.getInt(1), rs.getString(2), rs.getString(3)));
                }
            }
        }
        return rows;
    }

    /** Ends the job as DONE. */
    public void done(Connection c, UUID id) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("update import_job set state = 'DONE', finished_at = now(), "
                + "lease_until = null where id = ?")) {
            s.setObject(1, id);
            s.executeUpdate();
        }
    }

    /** Reports failed lines (line to reason), in one batch; a line reported before stays as it was. */
    public void reportErrors(Connection c, UUID id, Map<Integer, String> errors) throws SQLException {
        try (PreparedStatement s = c.prepareStatement(
                "insert into import_error (job_id, line, message) values (?, ?, ?) on conflict do nothing")) {
            for (Map.Entry<Integer, String> e : errors.entrySet()) {
                s.setObject(1, id);
                s.setInt(2, e.getKey());
                s.setString(3, e.getValue());
                s.addBatch();
            }
            s.executeBatch();
        }
    }

    /** A processed chunk: its rows (up to {@code lastLine}) deleted, the counters advanced, the lease renewed. */
    public void advance(Connection c, UUID id, int lastLine, int processed, int created, int updated, int unchanged,
            int failed, Duration lease) throws SQLException {
        try (PreparedStatement s = c.prepareStatement("delete from import_row where job_id = ? and line <= ?")) {
            s.setObject(1, id);
            s.setInt(2, lastLine);
            s.executeUpdate();
        }
        try (PreparedStatement s = c.prepareStatement("update import_job set processed = processed + ?, "
                + "created = created + ?, updated = updated + ?, unchanged = unchanged + ?, failed = failed + ?, "
                + "lease_until = now() + make_interval(secs => ?) where id = ?")) {
            s.setInt(1, processed);
            s.setInt(2, created);
            s.setInt(3, updated);
            s.setInt(4, unchanged);
            s.setInt(5, failed);
            s.setDouble(6, lease.toMillis() / 1000.0);
            s.setObject(7, id);
            s.executeUpdate();
        }
    }

    private static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
