package io.leadsuite.lead.service.imports;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import io.leadsuite.kit.csv.ColumnMapping;
import io.leadsuite.lead.client.ContactServiceClient.ContactDetails;
import io.leadsuite.lead.domain.LeadSource;

/**
 * One data row of a lead import, read: the person (for contact-service's match-or-create, which checks and normalises
 * it like a capture's) and the lead's columns, checked here by the rules of a capture. A row that cannot go in carries
 * the reasons, naming fields, never values.
 */
public record LeadImportRow(int line, ContactDetails person, String topic, String source, String sourceRef,
        String campaign, String error) {

    /** The columns of a lead import: the person's, then the lead's; a file must have an e-mail column. */
    public static final ColumnMapping.Fields FIELDS = new ColumnMapping.Fields("contact and lead fields", headers(),
            "email", "no e-mail column: name one 'email' or map it with map=email:<header>");

    static final Pattern TOPIC = Pattern.compile("^[A-Za-z0-9][A-Za-z0-9 ._-]*$");

    private static LinkedHashMap<String, List<String>> headers() {
        LinkedHashMap<String, List<String>> headers = ColumnMapping.contactHeaders();
        for (String field : List.of("topic", "source", "sourceRef", "campaign", "consent")) {
            headers.put(field, headerNames(field));
        }
        return headers;
    }

    /** The header names a lead field's column goes by: its name in snake case and in lower case (source_ref, sourceref). */
    static List<String> headerNames(String field) {
        String lower = field.toLowerCase(Locale.ROOT);
        String snake = field.replaceAll("([a-z])([A-Z])", "$1_$2").toLowerCase(Locale.ROOT);
        return snake.equals(lower) ? List.of(lower) : List.of(snake, lower);
    }

    /** A record that could not be read as a row (unterminated quotes, a wrong number of fields). */
    static LeadImportRow unreadable(int line, String error) {
        return new LeadImportRow(line, null, null, null, null, null, error);
    }

    /**
     * A row from its mapped fields. Empty values are absent; {@code source} is IMPORT when empty; {@code consent} is
     * true/false, yes/no, y/n or 1/0 (empty: not stated).
     */
    static LeadImportRow of(int line, Map<String, String> fields, String consentSource) {
        List<String> errors = new ArrayList<>();
        String email = value(fields, "email");
        if (email == null) {
            errors.add("email: must be given");
        } else if (email.length() > 254) {
            errors.add("email: at most 254 characters");
        }
        String topic = value(fields, "topic");
        if (topic == null) {
            errors.add("topic: must be given");
        } else if (topic.length() > 100 || !TOPIC.matcher(topic).matches()) {
            errors.add("topic: letters, digits, blanks, dots, dashes and underscores (at most 100)");
        }
        String source = value(fields, "source");
        if (source == null) {
            source = LeadSource.IMPORT.name();
        } else {
            String upper = source.toUpperCase(Locale.ROOT).replace('-', '_').replace(' ', '_');
            try {
                source = LeadSource.valueOf(upper).name();
            } catch (IllegalArgumentException e) {
                errors.add("source: must be one of " + List.of(LeadSource.values()));
            }
        }
        String sourceRef = value(fields, "sourceRef");
        if (sourceRef != null && sourceRef.length() > 200) {
            errors.add("sourceRef: at most 200 characters");
        }
        String campaign = value(fields, "campaign");
        if (campaign != null && campaign.length() > 200) {
            errors.add("campaign: at most 200 characters");
        }
        Boolean consent = null;
        String said = value(fields, "consent");
        if (said != null) {
            switch (said.toLowerCase(Locale.ROOT)) {
                case "true", "yes", "y", "1" -> consent = true;
                case "false", "no", "n", "0" -> consent = false;
                default -> errors.add("consent: must be true or false (yes/no, 1/0)");
            }
        }
        if (!errors.isEmpty()) {
            return unreadable(line, String.join("; ", errors));
        }
        ContactDetails person = new ContactDetails(email, value(fields, "firstName"), value(fields, "lastName"),
                value(fields, "phone"), value(fields, "company"), value(fields, "jobTitle"), value(fields, "industry"),
                value(fields, "country"), consent, consent == null ? null : consentSource);
        return new LeadImportRow(line, person, topic, source, sourceRef, campaign, null);
    }

    private static String value(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) {
            return null;
        }
        v = v.strip();
        return v.isEmpty() ? null : v;
    }
}
