package io.leadsuite.kit.domain;

/** The thing's current state does not allow the command (a closed lead moved, a lead accepted twice). */
public final class StateConflict extends DomainException {

    public StateConflict(String detail) {
        super(detail);
    }
}
