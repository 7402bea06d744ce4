package io.leadsuite.kit.domain;

/**
 * The command was not refused but could not be carried out now, for a reason that passes: a service it needs did not
 * answer, or a race with concurrent commands was lost too often. Nothing was changed; the same command may succeed
 * when sent again.
 */
public final class RetryLater extends DomainException {

    public RetryLater(String detail) {
        super(detail);
    }
}
