package io.leadsuite.scoring.domain;

/** A lead's position under one model: its score, the grade band it falls in, and whether it is sales-ready. */
public record Standing(int score, String grade, boolean salesReady) {
}
