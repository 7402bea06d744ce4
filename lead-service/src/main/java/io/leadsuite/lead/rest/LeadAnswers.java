package io.leadsuite.lead.rest;

import java.util.Map;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.parameters.Parameter;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * The answers the commands on one lead share, documented here once rather than on each operation:
 * <ul>
 * <li>an operation on one lead ({@code /leads/{id}...}, {@code /crm/leads/{id}/...}) that declares no success answer
 * answers 200 with the lead (a {@link LeadView}, {@link LeadResource#LEAD_EXAMPLE});</li>
 * <li>an operation that takes {@code If-Match} answers 412 when it names a stale version;</li>
 * <li>a CRM command on a lead answers 404 when there is no such lead.</li>
 * </ul>
 * An operation that says more (another description of its success, its own example) declares that answer itself.
 * Runs before the kit's {@code ApiDocumentFilter}, which gives the 4xx answers their problem+json body and fails the
 * build for an operation left without a success answer.
 */
@OpenApiFilter(value = OpenApiFilter.RunStage.BUILD, priority = 10)
public class LeadAnswers implements OASFilter {

    static final String LEAD_PATH = "/leads/{id}";
    static final String CRM_LEAD_PATH = "/crm/leads/{id}/";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        if (api.getPaths() == null || api.getPaths().getPathItems() == null) {
            return;
        }
        api.getPaths().getPathItems().forEach((path, item) -> item.getOperations().values().forEach(op -> {
            APIResponses responses = op.getResponses();
            if (responses == null) {
                return;
            }
            boolean crm = path.startsWith(CRM_LEAD_PATH);
            if ((crm || path.startsWith(LEAD_PATH)) && !declaresSuccess(responses)) {
                responses.addAPIResponse("200", theLead());
            }
            if (crm) {
                ensure(responses, "404", "No such lead");
            }
            if (takesIfMatch(op)) {
                ensure(responses, "412", "If-Match names a stale version");
            }
        }));
    }

    private static boolean declaresSuccess(APIResponses responses) {
        return responses.getAPIResponses() != null
                && responses.getAPIResponses().keySet().stream().anyMatch(code -> code.startsWith("2"));
    }

    private static APIResponse theLead() {
        return OASFactory.createAPIResponse().description("The lead")
                .content(OASFactory.createContent().addMediaType(jakarta.ws.rs.core.MediaType.APPLICATION_JSON,
                        OASFactory.createMediaType()
                                .schema(OASFactory.createSchema().ref("#/components/schemas/LeadView"))
                                .addExample("lead", OASFactory.createExample().value(leadExample()))));
    }

    private static void ensure(APIResponses responses, String code, String description) {
        if (responses.getAPIResponse(code) == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    private static boolean takesIfMatch(Operation operation) {
        return operation.getParameters() != null && operation.getParameters().stream()
                .anyMatch(p -> p.getIn() == Parameter.In.HEADER && "If-Match".equalsIgnoreCase(p.getName()));
    }

    private static Map<?, ?> leadExample() {
        try {
            return new ObjectMapper().readValue(LeadResource.LEAD_EXAMPLE, Map.class);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("LeadResource.LEAD_EXAMPLE is not JSON", e);
        }
    }
}
