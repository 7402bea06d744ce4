package io.leadsuite.lead.rest;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.UUID;

import jakarta.validation.constraints.DecimalMin;
import jakarta.validation.constraints.Digits;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.leadsuite.lead.domain.LeadSource;

/** Request bodies of the lead lifecycle and CRM routes. */
public final class LeadRequests {

    private LeadRequests() {
    }

    @Schema(name = "NewLead", example = """
            {"contactId": "0b6d2a8e-3c1f-4d7a-9a55-2f1de3b7c901", "topic": "heat-pumps", "source": "MANUAL",
             "sourceRef": "call-2026-11-23", "flow": "funnel"}""")
    public record NewLeadRequest(
            @NotNull UUID contactId,
            @NotBlank @Size(max = 100) @Pattern(regexp = "^[A-Za-z0-9][A-Za-z0-9 ._-]*$", message = "letters, digits, blanks, dots, dashes and underscores") String topic,
            @NotNull LeadSource source,
            @Size(max = 200) String sourceRef,
            @Schema(description = "the flow to start in (its newest version); the default flow when absent") @Size(max = 63) String flow) {
    }

    @Schema(name = "TransitionRequest", example = """
            {"to": "TELEPROSPECTING_QUALIFICATION", "reason": "Reached by phone, interested"}""")
    public record TransitionRequest(@NotBlank @Size(max = 63) String to, @Size(max = 1000) String reason) {
    }

    @Schema(name = "ReasonRequest", example = """
            {"reason": "Confirmed budget and timing on the phone"}""")
    public record ReasonRequest(@Size(max = 1000) String reason) {
    }

    @Schema(name = "RequiredReasonRequest", example = """
            {"reason": "Student, no purchasing power"}""")
    public record RequiredReasonRequest(@NotBlank @Size(max = 1000) String reason) {
    }

    @Schema(name = "SalesAcceptRequest", example = """
            {"owner": "maria.santos", "reason": "Budget confirmed; taking it"}""")
    public record SalesAcceptRequest(
            @Schema(description = "who owns the lead from now on; the caller when absent") @Size(max = 200) String owner,
            @Size(max = 1000) String reason) {
    }

    @Schema(name = "CrmAcceptRequest", example = """
            {"crmLeadId": "00Q5e00000AbCdE", "owner": "maria.santos"}""")
    public record AcceptRequest(@NotBlank @Size(max = 200) String crmLeadId, @Size(max = 200) String owner) {
    }

    @Schema(name = "CrmOpportunityRequest", example = """
            {"opportunityId": "0065e00000XyZ12", "estimatedRevenue": 12500.00, "estimatedClose": "2027-02-28"}""")
    public record OpportunityRequest(
            @NotBlank @Size(max = 200) String opportunityId,
            @DecimalMin("0") @Digits(integer = 15, fraction = 2) BigDecimal estimatedRevenue,
            LocalDate estimatedClose) {
    }

    /** How the CRM closes a lead. */
    public enum Outcome {
        WON,
        LOST
    }

    @Schema(name = "CrmCloseRequest", example = """
            {"outcome": "WON", "revenue": 11800.00, "reason": "Signed after site visit"}""")
    public record CloseRequest(
            @NotNull Outcome outcome,
            @DecimalMin("0") @Digits(integer = 15, fraction = 2) BigDecimal revenue,
            @Size(max = 1000) String reason) {
    }

    /** The shape of {@code PATCH /leads/{id}} (a JSON merge patch; every member optional, null clears). */
    @Schema(name = "LeadPatch", example = """
            {"qualification": {"budget": 15000, "currency": "EUR", "timeframe": "THIS_QUARTER",
             "need": "Replace an oil boiler", "decisionMaker": true}, "owner": "joao.telesales"}""")
    public record PatchDoc(QualificationDoc qualification, String topic, String owner) {
    }

    public record QualificationDoc(BigDecimal budget,
            @Schema(description = "ISO 4217") String currency,
            @Schema(enumeration = {
                    "IMMEDIATE", "THIS_QUARTER", "NEXT_QUARTER", "THIS_YEAR", "NEXT_YEAR", "LATER" }) String timeframe,
            String need, Boolean decisionMaker){
    }
}
