package io.leadsuite.contact.rest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.leadsuite.contact.domain.Contact;

/** The contact as the API shows it (CONTRACT.md, "Contacts"). */
public record ContactView(UUID id, String email, String firstName, String lastName, String phone, String company,
        String jobTitle, String industry, String country, Consent consent, Map<String, String> attributes,
        Instant createdAt, Instant updatedAt, long version) {

    public record Consent(boolean marketing, Instant at, String source) {
    }

    static ContactView of(Contact c) {
        return new ContactView(c.id, c.email, c.firstName, c.lastName, c.phone, c.company, c.jobTitle, c.industry,
                c.country, new Consent(c.consentMarketing, c.consentAt, c.consentSource), Map.of(), c.createdAt,
                c.updatedAt, c.version);
    }
}
