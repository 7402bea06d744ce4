package io.leadsuite.scoring.domain;

/** How a rule compares an attribute of an interaction with its value. */
public enum Operator {
    /** Same text (ignoring case), or the same number. */
    EQUALS,
    /** The attribute's text contains the value's text, ignoring case. */
    CONTAINS,
    /** The attribute's text starts with the value's text, ignoring case. */
    STARTS_WITH,
    /** The value is a list; the attribute EQUALS one of its elements. */
    IN,
    /** Both are numbers (or numeric text) and the attribute is at least the value. */
    GREATER_OR_EQUAL
}
