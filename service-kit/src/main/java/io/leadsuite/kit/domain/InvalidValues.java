package io.leadsuite.kit.domain;

import java.util.List;

/**
 * The command's values break the domain's rules: each broken rule names its field. A refusal the API documents under
 * a name of its own (a flow that cannot work) carries that name and its title; others are plain invalid values.
 */
public final class InvalidValues extends DomainException {

    private final List<Violation> violations;
    private final String name;
    private final String title;

    public InvalidValues(String detail, List<Violation> violations) {
        this(null, null, detail, violations);
    }

    private InvalidValues(String name, String title, String detail, List<Violation> violations) {
        super(detail);
        this.name = name;
        this.title = title;
        this.violations = List.copyOf(violations);
    }

    /** One violation: the common case of a single field refused. */
    public static InvalidValues of(String detail, String field, String message) {
        return new InvalidValues(detail, List.of(new Violation(field, message)));
    }

    /** A refusal with a name of its own in the API (e.g. {@code invalid-flow}, "The flow cannot work"). */
    public static InvalidValues named(String name, String title, String detail, List<Violation> violations) {
        return new InvalidValues(name, title, detail, violations);
    }

    /** The refusal's own name, or null for plain invalid values. */
    public String name() {
        return name;
    }

    /** The refusal's own title, or null for plain invalid values. */
    public String title() {
        return title;
    }

    public List<Violation> violations() {
        return violations;
    }
}
