package io.leadsuite.contact.domain;

/**
 * What a caller knows about a person when creating, matching or importing a contact, as given (not yet normalised).
 * E-mail is required.
 */
public record ContactDetails(String email, String firstName, String lastName, String phone, String company,
        String jobTitle, String industry, String country, Boolean consent, String consentSource) {
}
