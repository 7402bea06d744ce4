package io.leadsuite.kit.domain;

/** One broken rule: the field (a dotted path) and what it must be. */
public record Violation(String field, String message) {
}
