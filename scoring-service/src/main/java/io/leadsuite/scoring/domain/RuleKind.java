package io.leadsuite.scoring.domain;

/** What a rule looks at. Only BEHAVIOUR rules (interactions) are evaluated so far. */
public enum RuleKind {
    BEHAVIOUR,
    DEMOGRAPHIC,
    LEAD
}
