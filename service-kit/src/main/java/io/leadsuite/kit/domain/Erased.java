package io.leadsuite.kit.domain;

/**
 * The thing existed and was erased on request (the right to be forgotten): it will not come back, and nothing of it
 * but its id is kept. Unlike {@link NotFound}, asking again later will not help.
 */
public final class Erased extends DomainException {

    private final String what;

    public Erased(String what, Object id) {
        super(what + " " + id + " was erased on request; no personal data is kept");
        this.what = what;
    }

    /** What kind of thing was erased, e.g. "Contact". */
    public String what() {
        return what;
    }
}
