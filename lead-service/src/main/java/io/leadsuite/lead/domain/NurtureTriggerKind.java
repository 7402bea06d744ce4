package io.leadsuite.lead.domain;

/**
 * What makes a {@link NurtureTrigger} fire: a lead entering a stage, entering a grade band, or staying unchanged for
 * some days.
 */
public enum NurtureTriggerKind {
    STAGE_ENTERED,
    GRADE_REACHED,
    NO_ACTIVITY
}
