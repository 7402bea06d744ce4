package io.leadsuite.lead.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import com.fasterxml.jackson.databind.ObjectMapper;

import io.leadsuite.lead.domain.Flow;
import io.leadsuite.lead.service.ClosedLoopReport.Conversion;
import io.leadsuite.lead.service.ClosedLoopReport.Dimension;

/** The report's pure figures: rates, durations and the dimensions a query may name. */
class ClosedLoopFiguresTest {

    @Test
    void ratesAreRoundedToFourPlacesAndNullWithoutABase() {
        assertEquals(0.6667, Rates.rate(2, 3));
        assertEquals(0.3333, Rates.rate(1, 3));
        assertEquals(1.0, Rates.rate(5, 5));
        assertEquals(0.0, Rates.rate(0, 7));
        assertNull(Rates.rate(0, 0));
    }

    @Test
    void secondsBecomeHoursOrDaysToTwoPlaces() {
        assertEquals(1.5, Rates.hours(5400));
        assertEquals(2.25, Rates.days(2.25 * 86400));
        assertEquals(0.01, Rates.days(600));
        assertEquals(0.0, Rates.days(400));
        assertNull(Rates.days(null));
        assertNull(Rates.hours(null));
    }

    @Test
    void eachStepConvertsOverTheOneBeforeIt() {
        Conversion c = Conversion.of(8, 4, 3, 2, 1, 1);
        assertEquals(new Conversion(0.5, 0.75, 0.6667, 0.5, 1.0, 0.125), c);
        // a step nobody reached gives no rate for the step after it
        Conversion none = Conversion.of(3, 0, 0, 0, 0, 0);
        assertEquals(new Conversion(0.0, null, null, null, null, 0.0), none);
    }

    @Test
    void dimensionsAreNamedInAnyCaseAndNothingElseIsOne() {
        assertEquals(List.of(Dimension.SOURCE, Dimension.CAMPAIGN, Dimension.TOPIC, Dimension.OWNER),
                List.of("source", "Campaign", " TOPIC ", "owner").stream()
                        .map(n -> Dimension.named(n).orElseThrow()).toList());
        assertEquals(java.util.Optional.empty(), Dimension.named("colour"));
        assertEquals(java.util.Optional.empty(), Dimension.named("l.source"));
    }

    /**
     * Which history moves make a lead sales-qualified and which stages are an opportunity, in every built-in flow:
     * out of the stage sales accepts a lead into, forward, to a stage that is not where it closes.
     */
    @Test
    void theStepsOfSalesQualificationAndOpportunityFollowEachFlow() {
        ObjectMapper mapper = new ObjectMapper();
        List<Flow> flows = Stream.of("marketing-lead", "funnel", "sales-lead")
                .map(id -> BuiltInFlows.parse(mapper, BuiltInFlows.read("flows/built-in/" + id + ".json"))).toList();
        assertEquals(Set.of("funnel|SALES_ACCEPTED|SALES_QUALIFIED", "funnel|SALES_ACCEPTED|OPPORTUNITY",
                "sales-lead|QUALIFY|DEVELOP", "sales-lead|QUALIFY|PROPOSE"),
                Set.of(ClosedLoopReport.qualifyingMoves(flows).split(",")));
        assertEquals(Set.of("funnel|OPPORTUNITY", "sales-lead|DEVELOP"),
                Set.of(ClosedLoopReport.opportunityStages(flows).split(",")));
        // a flow alone, whose accepted leads switch to a sales flow that is not there: nothing qualifies in it
        assertEquals("", ClosedLoopReport.qualifyingMoves(flows.subList(0, 1)));
    }
}
