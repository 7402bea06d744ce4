package io.leadsuite.lead.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;

/** Return to nurturing, time in stage, manual flags, side exits and the CRM's idempotent calls, without a database. */
class LeadRulesTest {

    private static final Flow MARKETING_LEAD = BuiltInFlowTransitionTableTest.FLOWS.get("marketing-lead");
    private static final Flow FUNNEL = BuiltInFlowTransitionTableTest.FLOWS.get("funnel");
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final UUID MODEL = UUID.randomUUID();

    private static List<LeadScore> score(int points) {
        return List.of(new LeadScore(MODEL, "Default", points, points >= 50 ? "A" : "C", 50, points >= 50));
    }

    private static Lead salesReadyByScore(Flow flow) {
        Lead lead = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, flow, T0);
        lead.applyScores(1, score(60), true, flow, T0.plusSeconds(60));
        assertTrue(lead.salesReady);
        return lead;
    }

    @Test
    void aScoreFallingBelowTheThresholdReturnsAnUnacceptedLeadToNurturing() {
        Lead lead = salesReadyByScore(MARKETING_LEAD);
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead.stage);
        var result = lead.applyScores(2, score(30), false, MARKETING_LEAD, T0.plusSeconds(7260));
        assertEquals(List.of(
                new LeadChange.SalesReadyCleared("TELEPROSPECTING_ACCEPTANCE", Cause.SCORE, Lead.SCORING_ACTOR,
                        "Score fell back below the sales-ready threshold"),
                new LeadChange.StageChanged("TELEPROSPECTING_ACCEPTANCE", "AUTOMATED_MARKETING_QUALIFICATION",
                        Cause.SCORE, Lead.SCORING_ACTOR, "Score fell back below the sales-ready threshold", 7200)),
                result.changes());
        assertFalse(lead.salesReady);
        assertNull(lead.salesReadyBy);
        assertEquals("marketing", lead.team);
        // crossing again hands it to tele-prospecting again
        lead.applyScores(3, score(70), true, MARKETING_LEAD, T0.plusSeconds(8000));
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead.stage);
    }

    @Test
    void aLeadFlaggedByHandOrAcceptedOrInAFlowThatSaysNoStaysWhereItIs() {
        Lead manual = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, MARKETING_LEAD, T0);
        manual.applyScores(1, score(10), false, MARKETING_LEAD, T0);
        manual.markSalesReady(MARKETING_LEAD, "tina", "Called, ready to buy", T0);
        assertEquals("MANUAL", manual.salesReadyBy);
        assertEquals(List.of(), manual.applyScores(2, score(5), false, MARKETING_LEAD, T0).changes());
        assertTrue(manual.salesReady);

        Lead accepted = salesReadyByScore(MARKETING_LEAD);
        accepted.acceptByCrm("CRM-1", "maria", MARKETING_LEAD, null, "crm", T0);
        assertEquals(List.of(), accepted.applyScores(2, score(5), false, MARKETING_LEAD, T0).changes());
        assertEquals(LeadStatus.ACCEPTED, accepted.status);

        Flow keep = new Flow("keep", "Keep", 1, true, MARKETING_LEAD.stages(), MARKETING_LEAD.transitions(),
                MARKETING_LEAD.automation(), MARKETING_LEAD.nurtureStage(), false);
        Lead kept = salesReadyByScore(keep);
        assertEquals(List.of(), kept.applyScores(2, score(5), false, keep, T0).changes());
        assertEquals("TELEPROSPECTING_ACCEPTANCE", kept.stage);
    }

    /**
     * A snapshot with the standings the lead has (scoring sends one when interactions named campaigns but moved no
     * score) is taken and moves nothing: no first-score move, no sales-readiness again after a recycle.
     */
    @Test
    void aSnapshotWithTheStandingsTheLeadHasMovesNothing() {
        Lead unscored = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, MARKETING_LEAD, T0);
        var none = unscored.applyScores(1, List.of(), false, MARKETING_LEAD, T0.plusSeconds(5));
        assertTrue(none.applied());
        assertEquals(List.of(), none.changes());
        assertEquals("INQUIRY", unscored.stage);
        assertEquals(1, unscored.scoreSequence);

        Lead lead = salesReadyByScore(MARKETING_LEAD);
        lead.recycle(MARKETING_LEAD, null, Cause.MANUAL, "sam", "Not now", T0.plusSeconds(600));
        assertFalse(lead.salesReady);
        var same = lead.applyScores(2, List.of(new LeadScore(MODEL, "Default (renamed)", 60, "A", 50, true)), true,
                MARKETING_LEAD, T0.plusSeconds(900));
        assertEquals(List.of(), same.changes());
        assertFalse(lead.salesReady);
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lead.stage);
        assertEquals("Default (renamed)", lead.scores.get(0).modelName());
        // a standing that moves applies as before: the lead is sales-ready again
        lead.applyScores(3, score(65), true, MARKETING_LEAD, T0.plusSeconds(960));
        assertTrue(lead.salesReady);
    }

    @Test
    void inTheFunnelTheLeadFallsBackToLead() {
        Lead lead = salesReadyByScore(FUNNEL);
        assertEquals("MARKETING_QUALIFIED", lead.stage);
        lead.applyScores(2, score(20), false, FUNNEL, T0.plusSeconds(120));
        assertEquals("LEAD", lead.stage);
        assertFalse(lead.salesReady);
    }

    @Test
    void manualSalesReadyIsRecordedAsManualAndAppliesTheAutomation() {
        Lead lead = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, MARKETING_LEAD, T0);
        var changes = lead.markSalesReady(MARKETING_LEAD, "tina", "Asked for a quote", T0);
        assertEquals(new LeadChange.BecameSalesReady("MANUAL", "INQUIRY", Cause.MANUAL, "tina", "Asked for a quote"),
                changes.get(0));
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead.stage);
        assertEquals(List.of(), lead.markSalesReady(MARKETING_LEAD, "tina", "again", T0), "once is enough");
    }

    @Test
    void disqualifyRecycleAndReopen() {
        Lead lead = salesReadyByScore(MARKETING_LEAD);
        var recycled = lead.recycle(MARKETING_LEAD, null, Cause.MANUAL, "sam", "Not now", T0.plusSeconds(600));
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lead.stage);
        assertFalse(lead.salesReady);
        assertEquals(2, recycled.size());
        assertThrows(StateConflict.class,
                () -> lead.recycle(MARKETING_LEAD, null, Cause.MANUAL, "sam", "again", T0));

        lead.disqualify("sam", "Competitor", T0.plusSeconds(700));
        assertEquals(LeadStatus.DISQUALIFIED, lead.status);
        assertThrows(StateConflict.class, () -> lead.disqualify("sam", "again", T0));
        var reopened = lead.reopen(MARKETING_LEAD, null, "sam", "They called back", T0.plusSeconds(800));
        assertEquals(LeadStatus.OPEN, lead.status);
        assertEquals("DISQUALIFIED", ((LeadChange.Reopened) reopened.get(0)).previousStatus());
        assertThrows(StateConflict.class,
                () -> lead.reopen(MARKETING_LEAD, null, "sam", "again", T0));
    }

    @Test
    void crmCallsAreIdempotentAndConflictingRepeatsAreRefused() {
        Lead lead = salesReadyByScore(FUNNEL);
        assertEquals(2, lead.acceptByCrm("CRM-7", "maria", FUNNEL, null, "crm", T0).size());
        assertEquals("SALES_ACCEPTED", lead.stage);
        assertEquals(LeadStatus.ACCEPTED, lead.status);
        assertEquals(List.of(), lead.acceptByCrm("CRM-7", "maria", FUNNEL, null, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.acceptByCrm("CRM-8", "maria", FUNNEL, null, "crm", T0));

        BigDecimal estimate = new BigDecimal("12500.00");
        LocalDate close = LocalDate.parse("2027-02-28");
        assertEquals(2, lead.opportunity("OPP-1", estimate, close, FUNNEL, "crm", T0).size());
        assertEquals("OPPORTUNITY", lead.stage);
        assertEquals(LeadStatus.CONVERTED, lead.status);
        assertEquals(List.of(), lead.opportunity("OPP-1", new BigDecimal("12500"), close, FUNNEL, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.opportunity("OPP-1", new BigDecimal("99"), close, FUNNEL, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.opportunity("OPP-2", estimate, close, FUNNEL, "crm", T0));

        assertEquals(2, lead.closeByCrm(LeadStatus.WON, new BigDecimal("11800"), "Signed", FUNNEL, "crm", T0).size());
        assertEquals("CLOSED_WON", lead.stage);
        assertEquals(List.of(), lead.closeByCrm(LeadStatus.WON, new BigDecimal("11800.00"), "Signed", FUNNEL, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.closeByCrm(LeadStatus.LOST, null, "Signed", FUNNEL, "crm", T0));
    }

    @Test
    void aRejectGoesBackToNurturingOnce() {
        Lead lead = salesReadyByScore(MARKETING_LEAD);
        var changes = lead.rejectByCrm("No budget this year", MARKETING_LEAD, null, "crm", T0);
        assertEquals(LeadChange.Rejected.class, changes.get(0).getClass());
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lead.stage);
        assertFalse(lead.salesReady);
        assertEquals(List.of(), lead.rejectByCrm("No budget this year", MARKETING_LEAD, null, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.rejectByCrm("Another reason", MARKETING_LEAD, null, "crm", T0));
        assertThrows(StateConflict.class,
                () -> lead.acceptByCrm("CRM-1", null, MARKETING_LEAD, null, "crm", T0), "not sales-ready now");
        lead.applyScores(5, score(80), true, MARKETING_LEAD, T0);
        assertNull(lead.crmRejectionReason, "sales-ready again: a new hand-off");
    }

    @Test
    void aPatchIsValidatedAndRecordsOnlyWhatChanged() throws Exception {
        ObjectMapper mapper = new ObjectMapper();
        Lead lead = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, MARKETING_LEAD, T0);
        var changes = lead.update(LeadPatch.parse(mapper.readTree("""
                {"qualification": {"budget": 15000, "currency": "EUR", "timeframe": "THIS_QUARTER",
                 "need": "Replace the boiler", "decisionMaker": true}, "owner": "tina"}""")), "tina", T0);
        assertEquals(List.of("qualification.budget", "qualification.currency", "qualification.timeframe",
                "qualification.need", "qualification.decisionMaker", "owner"), ((LeadChange.Updated) changes.get(0)).fields());
        assertEquals(List.of(), lead.update(LeadPatch.parse(mapper.readTree("{\"qualification\": {\"budget\": 15000.0}}")),
                "tina", T0));
        InvalidValues bad = assertThrows(InvalidValues.class, () -> LeadPatch.parse(mapper.readTree("""
                {"qualification": {"budget": -1, "currency": "EURO", "timeframe": "SOON", "decisionMaker": "yes",
                 "colour": "red"}, "stage": "X", "topic": "", "owner": 5}""")));
        assertEquals(List.of("stage", "qualification.budget", "qualification.currency", "qualification.timeframe",
                "qualification.decisionMaker", "qualification.colour", "topic", "owner"),
                bad.violations().stream().map(Violation::field).toList());
        assertThrows(InvalidValues.class, () -> lead.update(
                LeadPatch.parse(mapper.readTree("{\"qualification\": {\"currency\": null}}")), "t", T0),
                "a budget needs a currency");
    }
}
