package io.leadsuite.kit.csv;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.Violation;

/**
 * Which CSV column feeds which field of an import. By default a column is recognised by its header,
 * case-insensitively, among the names {@link Fields} gives each field (contacts: {@code email},
 * {@code first_name}/{@code firstName}, ...). An explicit mapping ({@code field:Header} pairs) overrides the default
 * for its fields. Columns not mapped are ignored (and not stored).
 */
public final class ColumnMapping {

    /**
     * The fields of one kind of import.
     *
     * @param what what the fields are, for messages ("contact fields")
     * @param headers each field (in order) with the lower-case headers that name it by default
     * @param required the field a file must have a column for
     * @param missing the message when it has none
     */
    public record Fields(String what, Map<String, List<String>> headers, String required, String missing) {

        public List<String> names() {
            return List.copyOf(headers.keySet());
        }
    }

    /**
     * The columns of a person, as every import of people reads them (contacts, leads), with their default headers:
     * {@code email}, {@code first_name}/{@code firstName}, {@code last_name}/{@code lastName}, {@code phone},
     * {@code company}, {@code job_title}/{@code jobTitle}, {@code industry}, {@code country}. A new map each call, for
     * an import to add its own columns to.
     */
    public static LinkedHashMap<String, List<String>> contactHeaders() {
        LinkedHashMap<String, List<String>> headers = new LinkedHashMap<>();
        headers.put("email", List.of("email", "e-mail", "email_address"));
        headers.put("firstName", List.of("first_name", "firstname"));
        headers.put("lastName", List.of("last_name", "lastname"));
        headers.put("phone", List.of("phone"));
        headers.put("company", List.of("company"));
        headers.put("jobTitle", List.of("job_title", "jobtitle"));
        headers.put("industry", List.of("industry"));
        headers.put("country", List.of("country"));
        return headers;
    }

    /** Field name to column index in a record. */
    private final Map<String, Integer> columns;
    private final int width;

    private ColumnMapping(Map<String, Integer> columns, int width) {
        this.columns = columns;
        this.width = width;
    }

    /**
     * Resolves the mapping against the header row; 422 naming what is wrong (an unknown field, a header not in the
     * file, no column for the required field).
     */
    public static ColumnMapping resolve(Fields fields, List<String> header, List<String> pairs) {
        List<Violation> errors = new ArrayList<>();
        Map<String, String> explicit = new LinkedHashMap<>();
        for (String pair : pairs == null ? List.<String> of() : pairs) {
            int colon = pair.indexOf(':');
            String field = colon < 0 ? pair : pair.substring(0, colon).strip();
            if (colon < 0 || !fields.headers().containsKey(field)) {
                errors.add(new Violation("map", "'" + pair + "' is not field:Header with a field among "
                        + fields.names()));
                continue;
            }
            explicit.put(field, pair.substring(colon + 1).strip());
        }
        Map<String, Integer> byHeader = new LinkedHashMap<>();
        for (int i = 0; i < header.size(); i++) {
            byHeader.putIfAbsent(header.get(i).strip().toLowerCase(Locale.ROOT), i);
        }
        Map<String, Integer> columns = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> field : fields.headers().entrySet()) {
            if (explicit.containsKey(field.getKey())) {
                Integer index = byHeader.get(explicit.get(field.getKey()).toLowerCase(Locale.ROOT));
                if (index == null) {
                    errors.add(new Violation("map", "no column '" + explicit.get(field.getKey())
                            + "' in the header"));
                } else {
                    columns.put(field.getKey(), index);
                }
                continue;
            }
            for (String name : field.getValue()) {
                Integer index = byHeader.get(name);
                if (index != null) {
                    columns.put(field.getKey(), index);
                    break;
                }
            }
        }
        if (!columns.containsKey(fields.required()) && errors.isEmpty()) {
            errors.add(new Violation("header", fields.missing()));
        }
        if (!errors.isEmpty()) {
            throw new InvalidValues("The CSV header cannot be mapped to " + fields.what(), errors);
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
