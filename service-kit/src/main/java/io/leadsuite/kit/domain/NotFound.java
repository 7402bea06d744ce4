package io.leadsuite.kit.domain;

/** The command or query names a thing that does not exist (an unknown model, a lead never seen). */
public final class NotFound extends DomainException {

    private final String what;
    private final Object id;

    public NotFound(String what, Object id) {
        super(what + " " + id + " does not exist");
        this.what = what;
        this.id = id;
    }

    /** What kind of thing was looked for, e.g. "Scoring model". */
    public String what() {
        return what;
    }

    public Object id() {
        return id;
    }
}
