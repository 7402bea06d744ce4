package io.leadsuite.contracts;

import java.util.List;
import java.util.UUID;

/**
 * {@code contact.updated} v1, on {@code contact-events}, subject = contact id. The whole demographic snapshot after the
 * change (scoring keeps its copy up to date from it) and the names of the fields that changed. When marketing consent
 * is withdrawn, {@code marketingConsent} is false and {@code changed} contains {@code "consent"}.
 */
public record ContactUpdated(UUID contactId, String email, String firstName, String lastName, String phone,
        String company, String jobTitle, String industry, String country, boolean marketingConsent,
        List<String> changed) {
}
