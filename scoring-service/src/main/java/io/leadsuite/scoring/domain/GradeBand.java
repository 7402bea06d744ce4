package io.leadsuite.scoring.domain;

/** A named score band: a lead is in the band with the highest {@code minScore} not above its score. */
public record GradeBand(String name, int minScore) {
}
