package io.leadsuite.contracts;

import java.util.UUID;

/**
 * {@code contact.merged} v1, on {@code contact-events}, subject = the survivor's id. The duplicate no longer exists as a
 * contact of its own: everything other services hold about {@code duplicateId} now belongs to {@code survivorId}.
 */
public record ContactMerged(UUID survivorId, UUID duplicateId) {
}
