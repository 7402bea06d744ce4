package io.leadsuite.kit.domain;

/**
 * The command was made against a version of the thing that is no longer its current one: another change came in
 * between (an update naming the version it was read at). The caller reads the thing again and decides; the current
 * version is the fact {@code version}.
 */
public final class StaleVersion extends DomainException {

    private final long currentVersion;

    public StaleVersion(String what, long expectedVersion, long currentVersion) {
        super(what + " changed since version " + expectedVersion + "; it is now at version " + currentVersion);
        this.currentVersion = currentVersion;
        with("version", currentVersion);
    }

    public long currentVersion() {
        return currentVersion;
    }
}
