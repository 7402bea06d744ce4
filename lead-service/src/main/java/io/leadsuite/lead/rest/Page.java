package io.leadsuite.lead.rest;

import java.util.List;

/** A page of a list; {@code next} is the cursor of the following page, or null at the end. */
public record Page<T>(List<T> items, String next) {
}
