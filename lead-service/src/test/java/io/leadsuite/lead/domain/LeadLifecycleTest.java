package io.leadsuite.lead.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.lead.domain.LeadChange.BecameSalesReady;
import io.leadsuite.lead.domain.LeadChange.StageChanged;
import io.leadsuite.lead.service.BuiltInFlows;

/** The lifecycle rules of a lead under the built-in flows, without a database. */
class LeadLifecycleTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final Flow MARKETING_LEAD = BuiltInFlows.parse(MAPPER,
            BuiltInFlows.read("flows/built-in/marketing-lead.json"));
    private static final Flow FUNNEL = BuiltInFlows.parse(MAPPER, BuiltInFlows.read("flows/built-in/funnel.json"));
    private static final Instant NOW = Instant.parse("2026-11-22T10:00:00Z");
    private static final UUID MODEL = UUID.randomUUID();

    private static Lead newLead(Flow flow) {
        return Lead.open(UUID.randomUUID(), "solar-panels", "MARKETING_FORM", "form-42", flow, NOW);
    }

    private static List<LeadScore> score(int points, int threshold) {
        return List.of(new LeadScore(MODEL, "Default", points, points >= threshold ? "A" : "C", threshold,
                points >= threshold));
    }

    @Test
    void aNewLeadStartsInTheFirstStageOwnedByItsTeam() {
        Lead lead = newLead(MARKETING_LEAD);
        assertEquals("INQUIRY", lead.stage);
        assertEquals("marketing", lead.team);
        assertEquals(LeadStatus.OPEN, lead.status);
        assertFalse(lead.salesReady);
    }

    @Test
    void theFirstScoreStartsAutomatedMarketingQualification() {
        Lead lead = newLead(MARKETING_LEAD);
        var result = lead.applyScores(1, score(10, 50), false, MARKETING_LEAD, NOW);
        assertTrue(result.applied());
        assertEquals(List.of(new StageChanged("INQUIRY", "AUTOMATED_MARKETING_QUALIFICATION", Cause.SCORE,
                Lead.SCORING_ACTOR, "Scoring started")), result.changes());
        assertEquals(10, lead.scores.get(0).score());
        assertEquals(1, lead.scoreSequence);
    }

    @Test
    void crossingTheThresholdMakesTheLeadSalesReadyAndHandsItToTeleprospecting() {
        Lead lead = newLead(MARKETING_LEAD);
        lead.applyScores(1, score(10, 50), false, MARKETING_LEAD, NOW);
        var result = lead.applyScores(2, score(55, 50), true, MARKETING_LEAD, NOW);
        assertEquals(2, result.changes().size());
        assertEquals(new BecameSalesReady("SCORE", "AUTOMATED_MARKETING_QUALIFICATION", Cause.SCORE,
                Lead.SCORING_ACTOR, "Sales-ready threshold reached"), result.changes().get(0));
        assertEquals(new StageChanged("AUTOMATED_MARKETING_QUALIFICATION", "TELEPROSPECTING_ACCEPTANCE", Cause.SCORE,
                Lead.SCORING_ACTOR, "Sales-ready threshold reached"), result.changes().get(1));
        assertTrue(lead.salesReady);
        assertEquals("SCORE", lead.salesReadyBy);
        assertEquals("telesales", lead.team);
    }

    @Test
    void aFirstScoreAboveTheThresholdPassesThroughQualificationInOneUpdate() {
        Lead lead = newLead(MARKETING_LEAD);
        var result = lead.applyScores(1, score(80, 50), true, MARKETING_LEAD, NOW);
        assertEquals(List.of("AUTOMATED_MARKETING_QUALIFICATION", "TELEPROSPECTING_ACCEPTANCE"),
                result.changes().stream().filter(StageChanged.class::isInstance).map(c -> ((StageChanged) c).to())
                        .toList());
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead.stage);
    }

    @Test
    void withoutTeleprospectingSalesReadyLeadsGoStraightToSales() {
        Flow noTelesales = new Flow(MARKETING_LEAD.id(), MARKETING_LEAD.name(), MARKETING_LEAD.version(), false,
                MARKETING_LEAD.stages(), MARKETING_LEAD.transitions(), MARKETING_LEAD.automation());
        Lead lead = newLead(noTelesales);
        lead.applyScores(1, score(60, 50), true, noTelesales, NOW);
        assertEquals("SALES_ACCEPTANCE", lead.stage);
        assertEquals("sales", lead.team);
    }

    @Test
    void inTheFunnelASalesReadyLeadBecomesMarketingQualified() {
        Lead lead = newLead(FUNNEL);
        var first = lead.applyScores(1, score(10, 50), false, FUNNEL, NOW);
        assertEquals(List.of(), first.changes(), "the funnel has no automation on the first score");
        lead.applyScores(2, score(50, 50), true, FUNNEL, NOW);
        assertEquals("MARKETING_QUALIFIED", lead.stage);
    }

    @Test
    void aStaleOrRepeatedSequenceNeverOverwritesANewerScore() {
        Lead lead = newLead(MARKETING_LEAD);
        lead.applyScores(5, score(40, 50), false, MARKETING_LEAD, NOW);
        var older = lead.applyScores(4, score(90, 50), true, MARKETING_LEAD, NOW);
        var same = lead.applyScores(5, score(90, 50), true, MARKETING_LEAD, NOW);
        assertFalse(older.applied());
        assertFalse(same.applied());
        assertEquals(40, lead.scores.get(0).score());
        assertFalse(lead.salesReady);
        assertEquals(5, lead.scoreSequence);
    }

    @Test
    void salesReadinessIsRecordedOnce() {
        Lead lead = newLead(MARKETING_LEAD);
        lead.applyScores(1, score(60, 50), true, MARKETING_LEAD, NOW);
        var again = lead.applyScores(2, score(70, 50), true, MARKETING_LEAD, NOW);
        assertTrue(again.applied());
        assertEquals(List.of(), again.changes());
        assertEquals(70, lead.scores.get(0).score());
    }

    @Test
    void aClosedLeadKeepsItsStageButRecordsTheScore() {
        Lead lead = newLead(MARKETING_LEAD);
        lead.status = LeadStatus.DISQUALIFIED;
        var result = lead.applyScores(1, score(90, 50), true, MARKETING_LEAD, NOW);
        assertTrue(result.applied());
        assertEquals(List.of(), result.changes());
        assertEquals("INQUIRY", lead.stage);
        assertFalse(lead.salesReady);
    }
}
