package io.leadsuite.lead.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.lead.domain.LeadChange.Accepted;
import io.leadsuite.lead.domain.LeadChange.FlowSwitched;
import io.leadsuite.lead.domain.LeadChange.StageChanged;

/**
 * Sales acceptance as a stage the lead enters, the switch to the sales flow (`sales-lead`) and the CRM's opportunity
 * and close as steps of that flow, without a database.
 */
class SalesAcceptanceRulesTest {

    private static final Flow MARKETING_LEAD = BuiltInFlowTransitionTableTest.FLOWS.get("marketing-lead");
    private static final Flow FUNNEL = BuiltInFlowTransitionTableTest.FLOWS.get("funnel");
    private static final Flow SALES_LEAD = BuiltInFlowTransitionTableTest.FLOWS.get("sales-lead");
    private static final Instant T0 = Instant.parse("2026-11-23T08:00:00Z");
    private static final UUID MODEL = UUID.randomUUID();

    private static Lead salesReady(Flow flow) {
        Lead lead = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, flow, T0);
        lead.applyScores(1, List.of(new LeadScore(MODEL, "Default", 60, "A", 50, true)), true, flow,
                T0.plusSeconds(60));
        assertTrue(lead.salesReady);
        return lead;
    }

    @Test
    void theBuiltInMarketingFlowNamesItsAcceptanceStageAndTheSalesFlow() {
        assertEquals("SALES_ACCEPTANCE", MARKETING_LEAD.salesAcceptanceStage().orElseThrow().id());
        assertEquals("sales-lead", MARKETING_LEAD.salesFlow());
        assertEquals("SALES_ACCEPTED", FUNNEL.salesAcceptanceStage().orElseThrow().id(), "the stage with status ACCEPTED");
        assertEquals(List.of("QUALIFY", "DEVELOP", "PROPOSE", "CLOSE"),
                SALES_LEAD.stages().stream().map(Flow.Stage::id).toList());
        assertEquals(List.of(), FlowValidator.validate(SALES_LEAD));
        assertEquals(List.of(), FlowValidator.validate(MARKETING_LEAD));
    }

    @Test
    void aSalesUserAcceptsASalesReadyLeadWhichEntersSalesAcceptanceAndSwitchesToTheSalesFlow() {
        Lead lead = salesReady(MARKETING_LEAD);
        assertEquals("TELEPROSPECTING_ACCEPTANCE", lead.stage);
        Instant at = T0.plusSeconds(3660);
        List<LeadChange> changes = lead.acceptBySales(null, null, MARKETING_LEAD, SALES_LEAD, "maria", at);

        assertEquals(List.of(
                new Accepted(null, "maria", "TELEPROSPECTING_ACCEPTANCE", Cause.MANUAL, "maria", "Accepted by maria"),
                new StageChanged("TELEPROSPECTING_ACCEPTANCE", "SALES_ACCEPTANCE", Cause.MANUAL, "maria",
                        "Accepted by maria", 3600),
                new FlowSwitched("marketing-lead", "SALES_ACCEPTANCE", "sales-lead", "QUALIFY", Cause.MANUAL, "maria",
                        "Accepted: on to the Sales lead to opportunity flow", 0)),
                changes);
        assertEquals(LeadStatus.ACCEPTED, lead.status);
        assertEquals("sales-lead", lead.flowId);
        assertEquals(SALES_LEAD.version(), lead.flowVersion);
        assertEquals("QUALIFY", lead.stage);
        assertEquals("sales", lead.team);
        assertEquals("maria", lead.owner, "the accepting user owns the lead when no owner is named");
        assertEquals("maria", lead.acceptedBy);
        assertEquals(at, lead.acceptedAt);
        assertEquals("marketing-lead", lead.originFlowId);
        assertEquals(MARKETING_LEAD.version(), lead.originFlowVersion);

        assertEquals(List.of(), lead.acceptBySales(null, null, MARKETING_LEAD, SALES_LEAD, "maria", at),
                "the same user accepting again changes nothing");
        StateConflict other = assertThrows(StateConflict.class,
                () -> lead.acceptBySales(null, null, MARKETING_LEAD, SALES_LEAD, "joao", at));
        assertTrue(other.getMessage().contains("accepted by maria"), other.getMessage());
    }

    @Test
    void onlyASalesReadyOpenLeadCanBeAccepted() {
        Lead lead = Lead.open(UUID.randomUUID(), "solar", "MARKETING_FORM", null, MARKETING_LEAD, T0);
        assertThrows(StateConflict.class,
                () -> lead.acceptBySales("maria", null, MARKETING_LEAD, SALES_LEAD, "maria", T0));
        assertEquals("INQUIRY", lead.stage);
        assertEquals(LeadStatus.OPEN, lead.status);
        Lead disqualified = salesReady(MARKETING_LEAD);
        disqualified.disqualify("m", "Spam", T0);
        assertThrows(StateConflict.class,
                () -> disqualified.acceptBySales("maria", null, MARKETING_LEAD, SALES_LEAD, "maria", T0));
    }

    @Test
    void opportunityAndCloseAreStepsOfTheSalesFlowAndNeverMoveALeadBack() {
        Lead lead = salesReady(MARKETING_LEAD);
        lead.acceptByCrm("00Q-1", "maria", MARKETING_LEAD, SALES_LEAD, "crm-user", T0.plusSeconds(120));
        assertEquals("QUALIFY", lead.stage);
        assertEquals("crm-user", lead.acceptedBy);

        List<LeadChange> opportunity = lead.opportunity("OPP-1", new BigDecimal("12500"), LocalDate.parse("2027-02-28"),
                SALES_LEAD, "crm-user", T0.plusSeconds(180));
        assertEquals(new StageChanged("QUALIFY", "DEVELOP", Cause.CRM, "crm-user", "Opportunity OPP-1", 60),
                opportunity.get(1));
        assertEquals(LeadStatus.CONVERTED, lead.status);
        lead.transition("PROPOSE", Set.of("sales"), SALES_LEAD, "maria", "Proposal sent", T0.plusSeconds(240));
        assertEquals(List.of(), lead.opportunity("OPP-1", new BigDecimal("12500"), LocalDate.parse("2027-02-28"),
                SALES_LEAD, "crm-user", T0.plusSeconds(250)), "a repeated report changes nothing");
        assertEquals("PROPOSE", lead.stage);

        List<LeadChange> closed = lead.closeByCrm(LeadStatus.WON, new BigDecimal("11800"), "Signed", SALES_LEAD,
                "crm-user", T0.plusSeconds(300));
        assertEquals(new StageChanged("PROPOSE", "CLOSE", Cause.CRM, "crm-user", "Closed WON", 60), closed.get(1));
        assertEquals(LeadStatus.WON, lead.status);
        assertEquals("CLOSE", lead.stage);
        assertEquals(T0.plusSeconds(300), lead.closedAt);

        Lead lost = salesReady(MARKETING_LEAD);
        lost.acceptByCrm("00Q-2", null, MARKETING_LEAD, SALES_LEAD, "crm-user", T0.plusSeconds(120));
        lost.closeByCrm(LeadStatus.LOST, null, "Went with a competitor", SALES_LEAD, "crm-user", T0.plusSeconds(200));
        assertEquals(LeadStatus.LOST, lost.status);
        assertEquals("CLOSE", lost.stage, "the sales flow's close stage takes either outcome");
    }

    @Test
    void aRejectedOrReopenedLeadGoesBackToTheFlowItCameFrom() {
        Lead lead = salesReady(MARKETING_LEAD);
        lead.acceptByCrm("00Q-3", "maria", MARKETING_LEAD, SALES_LEAD, "crm-user", T0.plusSeconds(120));
        List<LeadChange> rejected = lead.rejectByCrm("No budget", SALES_LEAD, MARKETING_LEAD, "crm-user",
                T0.plusSeconds(180));
        assertEquals(new FlowSwitched("sales-lead", "QUALIFY", "marketing-lead", "AUTOMATED_MARKETING_QUALIFICATION",
                Cause.CRM, "crm-user", "Rejected by the CRM: No budget", 60), rejected.get(rejected.size() - 1));
        assertEquals("marketing-lead", lead.flowId);
        assertEquals(MARKETING_LEAD.version(), lead.flowVersion);
        assertEquals(LeadStatus.OPEN, lead.status);
        assertNull(lead.originFlowId);
        assertNull(lead.acceptedBy);
        assertEquals("marketing", lead.team);

        Lead lost = salesReady(MARKETING_LEAD);
        lost.acceptBySales(null, null, MARKETING_LEAD, SALES_LEAD, "maria", T0.plusSeconds(120));
        lost.closeByCrm(LeadStatus.LOST, null, "Too expensive", SALES_LEAD, "crm-user", T0.plusSeconds(200));
        lost.reopen(SALES_LEAD, MARKETING_LEAD, "maria", "Called back", T0.plusSeconds(300));
        assertEquals("marketing-lead", lost.flowId);
        assertEquals("AUTOMATED_MARKETING_QUALIFICATION", lost.stage);
        assertEquals(LeadStatus.OPEN, lost.status);
    }

    @Test
    void inAFlowWithoutASalesFlowTheLeadStaysInItsAcceptedStage() {
        Lead lead = salesReady(FUNNEL);
        List<LeadChange> changes = lead.acceptBySales("maria", "Mine", FUNNEL, null, "maria", T0.plusSeconds(120));
        assertEquals(2, changes.size());
        assertEquals("funnel", lead.flowId);
        assertEquals("SALES_ACCEPTED", lead.stage);
        assertNull(lead.originFlowId);
    }
}
