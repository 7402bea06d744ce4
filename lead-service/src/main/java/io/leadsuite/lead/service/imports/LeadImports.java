package io.leadsuite.lead.service.imports;

import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.kit.csv.ColumnMapping;
import io.leadsuite.kit.csv.CsvReader;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Unreadable;
import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.config.LeadImportConfig;
import io.leadsuite.lead.repository.LeadImportJobRepository;
import io.leadsuite.lead.repository.LeadImportJobRepository.Job;
import io.quarkus.hibernate.reactive.panache.Panache;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Lead imports as the API sees them: an upload is read (on a worker thread), stored as a QUEUED job and handed to this
 * replica's {@link LeadImportWorker} with its rows and the uploader's token; its progress, failed lines and cancel.
 */
@ApplicationScoped
public class LeadImports {

    static final String INTERRUPTED = "interrupted: the replica working on it stopped; the lines counted in "
            + "'processed' went in, import the others again";

    @Inject
    LeadImportWorker worker;
    @Inject
    LeadImportConfig config;
    @Inject
    Vertx vertx;
    @Inject
    LeadImportJobRepository jobs;

    /**
     * Reads the CSV and queues the job; 400 when the body is not UTF-8, 422 when the header cannot be mapped, there is
     * no data row or there are too many.
     *
     * @param authorization the uploader's {@code Authorization} header: the import creates contacts on their behalf
     */
    public Uni<UUID> upload(byte[] body, List<String> mapping, char delimiter, String authorization, String actor) {
        UUID id = UUID.randomUUID();
        return vertx.executeBlocking(() -> read(body, mapping, delimiter, "IMPORT " + id))
                .chain(rows -> Panache.withTransaction(() -> jobs.create(id, rows.size(), actor,
                        Instant.now().plus(config.lease())))
                        .invoke(() -> worker.enqueue(id, authorization, actor, rows)))
                .replaceWith(id);
    }

    List<LeadImportRow> read(byte[] body, List<String> mapping, char delimiter, String consentSource) {
        var decoder = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        CsvReader csv = new CsvReader(new InputStreamReader(new java.io.ByteArrayInputStream(body), decoder),
                delimiter, config.maxFieldLength(), config.maxLineLength());
        try {
            CsvReader.Row header = csv.next();
            if (header == null || header.error() != null || header.blank()) {
                throw new InvalidValues("The CSV has no header row",
                        List.of(new Violation("header", "the first line must name the columns")));
            }
            ColumnMapping columns = ColumnMapping.resolve(LeadImportRow.FIELDS, header.fields(), mapping);
            List<LeadImportRow> rows = new ArrayList<>();
            CsvReader.Row row;
            while ((row = csv.next()) != null) {
                if (row.blank()) {
                    continue;
                }
                if (rows.size() == config.maxRows()) {
                    throw new InvalidValues("The CSV has more than " + config.maxRows() + " rows",
                            List.of(new Violation("body", "at most " + config.maxRows()
                                    + " rows per import; split the file")));
                }
                if (row.error() != null) {
                    rows.add(LeadImportRow.unreadable(row.line(), row.error()));
                    continue;
                }
                Map<String, String> values = columns.apply(row.fields());
                rows.add(values == null
                        ? LeadImportRow.unreadable(row.line(), "expected " + columns.width()
                                + " fields as in the header, found " + row.fields().size())
                        : LeadImportRow.of(row.line(), values, consentSource));
            }
            if (rows.isEmpty()) {
                throw new InvalidValues("The CSV has no data rows",
                        List.of(new Violation("body", "no rows after the header")));
            }
            return rows;
        } catch (CharacterCodingException e) {
            throw new Unreadable("The CSV is not valid UTF-8");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The job and its reported failed lines, in line order; 404 when unknown. */
    public Uni<Job> find(UUID id) {
        // a job whose replica stopped renewing its lease will not go on: say so
        return Panache.withTransaction(() -> jobs.failIfAbandoned(id, INTERRUPTED).chain(() -> jobs.find(id)))
                .map(job -> job.orElseThrow(() -> new NotFound("Import job", id)));
    }

    /**
     * Cancels a queued or running job: no further chunk starts (one being processed commits first). Cancelling a
     * cancelled job changes nothing; one that ended: 409.
     */
    public Uni<Job> cancel(UUID id) {
        return Panache.withTransaction(() -> jobs.lockState(id).chain(found -> {
            if (found.isEmpty()) {
                return Uni.createFrom().failure(new NotFound("Import job", id));
            }
            String state = found.get();
            if (state.equals("DONE") || state.equals("FAILED")) {
                return Uni.createFrom().failure(new StateConflict("The import already ended: " + state).with("state", state));
            }
            return jobs.cancel(id);
        }))
                .invoke(() -> worker.drop(id))
                .chain(() -> find(id));
    }

}
