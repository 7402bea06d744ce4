package io.leadsuite.contact.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.contact.domain.ContactDetails;
import io.leadsuite.contracts.ContactLimits;

/**
 * Body of {@code POST /contacts} and {@code POST /contacts/match}. The e-mail is trimmed and lower-cased, the phone
 * number becomes E.164 (a national number is read in the contact's country), the country an ISO 3166 alpha-2 code
 * (alpha-2, alpha-3 or English name accepted).
 */
@Schema(name = "ContactRequest", example = """
        {"email": " Ana@Example.com ", "firstName": "Ana", "lastName": "Silva", "company": "Acme",
         "jobTitle": "IT Director", "phone": "912 345 678", "country": "Portugal", "consent": true,
         "consentSource": "form-42"}""")
public record ContactRequest(
        @NotBlank @Size(max = ContactLimits.EMAIL) String email,
        @Size(max = ContactLimits.NAME) String firstName,
        @Size(max = ContactLimits.NAME) String lastName,
        @Size(max = ContactLimits.PHONE) String phone,
        @Size(max = ContactLimits.COMPANY) String company,
        @Size(max = ContactLimits.JOB_TITLE) String jobTitle,
        @Size(max = ContactLimits.INDUSTRY) String industry,
        @Size(max = ContactLimits.COUNTRY) String country,
        Boolean consent,
        @Size(max = ContactLimits.CONSENT_SOURCE) String consentSource) {

    ContactDetails toDetails() {
        return new ContactDetails(email, firstName, lastName, phone, company, jobTitle, industry, country, consent,
                consentSource);
    }
}
