package io.leadsuite.scoring.rest;

import java.util.List;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.kit.problem.Problem.FieldError;
import io.leadsuite.scoring.service.InteractionBatch;

/** An interaction of a submission that cannot be accepted, with its position in the request (from 0) and why. */
@Schema(name = "RejectedInteraction")
public record RejectedItem(int index, String id, List<FieldError> errors) {

    static RejectedItem of(InteractionBatch.Rejected rejected) {
        return new RejectedItem(rejected.index(), rejected.id(),
                rejected.violations().stream().map(v -> new FieldError(v.field(), v.message())).toList());
    }
}
