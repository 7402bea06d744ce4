package io.leadsuite.scoring.domain;

/** A rule that fired for an interaction, and the points it is worth. */
public record Hit(String ruleId, int points) {
}
