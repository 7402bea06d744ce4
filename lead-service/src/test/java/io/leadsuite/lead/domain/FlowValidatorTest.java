package io.leadsuite.lead.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.domain.Violation;
import io.leadsuite.lead.domain.Flow.Automation;
import io.leadsuite.lead.domain.Flow.Stage;
import io.leadsuite.lead.domain.Flow.Transition;
import io.leadsuite.lead.domain.Flow.Trigger;

/** Custom flows that cannot work are refused, with every problem named. */
class FlowValidatorTest {

    private static Flow flow(List<Stage> stages, List<Transition> transitions) {
        return new Flow("custom", "Custom", 1, false, stages, transitions, List.of(), null, false);
    }

    private static Stage stage(String id, String team) {
        return new Stage(id, id.charAt(0) + id.substring(1).toLowerCase(), team, null, null);
    }

    private static Transition move(String from, String to, String... teams) {
        return new Transition(from, to, List.of(teams), List.of());
    }

    private static List<String> fields(List<Violation> errors) {
        return errors.stream().map(Violation::field).toList();
    }

    @Test
    void theBuiltInFlowsAreValid() {
        BuiltInFlowTransitionTableTest.FLOWS.values()
                .forEach(f -> assertEquals(List.of(), FlowValidator.validate(f), f.id()));
    }

    @Test
    void aSimpleCustomFlowIsValid() {
        Flow ok = new Flow("inside-sales", "Inside sales", 1, true,
                List.of(stage("NEW", "marketing"), stage("CALL", "telesales"), stage("WON", "sales")),
                List.of(move("NEW", "CALL", "marketing"), new Transition("CALL", "WON", List.of("telesales"),
                        List.of("salesReady", "qualification.budget"))),
                List.of(new Automation(Trigger.SALES_READY, List.of("NEW"), "CALL")), "NEW", true);
        assertEquals(List.of(), FlowValidator.validate(ok));
    }

    @Test
    void anUnreachableStageIsNamed() {
        var errors = FlowValidator.validate(flow(List.of(stage("A", "marketing"), stage("B", "sales"),
                stage("ORPHAN", "sales")), List.of(move("A", "B", "marketing"), move("ORPHAN", "B", "sales"))));
        assertEquals(List.of("stages[2]"), fields(errors));
        assertTrue(errors.get(0).message().contains("ORPHAN cannot be reached"), errors.toString());
    }

    @Test
    void aFlowWithoutAFinalStageCannotFinish() {
        var errors = FlowValidator.validate(flow(List.of(stage("A", "marketing"), stage("B", "sales")),
                List.of(move("A", "B", "marketing"), move("B", "A", "sales"))));
        assertEquals(List.of("transitions"), fields(errors));
        assertTrue(errors.get(0).message().startsWith("no way to finish"));
    }

    @Test
    void aLoopThatNeverReachesTheEndIsNamed() {
        // A -> END is fine, but once in B or C a lead can never get out
        var errors = FlowValidator.validate(flow(
                List.of(stage("A", "marketing"), stage("B", "sales"), stage("C", "sales"), stage("END", "sales")),
                List.of(move("A", "END", "marketing"), move("A", "B", "marketing"), move("B", "C", "sales"),
                        move("C", "B", "sales"))));
        assertEquals(List.of("stages[1]", "stages[2]"), fields(errors));
        assertTrue(errors.get(0).message().contains("no way to finish from stage B"));
    }

    @Test
    void duplicatesUnknownStagesTeamsAndGuardsAreAllReportedAtOnce() {
        var errors = FlowValidator.validate(new Flow("Bad Id", " ", 1, true,
                List.of(stage("A", "marketing"), new Stage("A", "Other", "sales", null, null),
                        new Stage("B", "a", "finance", 0, LeadStatus.DISQUALIFIED), stage("lower", "sales")),
                List.of(move("A", "B", "marketing"), move("A", "B", "marketing"), move("B", "NOWHERE", "sales"),
                        new Transition("A", "A", List.of(), List.of("qualification.shoeSize"))),
                List.of(new Automation(Trigger.SCORED, List.of("GHOST"), "B")), "LIMBO", false));
        List<String> fields = fields(errors);
        assertEquals(List.of("id", "name", "stages[1].id", "stages[2].name", "stages[2].team", "stages[2].slaHours",
                "stages[2].status", "stages[3].id", "transitions[1]", "transitions[2].to", "transitions[3].to",
                "transitions[3].teams", "transitions[3].guards", "automation[0].from", "nurtureStage",
                "teleprospecting"), fields, errors.toString());
    }

    @Test
    void aFlowNeedsStages() {
        assertEquals(List.of("stages"), fields(FlowValidator.validate(flow(List.of(), List.of()))));
        assertEquals(List.of("stages"), fields(FlowValidator.validate(flow(null, null))));
    }
}
