package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code contact.created} v1, on {@code contact-events}, subject = contact id. Carries the normalised e-mail, so that
 * interactions naming a contact by e-mail can be resolved, and the demographic snapshot scoring needs.
 */
public record ContactCreated(UUID contactId, String email, String firstName, String lastName, String company,
        String jobTitle, String country, boolean marketingConsent) {
}
