package io.leadsuite.lead.domain;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.problem.Problem;
import io.leadsuite.kit.problem.ProblemException;
import io.leadsuite.lead.service.BuiltInFlows;

/**
 * Every transition of the three built-in flows, for every role of the suite, with and without the transition's guards met:
 * allowed (200), wrong team (403), guard not met (422, naming each field). Every pair of stages that is not a
 * transition is a 409 for every role. The expectations are written out by hand (not derived from the flow files), so a
 * change to a built-in flow shows up here.
 */
class BuiltInFlowTransitionTableTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    static final Map<String, Flow> FLOWS = Map.of(
            "marketing-lead", BuiltInFlows.parse(MAPPER, BuiltInFlows.read("flows/built-in/marketing-lead.json")),
            "funnel", BuiltInFlows.parse(MAPPER, BuiltInFlows.read("flows/built-in/funnel.json")),
            "sales-lead", BuiltInFlows.parse(MAPPER, BuiltInFlows.read("flows/built-in/sales-lead.json")));
    static final List<String> ROLES = List.of("marketing", "telesales", "sales", "admin", "crm");
    private static final Instant NOW = Instant.parse("2026-11-23T10:00:00Z");

    static Lead leadIn(Flow flow, String stage, boolean guardsMet) {
        Lead lead = Lead.open(UUID.randomUUID(), "solar-panels", "MARKETING_FORM", null, flow,
                NOW.minusSeconds(3600));
        lead.stage = stage;
        lead.team = flow.stage(stage).orElseThrow().team();
        if (guardsMet) {
            lead.salesReady = true;
            lead.salesReadyBy = "SCORE";
            lead.budget = new BigDecimal("15000");
            lead.currency = "EUR";
            lead.timeframe = "THIS_QUARTER";
            lead.need = "Replace the boiler";
            lead.decisionMaker = true;
            lead.owner = "maria";
        }
        return lead;
    }

    /** flow, from, to, role, status without guards met, status with guards met, the guards a 422 names */
    @ParameterizedTest(name = "{0}: {1} -> {2} as {3}: {4} / {5}")
    @CsvSource(delimiter = '|', textBlock = """
            marketing-lead | INQUIRY                           | AUTOMATED_MARKETING_QUALIFICATION | marketing | 200 | 200 |
            marketing-lead | INQUIRY                           | AUTOMATED_MARKETING_QUALIFICATION | telesales | 403 | 403 |
            marketing-lead | INQUIRY                           | AUTOMATED_MARKETING_QUALIFICATION | sales     | 403 | 403 |
            marketing-lead | INQUIRY                           | AUTOMATED_MARKETING_QUALIFICATION | admin     | 200 | 200 |
            marketing-lead | INQUIRY                           | AUTOMATED_MARKETING_QUALIFICATION | crm       | 403 | 403 |
            marketing-lead | INQUIRY                           | TELEPROSPECTING_ACCEPTANCE        | marketing | 422 | 200 | salesReady
            marketing-lead | INQUIRY                           | TELEPROSPECTING_ACCEPTANCE        | telesales | 403 | 403 |
            marketing-lead | INQUIRY                           | TELEPROSPECTING_ACCEPTANCE        | sales     | 403 | 403 |
            marketing-lead | INQUIRY                           | TELEPROSPECTING_ACCEPTANCE        | admin     | 422 | 200 | salesReady
            marketing-lead | INQUIRY                           | TELEPROSPECTING_ACCEPTANCE        | crm       | 403 | 403 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | TELEPROSPECTING_ACCEPTANCE        | marketing | 200 | 200 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | TELEPROSPECTING_ACCEPTANCE        | telesales | 200 | 200 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | TELEPROSPECTING_ACCEPTANCE        | sales     | 403 | 403 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | TELEPROSPECTING_ACCEPTANCE        | admin     | 200 | 200 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | TELEPROSPECTING_ACCEPTANCE        | crm       | 403 | 403 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | SALES_ACCEPTANCE                  | marketing | 422 | 200 | salesReady
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | SALES_ACCEPTANCE                  | telesales | 403 | 403 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | SALES_ACCEPTANCE                  | sales     | 403 | 403 |
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | SALES_ACCEPTANCE                  | admin     | 422 | 200 | salesReady
            marketing-lead | AUTOMATED_MARKETING_QUALIFICATION | SALES_ACCEPTANCE                  | crm       | 403 | 403 |
            marketing-lead | TELEPROSPECTING_ACCEPTANCE        | TELEPROSPECTING_QUALIFICATION     | marketing | 403 | 403 |
            marketing-lead | TELEPROSPECTING_ACCEPTANCE        | TELEPROSPECTING_QUALIFICATION     | telesales | 200 | 200 |
            marketing-lead | TELEPROSPECTING_ACCEPTANCE        | TELEPROSPECTING_QUALIFICATION     | sales     | 403 | 403 |
            marketing-lead | TELEPROSPECTING_ACCEPTANCE        | TELEPROSPECTING_QUALIFICATION     | admin     | 200 | 200 |
            marketing-lead | TELEPROSPECTING_ACCEPTANCE        | TELEPROSPECTING_QUALIFICATION     | crm       | 403 | 403 |
            marketing-lead | TELEPROSPECTING_QUALIFICATION     | SALES_ACCEPTANCE                  | marketing | 403 | 403 |
            marketing-lead | TELEPROSPECTING_QUALIFICATION     | SALES_ACCEPTANCE                  | telesales | 422 | 200 | salesReady qualification.budget qualification.timeframe qualification.need
            marketing-lead | TELEPROSPECTING_QUALIFICATION     | SALES_ACCEPTANCE                  | sales     | 403 | 403 |
            marketing-lead | TELEPROSPECTING_QUALIFICATION     | SALES_ACCEPTANCE                  | admin     | 422 | 200 | salesReady qualification.budget qualification.timeframe qualification.need
            marketing-lead | TELEPROSPECTING_QUALIFICATION     | SALES_ACCEPTANCE                  | crm       | 403 | 403 |
            funnel         | LEAD                              | MARKETING_QUALIFIED               | marketing | 422 | 200 | salesReady
            funnel         | LEAD                              | MARKETING_QUALIFIED               | telesales | 403 | 403 |
            funnel         | LEAD                              | MARKETING_QUALIFIED               | sales     | 403 | 403 |
            funnel         | LEAD                              | MARKETING_QUALIFIED               | admin     | 422 | 200 | salesReady
            funnel         | LEAD                              | MARKETING_QUALIFIED               | crm       | 403 | 403 |
            funnel         | MARKETING_QUALIFIED               | SALES_ACCEPTED                    | marketing | 403 | 403 |
            funnel         | MARKETING_QUALIFIED               | SALES_ACCEPTED                    | telesales | 403 | 403 |
            funnel         | MARKETING_QUALIFIED               | SALES_ACCEPTED                    | sales     | 200 | 200 |
            funnel         | MARKETING_QUALIFIED               | SALES_ACCEPTED                    | admin     | 200 | 200 |
            funnel         | MARKETING_QUALIFIED               | SALES_ACCEPTED                    | crm       | 403 | 403 |
            funnel         | SALES_ACCEPTED                    | SALES_QUALIFIED                   | marketing | 403 | 403 |
            funnel         | SALES_ACCEPTED                    | SALES_QUALIFIED                   | telesales | 403 | 403 |
            funnel         | SALES_ACCEPTED                    | SALES_QUALIFIED                   | sales     | 422 | 200 | qualification.budget qualification.need
            funnel         | SALES_ACCEPTED                    | SALES_QUALIFIED                   | admin     | 422 | 200 | qualification.budget qualification.need
            funnel         | SALES_ACCEPTED                    | SALES_QUALIFIED                   | crm       | 403 | 403 |
            funnel         | SALES_QUALIFIED                   | OPPORTUNITY                       | marketing | 403 | 403 |
            funnel         | SALES_QUALIFIED                   | OPPORTUNITY                       | telesales | 403 | 403 |
            funnel         | SALES_QUALIFIED                   | OPPORTUNITY                       | sales     | 200 | 200 |
            funnel         | SALES_QUALIFIED                   | OPPORTUNITY                       | admin     | 200 | 200 |
            funnel         | SALES_QUALIFIED                   | OPPORTUNITY                       | crm       | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_WON                        | marketing | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_WON                        | telesales | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_WON                        | sales     | 200 | 200 |
            funnel         | OPPORTUNITY                       | CLOSED_WON                        | admin     | 200 | 200 |
            funnel         | OPPORTUNITY                       | CLOSED_WON                        | crm       | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_LOST                       | marketing | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_LOST                       | telesales | 403 | 403 |
            funnel         | OPPORTUNITY                       | CLOSED_LOST                       | sales     | 200 | 200 |
            funnel         | OPPORTUNITY                       | CLOSED_LOST                       | admin     | 200 | 200 |
            funnel         | OPPORTUNITY                       | CLOSED_LOST                       | crm       | 403 | 403 |
            sales-lead     | QUALIFY                           | DEVELOP                           | marketing | 403 | 403 |
            sales-lead     | QUALIFY                           | DEVELOP                           | telesales | 403 | 403 |
            sales-lead     | QUALIFY                           | DEVELOP                           | sales     | 200 | 200 |
            sales-lead     | QUALIFY                           | DEVELOP                           | admin     | 200 | 200 |
            sales-lead     | QUALIFY                           | DEVELOP                           | crm       | 403 | 403 |
            sales-lead     | DEVELOP                           | PROPOSE                           | marketing | 403 | 403 |
            sales-lead     | DEVELOP                           | PROPOSE                           | telesales | 403 | 403 |
            sales-lead     | DEVELOP                           | PROPOSE                           | sales     | 200 | 200 |
            sales-lead     | DEVELOP                           | PROPOSE                           | admin     | 200 | 200 |
            sales-lead     | DEVELOP                           | PROPOSE                           | crm       | 403 | 403 |
            sales-lead     | PROPOSE                           | CLOSE                             | marketing | 403 | 403 |
            sales-lead     | PROPOSE                           | CLOSE                             | telesales | 403 | 403 |
            sales-lead     | PROPOSE                           | CLOSE                             | sales     | 200 | 200 |
            sales-lead     | PROPOSE                           | CLOSE                             | admin     | 200 | 200 |
            sales-lead     | PROPOSE                           | CLOSE                             | crm       | 403 | 403 |
            """)
    void everyTransitionForEveryRole(String flowId, String from, String to, String role, int withoutGuards,
            int withGuards, String guards) {
        Flow flow = FLOWS.get(flowId);
        List<String> expectedGuards = guards == null ? List.of() : Arrays.asList(guards.trim().split("\\s+"));
        check(flow, from, to, role, false, withoutGuards, expectedGuards);
        check(flow, from, to, role, true, withGuards, List.of());
    }

    private static void check(Flow flow, String from, String to, String role, boolean guardsMet, int expected,
            List<String> expectedGuards) {
        Lead lead = leadIn(flow, from, guardsMet);
        try {
            List<LeadChange> changes = lead.transition(to, Set.of(role), flow, role + "-user", "table", NOW);
            if (expected != 200) {
                fail("expected " + expected + " but the transition was made");
            }
            assertEquals(new LeadChange.StageChanged(from, to, Cause.MANUAL, role + "-user", "table", 3600),
                    changes.get(0));
            LeadStatus closing = flow.stage(to).orElseThrow().status();
            if (closing != null && closing.isFinal()) {
                assertEquals(List.of(new LeadChange.Closed(closing.name(), to, null, Cause.MANUAL, role + "-user",
                        "table")), changes.subList(1, changes.size()));
            } else {
                assertEquals(1, changes.size());
            }
            assertEquals(to, lead.stage);
            assertEquals(flow.stage(to).orElseThrow().team(), lead.team);
            assertEquals(NOW, lead.stageEnteredAt);
        } catch (DomainException refusal) {
            // the table names the answers the API documents: the refusal as the edge answers it
            ProblemException e = ProblemException.of(refusal);
            assertEquals(expected, e.status(), e.getMessage());
            assertEquals(from, lead.stage, "a refused transition changes nothing");
            if (expected == 422) {
                Problem problem = e.toProblem(null);
                assertEquals(expectedGuards, problem.errors().stream().map(Problem.FieldError::field).toList());
            }
        }
    }

    /** Every pair of stages of each built-in flow that is not one of its transitions, for every role. */
    static Stream<Arguments> notTransitions() {
        List<Arguments> cases = new ArrayList<>();
        FLOWS.forEach((id, flow) -> {
            for (Flow.Stage from : flow.stages()) {
                for (Flow.Stage to : flow.stages()) {
                    if (flow.transition(from.id(), to.id()).isEmpty()) {
                        ROLES.forEach(role -> cases.add(Arguments.of(id, from.id(), to.id(), role)));
                    }
                }
            }
        });
        return cases.stream();
    }

    @ParameterizedTest(name = "{0}: {1} -> {2} as {3}: 409")
    @MethodSource("notTransitions")
    void everyOtherMoveIsAConflictForEveryRole(String flowId, String from, String to, String role) {
        Flow flow = FLOWS.get(flowId);
        for (boolean guardsMet : List.of(false, true)) {
            Lead lead = leadIn(flow, from, guardsMet);
            assertThrows(StateConflict.class, () -> lead.transition(to, Set.of(role), flow, role, null, NOW));
            assertEquals(from, lead.stage);
        }
        Lead unknown = leadIn(flow, from, true);
        assertThrows(StateConflict.class,
                () -> unknown.transition("NO_SUCH_STAGE", Set.of(role), flow, role, null, NOW));
    }

    @Test
    void theTableCoversEveryTransitionOfBothFlowsAndTheConflictsCoverTheRest() {
        Set<String> transitions = new HashSet<>();
        FLOWS.forEach((id, flow) -> flow.transitions().forEach(t -> transitions.add(id + ":" + t.from() + "->" + t.to())));
        assertEquals(15, transitions.size(), "6 transitions in marketing-lead and funnel, 3 in sales-lead: " + transitions);
        // 5 stages, 6 transitions (marketing-lead), 7 stages, 6 transitions (funnel), 4 stages, 3 transitions (sales-lead)
        assertEquals((25 - 6 + 49 - 6 + 16 - 3) * ROLES.size(), notTransitions().count());
    }

    @Test
    void aClosedLeadCannotMoveAtAll() {
        Flow flow = FLOWS.get("funnel");
        Lead lead = leadIn(flow, "OPPORTUNITY", true);
        lead.transition("CLOSED_WON", Set.of("sales"), flow, "s", null, NOW);
        assertEquals(LeadStatus.WON, lead.status, "the funnel's CLOSED_WON stage closes the lead");
        assertTrue(lead.status.isFinal());
        Lead disqualified = leadIn(flow, "LEAD", true);
        disqualified.disqualify("m", "Spam", NOW);
        assertThrows(StateConflict.class,
                () -> disqualified.transition("MARKETING_QUALIFIED", Set.of("admin"), flow, "a", null, NOW));
    }
}
