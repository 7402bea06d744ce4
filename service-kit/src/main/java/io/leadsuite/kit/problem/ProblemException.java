package io.leadsuite.kit.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;

import io.leadsuite.kit.domain.DomainException;
import io.leadsuite.kit.domain.Erased;
import io.leadsuite.kit.domain.InvalidValues;
import io.leadsuite.kit.domain.NotFound;
import io.leadsuite.kit.domain.NotPermitted;
import io.leadsuite.kit.domain.RetryLater;
import io.leadsuite.kit.domain.StaleVersion;
import io.leadsuite.kit.domain.Unreadable;

/**
 * A domain failure that the client can act on. Thrown anywhere in a service; {@link ProblemMapper} turns it into a
 * problem+json response with its status.
 */
public class ProblemException extends RuntimeException {

    private final int status;
    private final String kind;
    private final String title;
    private final List<Problem.FieldError> errors;
    private final Map<String, Object> extensions = new LinkedHashMap<>();

    public ProblemException(int status, String kind, String title, String detail, List<Problem.FieldError> errors) {
        super(detail);
        this.status = status;
        this.kind = kind;
        this.title = title;
        this.errors = errors;
    }

    public static ProblemException notFound(String what, Object id) {
        return new ProblemException(404, "not-found", what + " not found", what + " " + id + " does not exist", null);
    }

    public static ProblemException conflict(String detail) {
        return new ProblemException(409, "conflict", "Conflict", detail, null);
    }

    public static ProblemException unprocessable(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(422, "unprocessable", "The request cannot be processed", detail, errors);
    }

    public static ProblemException badRequest(String detail) {
        return badRequest(detail, null);
    }

    /** A 400 naming the parameters or fields at fault ({@code errors} may be null). */
    public static ProblemException badRequest(String detail, List<Problem.FieldError> errors) {
        return new ProblemException(400, "bad-request", "Bad request", detail, errors);
    }

    public static ProblemException unavailable(String detail) {
        return new ProblemException(503, "unavailable", "A service this request needs is unavailable", detail, null);
    }

    /**
     * A request body that cannot be read as the JSON it should be: a 400 naming the field when the reader knows it.
     * Quarkus REST raises these while reading a body; a resource that reads one itself throws this.
     */
    public static ProblemException unreadable(JsonProcessingException e) {
        String field = null;
        String message = e.getOriginalMessage();
        if (e instanceof JsonMappingException jme && !jme.getPath().isEmpty()) {
            StringBuilder sb = new StringBuilder();
            for (JsonMappingException.Reference ref : jme.getPath()) {
                if (ref.getFieldName() != null) {
                    sb.append(sb.isEmpty() ? "" : ".").append(ref.getFieldName());
                } else if (ref.getIndex() >= 0) {
                    sb.append('[').append(ref.getIndex()).append(']');
                }
            }
            field = sb.toString();
        }
        if (e instanceof InvalidFormatException ife && ife.getTargetType() == String.class) {
            // a string refused by the kit's own rules (RejectNulCharacters): its message says why
            message = ife.getOriginalMessage();
        } else if (e instanceof InvalidFormatException ife) {
            message = "value '" + ife.getValue() + "' is not a valid " + ife.getTargetType().getSimpleName();
        } else if (e instanceof MismatchedInputException mie && mie.getTargetType() != null) {
            message = "expected a " + mie.getTargetType().getSimpleName();
        }
        List<Problem.FieldError> errors = field == null ? null : List.of(new Problem.FieldError(field, message));
        return new ProblemException(400, "malformed-body", "The request body cannot be read",
                field == null ? "Malformed JSON: " + message : "Field '" + field + "': " + message, errors);
    }

    /**
     * The answer to a refusal of the domain: a state conflict ({@code StateConflict}) is a 409, invalid values a 422
     * naming each field (under the refusal's own name when it has one), a change the actor may not make a 403, a thing
     * that does not exist a 404, a stale version a 412, an erased thing a 410, unreadable input a 400 and a command to
     * send again later a 503; the refusal's facts become extension members.
     */
    public static ProblemException of(DomainException refusal) {
        ProblemException problem;
        if (refusal instanceof InvalidValues invalid) {
            List<Problem.FieldError> errors = invalid.violations().stream()
                    .map(v -> new Problem.FieldError(v.field(), v.message())).toList();
            problem = invalid.name() == null ? unprocessable(invalid.getMessage(), errors)
                    : new ProblemException(422, invalid.name(), invalid.title(), invalid.getMessage(), errors);
        } else if (refusal instanceof NotFound missing) {
            problem = notFound(missing.what(), missing.id());
        } else if (refusal instanceof NotPermitted) {
            problem = new ProblemException(403, "forbidden", "Forbidden", refusal.getMessage(), null);
        } else if (refusal instanceof StaleVersion) {
            problem = new ProblemException(412, "precondition-failed", "Precondition failed", refusal.getMessage(),
                    null);
        } else if (refusal instanceof Erased erased) {
            problem = new ProblemException(410, "erased", erased.what() + " erased", refusal.getMessage(), null);
        } else if (refusal instanceof Unreadable) {
            problem = badRequest(refusal.getMessage());
        } else if (refusal instanceof RetryLater) {
            problem = unavailable(refusal.getMessage());
        } else {
            problem = conflict(refusal.getMessage());
        }
        refusal.facts().forEach(problem::with);
        return problem;
    }

    /** Adds an extension member to the problem body, e.g. the id of the resource a 409 collided with. */
    public ProblemException with(String member, Object value) {
        extensions.put(member, value);
        return this;
    }

    public int status() {
        return status;
    }

    public Problem toProblem(String instance) {
        return new Problem(Problem.TYPE_BASE + kind, title, status, getMessage(), instance, errors, Map.copyOf(extensions));
    }
}
