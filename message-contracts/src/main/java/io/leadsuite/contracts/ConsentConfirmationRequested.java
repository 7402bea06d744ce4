package io.leadsuite.contracts;

import java.time.Instant;
import java.util.UUID;

/**
 * A person ticked marketing consent on a public web form: the e-mail system sends {@code email} a message with a link
 * that posts {@code token} to {@code POST /api/consent/confirm} before {@code expiresAt}. Consent stays
 * {@code {marketing: false, pending: true}} until then (double opt-in). contact-service keeps only a hash of the token.
 *
 * @param source where the consent was asked for (the form's lead source and reference)
 */
public record ConsentConfirmationRequested(UUID contactId, String email, String token, Instant expiresAt,
        String source) {
}
