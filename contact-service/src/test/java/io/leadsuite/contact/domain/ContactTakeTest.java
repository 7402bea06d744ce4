package io.leadsuite.contact.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

/** How incoming details update a contact: the one rule of merge patches and import rows. */
class ContactTakeTest {

    private static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    private static final Instant EARLIER = Instant.parse("2026-11-01T09:00:00Z");

    private static Contact ana() {
        Contact c = new Contact();
        c.id = UUID.randomUUID();
        c.email = "ana@example.com";
        c.firstName = "Ana";
        c.lastName = "Silva";
        c.phone = "+351912345678";
        c.company = "Acme";
        c.jobTitle = "Engineer";
        c.industry = "Energy";
        c.country = "PT";
        c.consentMarketing = true;
        c.consentAt = EARLIER;
        c.consentSource = "form-42";
        c.eventSequence = 3;
        c.version = 2;
        c.updatedAt = EARLIER;
        return c;
    }

    private static ContactDetails details(String firstName, String lastName, String phone, String company,
            String jobTitle, String industry, String country, Boolean consent, String consentSource) {
        return new ContactDetails("ana@example.com", firstName, lastName, phone, company, jobTitle, industry, country,
                consent, consentSource);
    }

    @Test
    void anImportRowsValuesReplaceAndItsEmptyCellsLeaveFieldsAsTheyAre() {
        Contact c = ana();
        List<String> changed = c.take(details("Ana", null, "+46812345678", "Volvo", null, null, "SE", null, null),
                Contact.Blanks.KEEP, null, NOW);
        assertEquals(List.of("phone", "company", "country"), changed);
        assertEquals("Silva", c.lastName);
        assertEquals("Engineer", c.jobTitle);
        assertEquals("Energy", c.industry);
        assertEquals("+46812345678", c.phone);
        assertEquals("Volvo", c.company);
        assertEquals("SE", c.country);
        assertTrue(c.consentMarketing, "details without consent leave it");
        assertEquals(EARLIER, c.consentAt);
    }

    @Test
    void aMergePatchsNullsClearFields() {
        Contact c = ana();
        List<String> changed = c.take(details("Ana", "Silva", null, "Acme", null, "Energy", "PT", null, null),
                Contact.Blanks.CLEAR, null, NOW);
        assertEquals(List.of("phone", "jobTitle"), changed);
        assertNull(c.phone);
        assertNull(c.jobTitle);
        assertEquals("Silva", c.lastName);
    }

    @Test
    void detailsEqualToTheContactChangeNothing() {
        Contact c = ana();
        assertEquals(List.of(), c.take(details("Ana", "Silva", "+351912345678", "Acme", "Engineer", "Energy", "PT",
                true, "elsewhere"), Contact.Blanks.CLEAR, null, NOW));
        assertEquals(List.of(), c.take(details(null, null, null, null, null, null, null, null, null),
                Contact.Blanks.KEEP, null, NOW));
        assertEquals("form-42", c.consentSource, "consent given again keeps where it was given first");
        assertEquals(EARLIER, c.consentAt);
    }

    @Test
    void consentChangesWhenTheDetailsNameItAndItDiffers() {
        Contact withdrawn = ana();
        assertEquals(List.of("consent"), withdrawn.take(details("Ana", "Silva", "+351912345678", "Acme", "Engineer",
                "Energy", "PT", false, "unsubscribe-link"), Contact.Blanks.CLEAR, null, NOW));
        assertFalse(withdrawn.consentMarketing);
        assertEquals(NOW, withdrawn.consentAt, "no time given: now");
        assertEquals("unsubscribe-link", withdrawn.consentSource);

        Contact given = ana();
        given.consentMarketing = false;
        Instant at = Instant.parse("2026-11-19T08:30:00Z");
        assertEquals(List.of("lastName", "consent"), given.take(details(null, "Lee", null, null, null, null, null,
                true, "form-7"), Contact.Blanks.KEEP, at, NOW));
        assertTrue(given.consentMarketing);
        assertEquals(at, given.consentAt, "the time the details give");
        assertEquals("form-7", given.consentSource);
    }

    @Test
    void theEmailIdentityVersionAndSequenceAreNotTaken() {
        Contact c = ana();
        UUID id = c.id;
        ContactDetails other = new ContactDetails("bo@example.com", "Bo", null, null, null, null, null, null, null,
                null);
        assertEquals(List.of("firstName"), c.take(other, Contact.Blanks.KEEP, null, NOW));
        assertEquals("ana@example.com", c.email);
        assertEquals(id, c.id);
        assertEquals(2, c.version);
        assertEquals(3, c.eventSequence);
        assertEquals(EARLIER, c.updatedAt);
    }

    @Test
    void changedFieldsFollowTheOrderOfContactUpdated() {
        Contact c = ana();
        c.consentMarketing = false;
        List<String> changed = c.take(details("A", "B", "+4930123456", "C", "D", "E", "DE", true, "s"),
                Contact.Blanks.CLEAR, null, NOW);
        assertEquals(Contact.FIELDS.subList(1, Contact.FIELDS.size()), changed);
    }
}
