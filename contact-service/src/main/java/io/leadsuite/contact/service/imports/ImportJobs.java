package io.leadsuite.contact.service.imports;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import org.postgresql.PGConnection;
import org.postgresql.copy.CopyIn;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.kit.csv.ColumnMapping;
import io.leadsuite.kit.csv.CsvReader;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;

/**
 * Import jobs as stored (JDBC, blocking: call from a worker thread). The upload streams the CSV record by record into
 * {@code import_row} with PostgreSQL COPY, together with the job, in one transaction: the job exists with all its rows
 * or not at all. Only mapped columns are stored.
 */
@ApplicationScoped
public class ImportJobs {

    /** A job's progress as {@code GET /contacts/imports/{id}} shows it. */
    public record Job(UUID id, String state, int total, int processed, int created, int updated, int unchanged,
            int failed, String failure, Instant createdAt, Instant startedAt, Instant finishedAt,
            List<LineError> errors) {
    }

    public record LineError(int line, String message) {
    }

    /**
     * The columns of a contact import, recognised by header, case-insensitively: {@code email},
     * {@code first_name}/{@code firstName}, {@code last_name}/{@code lastName}, {@code company},
     * {@code job_title}/{@code jobTitle}, {@code industry}, {@code country}, {@code phone}.
     */
    public static final ColumnMapping.Fields FIELDS = new ColumnMapping.Fields("contact fields", ColumnMapping.contactHeaders(),
            "email", "no e-mail column: name one 'email' or map it with map=email:<header>");

    private final AgroalDataSource db;
    private final ObjectMapper mapper;
    private final io.leadsuite.contact.config.ContactConfig.Imports config;

    public ImportJobs(AgroalDataSource db, ObjectMapper mapper, io.leadsuite.contact.config.ContactConfig config) {
        this.db = db;
        this.mapper = mapper;
        this.config = config.imports();
    }

    /** Stores a new QUEUED job with every record of the CSV; 422 for a header that cannot be mapped. */
    public UUID upload(InputStream body, List<String> mapping, char delimiter) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CsvReader csv = new CsvReader(new BufferedReader(new InputStreamReader(body, decoder), 64 * 1024), delimiter,
                config.maxFieldLength(), config.maxLineLength());
        UUID id = UUID.randomUUID();
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                CsvReader.Row header = csv.next();
                if (header == null || header.error() != null || header.blank()) {
                    throw ProblemException.unprocessable("The CSV has no header row",
                            List.of(new Problem.FieldError("header", "the first line must name the columns")));
                }
                ColumnMapping columns = ColumnMapping.resolve(FIELDS, header.fields(), mapping);
                try (PreparedStatement s = c.prepareStatement(
                        "insert into import_job (id, state, total) values (?, 'QUEUED', 0)")) {
                    s.setObject(1, id);
                    s.executeUpdate();
                }
                int total = copyRows(c, id, csv, columns);
                if (total == 0) {
                    throw ProblemException.unprocessable("The CSV has no data rows",
                            List.of(new Problem.FieldError("body", "no rows after the header")));
                }
                try (PreparedStatement s = c.prepareStatement("update import_job set total = ? where id = ?")) {
                    s.setInt(1, total);
                    s.setObject(2, id);
                    s.executeUpdate();
                }
                c.commit();
                return id;
            } catch (RuntimeException | IOException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (CharacterCodingException e) {
            throw ProblemException.badRequest("The CSV is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Storing the import failed", e);
        }
    }

    private int copyRows(Connection c, UUID id, CsvReader csv, ColumnMapping columns)
            throws SQLException, IOException {
        CopyIn copy = c.unwrap(PGConnection.class).getCopyAPI()
                .copyIn("copy import_row (job_id, line, data, error) from stdin");
        int total = 0;
        try {
            StringBuilder batch = new StringBuilder(256 * 1024);
            String job = id.toString();
            CsvReader.Row row;
            while ((row = csv.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                total++;
                String data = null;
                String error = row.error();
                if (error == null) {
                    Map<String, String> values = columns.apply(row.fields());
                    if (values == null) {
                        error = "expected " + columns.width() + " fields as in the header, found "
                                + row.fields().size();
                    } else {
                        data = json(values);
                    }
                }
                batch.append(job).append('\t').append(row.line()).append('\t');
                appendCopyValue(batch, data);
                batch.append('\t');
                appendCopyValue(batch, error);
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

    private String json(Map<String, String> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
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

    /** The job and its reported failed lines, in line order; 404 when unknown. */
    public Job find(UUID id) {
        try (Connection c = db.getConnection()) {
            Job job;
            try (PreparedStatement s = c.prepareStatement("select state, total, processed, created, updated, "
                    + "unchanged, failed, failure, created_at, started_at, finished_at from import_job where id = ?")) {
                s.setObject(1, id);
                try (ResultSet rs = s.executeQuery()) {
                    if (!rs.next()) {
                        throw ProblemException.notFound("Import job", id);
                    }
                    job = new Job(id, rs.getString(1), rs.getInt(2), rs.getInt(3), rs.getInt(4), rs.getInt(5),
                            rs.getInt(6), rs.getInt(7), rs.getString(8), instant(rs, 9), instant(rs, 10),
                            instant(rs, 11), List.of());
                }
            }
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
            return new Job(job.id(), job.state(), job.total(), job.processed(), job.created(), job.updated(),
                    job.unchanged(), job.failed(), job.failure(), job.createdAt(), job.startedAt(), job.finishedAt(),
                    List.copyOf(errors));
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the import failed", e);
        }
    }

    /**
     * Cancels a queued or running job: no further chunk starts (a chunk being processed commits first, then the
     * worker stops); its remaining rows are deleted. Cancelling a cancelled job changes nothing; a finished one: 409.
     */
    public Job cancel(UUID id) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                String state;
                try (PreparedStatement s = c.prepareStatement("select state from import_job where id = ? for update")) {
                    s.setObject(1, id);
                    try (ResultSet rs = s.executeQuery()) {
                        if (!rs.next()) {
                            throw ProblemException.notFound("Import job", id);
                        }
                        state = rs.getString(1);
                    }
                }
                if (state.equals("DONE") || state.equals("FAILED")) {
                    throw ProblemException.conflict("The import already ended: " + state).with("state", state);
                }
                if (!state.equals("CANCELLED")) {
                    try (PreparedStatement s = c.prepareStatement("update import_job set state = 'CANCELLED', "
                            + "finished_at = now(), lease_until = null where id = ?")) {
                        s.setObject(1, id);
                        s.executeUpdate();
                    }
                    try (PreparedStatement s = c.prepareStatement("delete from import_row where job_id = ?")) {
                        s.setObject(1, id);
                        s.executeUpdate();
                    }
                }
                c.commit();
            } catch (RuntimeException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (SQLException e) {
            throw new IllegalStateException("Cancelling the import failed", e);
        }
        return find(id);
    }

    static Instant instant(ResultSet rs, int column) throws SQLException {
        OffsetDateTime value = rs.getObject(column, OffsetDateTime.class);
        return value == null ? null : value.toInstant();
    }
}
