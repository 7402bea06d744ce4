package io.leadsuite.contact.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.contact.service.ContactDetails;

/** Body of {@code POST /contacts} and {@code POST /contacts/match}. */
@Schema(name = "ContactRequest", example = """
        {"email": "ana@example.com", "firstName": "Ana", "lastName": "Silva", "company": "Acme",
         "jobTitle": "IT Director", "country": "PT", "consent": true, "consentSource": "form-42"}""")
public record ContactRequest(
        @NotBlank @Size(max = 254) String email,
        @Size(max = 100) String firstName,
        @Size(max = 100) String lastName,
        @Size(max = 40) String phone,
        @Size(max = 200) String company,
        @Size(max = 200) String jobTitle,
        @Size(max = 100) String industry,
        @Pattern(regexp = "^[A-Za-z]{2}$", message = "must be an ISO 3166 alpha-2 code") String country,
        Boolean consent,
        @Size(max = 200) String consentSource) {

    ContactDetails toDetails() {
        return new ContactDetails(email, firstName, lastName, phone, company, jobTitle, industry, country, consent,
                consentSource);
    }
}
