package io.leadsuite.kit.problem;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import io.leadsuite.kit.domain.Erased;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.domain.RetryLater;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.StateConflict;
import io.leadsuite.kit.domain.Unreadable;
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

        Problem named = ProblemException.of(InvalidValues.named("invalid-flow", "The flow cannot work", "1 problem(s)",
                List.of(new Violation("stages", "must not be empty")))).toProblem("/flows/f");
        assertEquals(422, named.status());
        assertEquals(Problem.TYPE_BASE + "invalid-flow", named.type());
        assertEquals("The flow cannot work", named.title());
        assertEquals(List.of(new Problem.FieldError("stages", "must not be empty")), named.errors());

        Problem stale = ProblemException.of(new StaleVersion("The lead", 3, 5)).toProblem("/leads/l-1");
        assertEquals(412, stale.status());
        assertEquals(Problem.TYPE_BASE + "precondition-failed", stale.type());
        assertEquals("The lead changed since version 3; it is now at version 5", stale.detail());
        assertEquals(Map.of("version", 5L), stale.extensions());

        Problem erased = ProblemException.of(new Erased("Contact", "c-1").with("erasedAt", "2026-12-01T00:00:00Z"))
                .toProblem("/contacts/c-1");
        assertEquals(410, erased.status());
        assertEquals(Problem.TYPE_BASE + "erased", erased.type());
        assertEquals("Contact erased", erased.title());
        assertEquals(Map.of("erasedAt", "2026-12-01T00:00:00Z"), erased.extensions());

        assertEquals(400, ProblemException.of(new Unreadable("Not UTF-8")).toProblem("/x").status());
        Problem later = ProblemException.of(new RetryLater("contact-service did not answer")).toProblem("/x");
        assertEquals(503, later.status());
        assertEquals(Problem.TYPE_BASE + "unavailable", later.type());
    }
}
