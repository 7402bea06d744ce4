package io.leadsuite.kit.domain;

/** The actor may not make this change (a team the flow does not allow to make a transition). */
public final class NotPermitted extends DomainException {

    public NotPermitted(String detail) {
        super(detail);
    }
}
