package io.leadsuite.lead.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import io.leadsuite.lead.client.ContactDirectory;
import io.leadsuite.lead.client.ContactServiceClient.ContactDetails;
import io.leadsuite.lead.client.ContactServiceClient.ContactMatch;
import io.leadsuite.lead.domain.LeadSource;
import io.leadsuite.lead.service.LeadService.CaptureCommand;
import io.smallrye.mutiny.Uni;

/**
 * A web-form or lead-gen submission: contact-service matches or creates the contact by e-mail, then the lead is
 * created or touched. Safe to race: both steps are atomic on their own unique keys.
 * <p>
 * Two steps, because the first is another service's: {@link #matchContact} runs outside any transaction,
 * {@link #record} in the caller's. The caller owns that one transaction (a capture's is opened by the wrapper that
 * also stores its Idempotency-Key answer in it) and runs it again when it lost a race on the one-open-lead-per-topic
 * index ({@link io.leadsuite.kit.sql.UniqueViolation}); the second run finds the winner's lead.
 */
@ApplicationScoped
public class CaptureService {

    @Inject
    ContactDirectory contacts;
    @Inject
    LeadService leads;

    /** The person a submission names, as the form or lead-gen source sent it. */
    public record Person(String email, String firstName, String lastName, String phone, String company,
            String jobTitle, String country, Boolean consent) {
    }

    /**
     * @param campaign the campaign it came from, by id or name, or null
     * @param anonymous an anonymous visitor's post through a public web form: scoring counts it once per lead per
     *        window (the capture's {@code anonymous} flag)
     */
    public record Submission(Person person, String topic, LeadSource source, String sourceRef, String campaign,
            boolean anonymous) {
    }

    public record CaptureResult(UUID contactId, UUID leadId, boolean contactCreated, boolean leadCreated) {
    }

    /** The contact of the submission, matched by e-mail or created (503 when contact-service is unavailable). */
    public Uni<ContactMatch> matchContact(Submission submission) {
        Person person = submission.person();
        String consentSource = submission.sourceRef() == null ? submission.source().name()
                : submission.source().name() + " " + submission.sourceRef();
        return contacts.matchOrCreate(new ContactDetails(person.email(), person.firstName(), person.lastName(),
                person.phone(), person.company(), person.jobTitle(), null, person.country(), person.consent(),
                consentSource))
                .onFailure().transform(ContactDirectory::unavailable);
    }

    /**
     * Records the submission for the matched contact, in the caller's transaction.
     *
     * @param retry the capture lost a race on the one-open-lead-per-topic index before: the contact's open lead is
     *        read even if contact-service created the contact for it (see {@link LeadService#recordCapture})
     */
    public Uni<CaptureResult> record(Submission submission, ContactMatch match, String actor, boolean retry) {
        UUID contactId = match.contact().id();
        return leads.recordCapture(new CaptureCommand(contactId, submission.topic(), submission.source().name(),
                submission.sourceRef(), submission.campaign(), submission.anonymous(), match.created() && !retry),
                actor)
                .map(recorded -> new CaptureResult(contactId, recorded.lead().id, match.created(),
                        recorded.created()));
    }
}
