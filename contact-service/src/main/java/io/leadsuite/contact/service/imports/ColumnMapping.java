package io.leadsuite.contact.service.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;

/**
 * Which CSV column feeds which contact field. By default a column is recognised by its header, case-insensitively:
 * {@code email}, {@code first_name}/{@code firstName}, {@code last_name}/{@code lastName}, {@code company},
 * {@code job_title}/{@code jobTitle}, {@code industry}, {@code country}, {@code phone}. An explicit mapping
 * ({@code field:Header} pairs) overrides the default for its fields. Columns not mapped are ignored (and not stored).
 */
public final class ColumnMapping {

    public static final List<String> FIELDS = List.of("email", "firstName", "lastName", "phone", "company",
            "jobTitle", "industry", "country");

    private static final Map<String, List<String>> DEFAULTS = Map.of(
            "email", List.of("email", "e-mail", "email_address"),
            "firstName", List.of("first_name", "firstname"),
            "lastName", List.of("last_name", "lastname"),
            "phone", List.of("phone"),
            "company", List.of("company"),
            "jobTitle", List.of("job_title", "jobtitle"),
            "industry", List.of("industry"),
            "country", List.of("country"));

    /** Field name to column index in a record. */
    private final Map<String, Integer> columns;
    private final int width;

    private ColumnMapping(Map<String, Integer> columns, int width) {
        this.columns = columns;
        this.width = width;
    }

    /**
     * Resolves the mapping against the header row; 422 naming what is wrong (an unknown field, a header not in the
     * file, no e-mail column).
     */
    public static ColumnMapping resolve(List<String> header, List<String> pairs) {
        List<Problem.FieldError> errors = new ArrayList<>();
        Map<String, String> explicit = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String> of() : pairs) {
            int colon = pair.indexOf(':');
            String field = colon < 0 ? pair : pair.substring(0, colon).strip();
            if (colon < 0 || !FIELDS.contains(field)) {
                errors.add(new Problem.FieldError("map", "'" + pair + "' is not field:Header with a field among "
                        + FIELDS));
                continue;
            }
            explicit.put(field, pair.substring(colon + 1).strip());
        }
        Map<String, Integer> byHeader = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            byHeader.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (String field : FIELDS) {
            if (explicit.containsKey(field)) {
                Integer index = byHeader.get(explicit.get(field).toLowerCase(Locale.ROOT));
                if (index == null) {
                    errors.add(new Problem.FieldError("map", "no column '" + explicit.get(field) + "' in the header"));
                } else {
                    columns.put(field, index);
                }
                continue;
            }
            for (String name : DEFAULTS.get(field)) {
                Integer index = byHeader.get(name);
                if (index != null) {
                    columns.put(field, index);
                    break;
                }
            }
        }
        if (!columns.containsKey("email") && errors.isEmpty()) {
            errors.add(new Problem.FieldError("header", "no e-mail column: name one 'email' or map it with "
                    + "map=email:<header>"));
        }
        if (!errors.isEmpty()) {
            throw ProblemException.unprocessable("The CSV header cannot be mapped to contact fields", errors);
        }
        return new ColumnMapping(Map.copyOf(columns), header.size());
    }

    /** The record's mapped fields, or null when it has not as many fields as the header. */
    public Map<String, String> apply(List<String> record) {
        if (record.size() != width) {
            return null;
        }
        Map<String, String> values = new LinkedHashMap<>();
        columns.forEach((field, index) -> values.put(field, record.get(index)));
        return values;
    }

    public int width() {
        return width;
    }
}
