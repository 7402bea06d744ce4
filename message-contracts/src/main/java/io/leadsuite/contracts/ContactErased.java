package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code contact.erased} v1, on {@code contact-events}, subject = contact id. The contact asked to be forgotten (GDPR
 * erasure): every service removes the personal data it holds about this contact. Carries no personal data itself.
 */
public record ContactErased(UUID contactId) {
}
