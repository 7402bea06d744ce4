package io.leadsuite.scoring.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.kit.problem.Problem.FieldError;

/** An interaction of a submission that cannot be accepted, with its position in the request (from 0) and why. */
@Schema(name = "RejectedInteraction")
public record RejectedItem(int index, String id, List<FieldError> errors) {
}
