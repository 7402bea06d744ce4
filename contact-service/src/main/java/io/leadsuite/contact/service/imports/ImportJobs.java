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
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.agroal.api.AgroalDataSource;
import io.leadsuite.contact.config.ContactConfig;
import io.leadsuite.contact.repository.ImportJobRepository;
import io.leadsuite.kit.csv.ColumnMapping;
import io.leadsuite.kit.csv.CsvReader;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Unreadable;
import io.leadsuite.kit.domain.Violation;

/**
 * Import jobs: the upload, a job's progress and its cancellation (JDBC, blocking: call from a worker thread; the
 * import is the service's JDBC exception, see the service package). The upload streams the CSV record by record into
 * the job's rows with PostgreSQL COPY, together with the job, in one transaction: the job exists with all its rows or
 * not at all. Only mapped columns are stored.
 */
@ApplicationScoped
public class ImportJobs {

    /**
     * The columns of a contact import, recognised by header, case-insensitively: {@code email},
     * {@code first_name}/{@code firstName}, {@code last_name}/{@code lastName}, {@code company},
     * {@code job_title}/{@code jobTitle}, {@code industry}, {@code country}, {@code phone}.
     */
    public static final ColumnMapping.Fields FIELDS = new ColumnMapping.Fields("contact fields", ColumnMapping.contactHeaders(),
            "email", "no e-mail column: name one 'email' or map it with map=email:<header>");

    private final AgroalDataSource db;
    private final ImportJobRepository jobs;
    private final ObjectMapper mapper;
    private final ContactConfig.Imports config;

    public ImportJobs(AgroalDataSource db, ImportJobRepository jobs, ObjectMapper mapper, ContactConfig config) {
        this.db = db;
        this.jobs = jobs;
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
                    throw new InvalidValues("The CSV has no header row",
                            List.of(new Violation("header", "the first line must name the columns")));
                }
                ColumnMapping columns = ColumnMapping.resolve(FIELDS, header.fields(), mapping);
                jobs.insertQueued(c, id);
                int total = jobs.copyRows(c, id, () -> next(csv, columns));
                if (total == 0) {
                    throw new InvalidValues("The CSV has no data rows",
                            List.of(new Violation("body", "no rows after the header")));
                }
                jobs.setTotal(c, id, total);
                c.commit();
                return id;
            } catch (RuntimeException | IOException | SQLException e) {
                c.rollback();
                throw e;
            }
        } catch (CharacterCodingException e) {
            throw new Unreadable("The CSV is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (SQLException e) {
            throw new IllegalStateException("Storing the import failed", e);
        }
    }

    /** The next non-blank record as a row to store: its mapped fields as JSON, or why it cannot be read. */
    private ImportJobRepository.Row next(CsvReader csv, ColumnMapping columns) throws IOException {
        CsvReader.Row row;
        do {
            row = csv.next();
        } while (row != null && row.blank());
        if (row == null) {
            return null;
        }
        if (row.error() != null) {
            return new ImportJobRepository.Row(row.line(), null, row.error());
        }
        Map<String, String> values = columns.apply(row.fields());
        if (values == null) {
            return new ImportJobRepository.Row(row.line(), null,
                    "expected " + columns.width() + " fields as in the header, found " + row.fields().size());
        }
        return new ImportJobRepository.Row(row.line(), json(values), null);
    }

    private String json(Map<String, String> values) {
        try {
            return mapper.writeValueAsString(values);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The job and its reported failed lines, in line order; 404 when unknown. */
    public ImportJobRepository.Job find(UUID id) {
        try (Connection c = db.getConnection()) {
            ImportJobRepository.Job job = jobs.find(c, id);
            if (job == null) {
                throw new NotFound("Import job", id);
            }
            return job;
        } catch (SQLException e) {
            throw new IllegalStateException("Reading the import failed", e);
        }
    }

    /**
     * Cancels a queued or running job: no further chunk starts (a chunk being processed commits first, then the
     * worker stops); its remaining rows are deleted. Cancelling a cancelled job changes nothing; a finished one: 409.
     */
    public ImportJobRepository.Job cancel(UUID id) {
        try (Connection c = db.getConnection()) {
            c.setAutoCommit(false);
            try {
                String state = jobs.lockState(c, id);
                if (state == null) {
                    throw new NotFound("Import job", id);
                }
                if (state.equals("DONE") || state.equals("FAILED")) {
                    throw new StateConflict("The import already ended: " + state).with("state", state);
                }
                if (!state.equals("CANCELLED")) {
                    jobs.cancel(c, id);
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
}
