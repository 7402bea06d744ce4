package io.leadsuite.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Violation;

/** Each kind of refusal the domain throws reaches the client as the problem+json a REST resource would have sent. */
class DomainRefusalsTest {

    @Test
    void eachKindHasItsStatusTypeAndFacts() {
        Problem missing = ProblemException.of(new NotFound("Scoring model", "m-1")).toProblem("/scoring/models/m-1");
        assertEquals(ProblemException.notFound("Scoring model", "m-1").toProblem("/scoring/models/m-1"), missing);
        assertEquals(404, missing.status());
        assertEquals("Scoring model m-1 does not exist", missing.detail());

        Problem conflict = ProblemException.of(new StateConflict("Lead l-1 is closed").with("stage", "CLOSED"))
                .toProblem("/leads/l-1");
        assertEquals(409, conflict.status());
        assertEquals(Problem.TYPE_BASE + "conflict", conflict.type());
        assertEquals(Map.of("stage", "CLOSED"), conflict.extensions());

        Problem invalid = ProblemException.of(new InvalidValues("The scoring model is not valid: 1 problem(s)",
                List.of(new Violation("rules[0].points", "must not be 0")))).toProblem("/scoring/models");
        assertEquals(422, invalid.status());
        assertEquals(List.of(new Problem.FieldError("rules[0].points", "must not be 0")), invalid.errors());

        assertEquals(403, ProblemException.of(new NotPermitted("Not this team")).toProblem("/leads/l-1").status());
    }
}
