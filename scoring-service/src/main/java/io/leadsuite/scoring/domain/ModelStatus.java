package io.leadsuite.scoring.domain;

/**
 * Where a scoring model, or one of its versions, is in its life. Stored and shown by name ({@code status} of
 * {@code scoring_model} and {@code scoring_model_version}, {@code status} in the API).
 */
public enum ModelStatus {
    /** Written but scoring nothing: a new model, or the next version of a published one. */
    DRAFT,
    /** Scores leads: the model's version in force. */
    PUBLISHED,
    /** A version that scored until a later version of its model was published (versions only). */
    SUPERSEDED,
    /** Scores nothing any more, for good; its scores were withdrawn. */
    RETIRED
}
