package io.leadsuite.lead.rest;

import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.contracts.ContactLimits;
import io.leadsuite.lead.domain.LeadSource;
import io.leadsuite.lead.service.CaptureService.Person;
import io.leadsuite.lead.service.CaptureService.Submission;

/** A web-form or lead-gen submission (CONTRACT.md, "Capture"). */
@Schema(name = "CaptureRequest", example = """
        {"email": "ana@example.com", "firstName": "Ana", "lastName": "Silva", "company": "Acme",
         "jobTitle": "IT Director", "country": "PT", "topic": "solar-panels",
         "source": "MARKETING_FORM", "sourceRef": "form-42", "campaign": "Spring expo 2026", "consent": true}""")
public record CaptureRequest(
        // Alike on purpose: ContactRequest's fields and ContactLimits: what contact-service refuses is a 422 here
        @NotBlank @Size(max = ContactLimits.EMAIL) String email,
        @Size(max = ContactLimits.NAME) String firstName,
        @Size(max = ContactLimits.NAME) String lastName,
        @Size(max = ContactLimits.PHONE) String phone,
        @Size(max = ContactLimits.COMPANY) String company,
        @Size(max = ContactLimits.JOB_TITLE) String jobTitle,
        @Pattern(regexp = "^[A-Za-z]{2}$", message = "must be an ISO 3166 alpha-2 code") String country,
        @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9 ._-]*$", message = "letters, digits, blanks, dots, dashes and underscores") String topic,
        @NotNull LeadSource source,
        @Size(max = 200) String sourceRef,
        @Schema(description = "the campaign the submission came from, by id or name (GET /campaigns)") @Size(max = 200) String campaign,
        Boolean consent) {

    /** @param anonymous posted by an anonymous visitor through a public web form */
    Submission submission(boolean anonymous) {
        return new Submission(new Person(email, firstName, lastName, phone, company, jobTitle, country, consent), topic,
                source, sourceRef, campaign, anonymous);
    }
}
