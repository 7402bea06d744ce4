package io.leadsuite.contracts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.JavaType;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;

/** Every payload survives the trip through JSON in its envelope, with the field names asyncapi.yaml documents. */
class EnvelopeJsonTest {

    private static final ObjectMapper MAPPER = new ObjectMapper().registerModule(new JavaTimeModule())
            .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS);
    private static final UUID LEAD = UUID.randomUUID();
    private static final UUID CONTACT = UUID.randomUUID();
    private static final Instant AT = Instant.parse("2026-11-22T10:15:30Z");
    private static final Capture CAPTURE = new Capture(UUID.randomUUID(), AT, "MARKETING_FORM", "form-42");

    static List<Envelope<?>> examples() {
        return List.of(
                Envelope.of(EventTypes.LEAD_CREATED, "lead-service", AT, LEAD, 1, new LeadCreated(LEAD, CONTACT,
                        "solar-panels", "MARKETING_FORM", "form-42", "marketing-lead", "INQUIRY", "OPEN", CAPTURE)),
                Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", AT, LEAD, 2,
                        new LeadCaptured(LEAD, CONTACT, "solar-panels", CAPTURE)),
                // an anonymous visitor's post through a public web form
                Envelope.of(EventTypes.LEAD_CAPTURED, "lead-service", AT, LEAD, 2, new LeadCaptured(LEAD, CONTACT,
                        "solar-panels", new Capture(UUID.randomUUID(), AT, "MARKETING_FORM", "form-42", true))),
                Envelope.of(EventTypes.LEAD_STAGE_CHANGED, "lead-service", AT, LEAD, 3,
                        new LeadStageChanged(LEAD, CONTACT, "marketing-lead", "INQUIRY",
                                "AUTOMATED_MARKETING_QUALIFICATION", "OPEN", "SCORE", "scoring-service", "Scoring")),
                Envelope.of(EventTypes.LEAD_SALES_READY, "lead-service", AT, LEAD, 4,
                        new LeadSalesReady(LEAD, CONTACT, "solar-panels", "SCORE", "TELEPROSPECTING_ACCEPTANCE")),
                // routing, nurture triggers, stage SLAs
                Envelope.of(EventTypes.LEAD_ASSIGNED, "lead-service", AT, LEAD, 5, new LeadAssigned(LEAD, CONTACT,
                        "TELEPROSPECTING_ACCEPTANCE", "telesales-lisbon", "rita", UUID.randomUUID(), "Lisbon desk")),
                Envelope.of(EventTypes.LEAD_NURTURE, "lead-service", AT, LEAD, 6, new LeadNurture(LEAD, CONTACT,
                        "solar-panels", UUID.randomUUID(), "Hot leads journey", "GRADE_REACHED", "reached grade A")),
                Envelope.of(EventTypes.LEAD_SLA_BREACHED, "lead-service", AT, LEAD, 7, new LeadSlaBreached(LEAD,
                        CONTACT, "SALES_ACCEPTANCE", "sales", null, 48, AT, AT.plusSeconds(48 * 3600))),
                Envelope.of(EventTypes.CONTACT_CREATED, "contact-service", AT, CONTACT, 1,
                        new ContactCreated(CONTACT, "ana@example.com", "Ana", "Silva", "Acme", "IT Director", "PT",
                                true)),
                Envelope.of(EventTypes.CONSENT_CONFIRMATION_REQUESTED, "contact-service", AT, CONTACT, 2,
                        new ConsentConfirmationRequested(CONTACT, "ana@example.com", "q3Zb0r7mYHc9a1Xr0T2lJ8w",
                                AT.plusSeconds(7 * 86400), "MARKETING_FORM form-42")),
                Envelope.of(EventTypes.SCORE_CHANGED, "scoring-service", AT, LEAD, 7,
                        new ScoreChanged(LEAD, CONTACT, List.of(new ScoreChanged.ModelScore(UUID.randomUUID(), 1,
                                "Default engagement", 55, "B", 50, true)), true, "i-1")));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void roundTripsThroughJson(Envelope<?> envelope) throws Exception {
        String json = MAPPER.writeValueAsString(envelope);
        JsonNode tree = MAPPER.readTree(json);
        for (String field : List.of("id", "type", "version", "source", "time", "subject", "sequence", "data")) {
            assertTrue(tree.has(field), field + " in " + json);
        }
        assertEquals("2026-11-22T10:15:30Z", tree.get("time").asText());
        JavaType type = MAPPER.getTypeFactory().constructParametricType(Envelope.class, envelope.data().getClass());
        assertEquals(envelope, MAPPER.readValue(json, type));
    }

    @ParameterizedTest
    @MethodSource("examples")
    void everyEnvelopeHasItsOwnId(Envelope<?> envelope) {
        Envelope<?> again = Envelope.of(envelope.type(), envelope.source(), envelope.time(), envelope.subject(),
                envelope.sequence(), envelope.data());
        assertNotEquals(envelope.id(), again.id());
        assertEquals(1, again.version());
    }

    @org.junit.jupiter.api.Test
    void anEnvelopeWithoutTypeOrSubjectCannotExist() {
        assertThrows(NullPointerException.class,
                () -> new Envelope<>(UUID.randomUUID(), null, 1, "x", AT, LEAD, 1, "data"));
        assertThrows(NullPointerException.class,
                () -> new Envelope<>(UUID.randomUUID(), "lead.created", 1, "x", AT, null, 1, "data"));
    }
}
