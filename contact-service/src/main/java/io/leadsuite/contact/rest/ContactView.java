package io.leadsuite.contact.rest;

import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import com.fasterxml.jackson.annotation.JsonInclude;

import io.leadsuite.contact.domain.Contact;

/**
 * The contact as the API shows it (CONTRACT.md, "Contacts"). A merged duplicate shows only its id, {@code status}
 * MERGED, {@code mergedInto} (the survivor) and {@code mergedAt}.
 */
@Schema(name = "Contact", example = ContactView.EXAMPLE)
public record ContactView(UUID id, String email, String firstName, String lastName, String phone, String company,
        String jobTitle, String industry, String country, Consent consent, Map<String, String> attributes,
        Instant createdAt, Instant updatedAt, long version,
        @Schema(description = "ACTIVE, or MERGED for a duplicate merged into another contact", enumeration = {
                "ACTIVE", "MERGED" }) String status,
        @Schema(description = "For a merged duplicate: the id of the contact it was merged into") @JsonInclude(JsonInclude.Include.NON_NULL) UUID mergedInto,
        @JsonInclude(JsonInclude.Include.NON_NULL) Instant mergedAt){

    static final String EXAMPLE = """
            {"id": "5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11", "email": "ana@example.com", "firstName": "Ana",
             "lastName": "Silva", "phone": "+351912345678", "company": "Acme", "jobTitle": "IT Director",
             "industry": "Energy", "country": "PT",
             "consent": {"marketing": true, "at": "2026-11-20T10:15:00Z", "source": "form-42"}, "attributes": {},
             "createdAt": "2026-11-20T10:15:00Z", "updatedAt": "2026-11-21T08:00:00Z", "version": 2,
             "status": "ACTIVE"}""";

    static final String MERGED_EXAMPLE = """
            {"id": "0e0c4d1e-8f5a-4a8e-b4b7-2b0f7c9c1d22", "consent": {"marketing": false}, "attributes": {},
             "createdAt": "2026-11-19T09:00:00Z", "updatedAt": "2026-11-21T08:00:00Z", "version": 3,
             "status": "MERGED", "mergedInto": "5b7e1c9a-3f0e-4a43-9a4e-0d6c1f1f2a11",
             "mergedAt": "2026-11-21T08:00:00Z"}""";

    @Schema(name = "Consent", description = """
            Marketing consent: given or not, when and where it was last given or \
            withdrawn; pending: asked for on a public web form and not confirmed by the person yet (marketing \
            stays false until then)""")
    public record Consent(boolean marketing, Instant at, String source,
            boolean pending) {
    }

    static ContactView of(Contact c) {
        boolean merged = c.status == Contact.Status.MERGED;
        return new ContactView(c.id, merged ? null : c.email, c.firstName, c.lastName, c.phone, c.company,
                c.jobTitle, c.industry, c.country,
                new Consent(c.consentMarketing, c.consentAt, c.consentSource, c.consentPending),
                Map.of(), c.createdAt, c.updatedAt, c.version, c.status.name(), c.mergedInto, c.mergedAt);
    }
}
