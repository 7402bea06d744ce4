package io.leadsuite.scoring.domain;

/** What changed a lead's standing under a model: the {@code cause} of a score history entry, stored by name. */
public enum ScoreCause {
    /** An interaction was scored. */
    INTERACTION,
    /** Windowed points expired. */
    DECAY,
    /** The model was published, edited or retired. */
    RESCORE,
    /** A contact or lead attribute changed (DEMOGRAPHIC and LEAD rules), or the lead's topic. */
    ATTRIBUTES
}
