package io.leadsuite.kit.domain;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A command was refused, or could not be carried out now. Services throw one of these kinds and know nothing of HTTP;
 * the edge ({@code io.leadsuite.kit.problem.ProblemMapper}) answers each kind with its problem+json status.
 */
public abstract sealed class DomainException extends RuntimeException permits StateConflict, InvalidValues,
        NotPermitted, NotFound, StaleVersion, Erased, Unreadable, RetryLater {

    private final Map<String, Object> facts = new LinkedHashMap<>();

    protected DomainException(String detail) {
        super(detail);
    }

    /** Adds a fact the caller can act on, e.g. the state the thing is in; it reaches the caller beside the detail. */
    public DomainException with(String name, Object value) {
        facts.put(name, value);
        return this;
    }

    public Map<String, Object> facts() {
        return Map.copyOf(facts);
    }
}
