package io.leadsuite.kit.domain;

import java.util.List;

/** The command's values break the domain's rules: each broken rule names its field. */
public final class InvalidValues extends DomainException {

    private final List<Violation> violations;

    public InvalidValues(String detail, List<Violation> violations) {
        super(detail);
        this.violations = List.copyOf(violations);
    }

    public List<Violation> violations() {
        return violations;
    }
}
