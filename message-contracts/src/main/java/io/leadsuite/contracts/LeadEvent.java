package io.leadsuite.contracts;

import java.util.UUID;

/** What every event on {@code lead-events} names: the lead it is about (its subject) and the lead's contact. */
public interface LeadEvent {

    UUID leadId();

    UUID contactId();
}
