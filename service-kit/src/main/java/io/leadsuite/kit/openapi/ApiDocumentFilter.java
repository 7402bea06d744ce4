package io.leadsuite.kit.openapi;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import org.eclipse.microprofile.openapi.OASFactory;
import org.eclipse.microprofile.openapi.OASFilter;
import org.eclipse.microprofile.openapi.models.Components;
import org.eclipse.microprofile.openapi.models.OpenAPI;
import org.eclipse.microprofile.openapi.models.Operation;
import org.eclipse.microprofile.openapi.models.PathItem;
import org.eclipse.microprofile.openapi.models.media.Content;
import org.eclipse.microprofile.openapi.models.media.MediaType;
import org.eclipse.microprofile.openapi.models.media.Schema;
import org.eclipse.microprofile.openapi.models.responses.APIResponse;
import org.eclipse.microprofile.openapi.models.responses.APIResponses;
import org.eclipse.microprofile.openapi.models.security.SecurityRequirement;
import org.eclipse.microprofile.openapi.models.security.SecurityScheme;

import io.leadsuite.kit.problem.Problem;
import io.quarkus.smallrye.openapi.OpenApiFilter;

/**
 * What every service's OpenAPI document shares, applied when the service is built (so the document stored in
 * {@code target/openapi} and the one served at {@code /q/openapi} are the same):
 * <ul>
 * <li>the bearer-JWT security scheme {@value #SCHEME} that the operations name, and each operation's roles (taken
 * from {@code @RolesAllowed} by Quarkus) written into its description;</li>
 * <li>the {@code Problem} and {@code FieldError} schemas, and {@code application/problem+json} with that schema on
 * every 4xx and 5xx answer (with 400 for operations that take input, 401 and 403 for secured ones);</li>
 * <li>a schema on every header of an answer.</li>
 * </ul>
 * And it fails the build when an operation has no {@code operationId} or the same one as another, declares no success
 * answer, or has a request or response body without a schema: a client generated from the document would otherwise
 * get methods named after paths, methods that return nothing, or an {@code Accept} header the service refuses. (A
 * success other than 204 always has a body in this suite.)
 */
@OpenApiFilter(OpenApiFilter.RunStage.BUILD)
public class ApiDocumentFilter implements OASFilter {

    /** The name of the security scheme (bearer JWT) every secured operation refers to. */
    public static final String SCHEME = "jwt";
    static final String PROBLEM_REF = "#/components/schemas/Problem";

    @Override
    public void filterOpenAPI(OpenAPI api) {
        Components components = api.getComponents();
        if (components == null) {
            components = OASFactory.createComponents();
            api.setComponents(components);
        }
        components.setSecuritySchemes(new LinkedHashMap<>(Map.of(SCHEME, OASFactory.createSecurityScheme()
                .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")
                .description("A JWT (RS256) of the suite's issuer with audience `leadsuite`; the roles are in its "
                        + "`groups` claim: marketing, telesales, sales, admin, crm."))));
        components.addSchema("FieldError", fieldErrorSchema());
        components.addSchema("Problem", problemSchema());
        if (components.getSchemas() != null) {
            components.getSchemas().values().forEach(ApiDocumentFilter::referencesAlone);
        }
        List<String> problems = new ArrayList<>();
        Map<String, String> operationIds = new LinkedHashMap<>();
        if (api.getPaths() != null && api.getPaths().getPathItems() != null) {
            api.getPaths().getPathItems().forEach((path, item) -> item.getOperations()
                    .forEach((method, op) -> operation(method + " " + path, item, op, operationIds, problems)));
        }
        if (!problems.isEmpty()) {
            throw new IllegalStateException("The OpenAPI document is not one a client can be generated from:\n  "
                    + String.join("\n  ", problems));
        }
    }

    private static void operation(String name, PathItem item, Operation op, Map<String, String> operationIds,
            List<String> problems) {
        String id = op.getOperationId();
        if (id == null || id.isBlank()) {
            problems.add(name + ": no operationId (@Operation(operationId = ...))");
        } else if (operationIds.putIfAbsent(id, name) != null) {
            problems.add(name + ": operationId " + id + " is also " + operationIds.get(id) + "'s");
        }
        List<String> roles = roles(op);
        if (!roles.isEmpty()) {
            String line = "Roles: " + String.join(", ", roles.stream().map(r -> "`" + r + "`").toList()) + ".";
            String description = op.getDescription();
            op.setDescription(description == null || description.isBlank() ? line : description + "\n\n" + line);
        }
        if (op.getRequestBody() != null) {
            schemaless(name + " request body", op.getRequestBody().getContent(), problems);
        }
        APIResponses responses = op.getResponses();
        if (responses == null || responses.getAPIResponses() == null
                || responses.getAPIResponses().keySet().stream().noneMatch(code -> code.startsWith("2"))) {
            problems.add(name + ": no success answer declared");
            return;
        }
        boolean takesInput = op.getRequestBody() != null || hasParameters(item, op);
        if (takesInput) {
            ensure(responses, "400", "The request is malformed: a body or parameter that cannot be read");
        }
        if (op.getSecurity() != null && !op.getSecurity().isEmpty()) {
            responses.addAPIResponse("401", problemResponse(responses.getAPIResponse("401"),
                    "No bearer token, or one that is not valid"));
            responses.addAPIResponse("403", problemResponse(responses.getAPIResponse("403"),
                    "The token's roles do not allow this operation"));
        }
        for (Map.Entry<String, APIResponse> entry : new ArrayList<>(responses.getAPIResponses().entrySet())) {
            String code = entry.getKey();
            APIResponse response = entry.getValue();
            if (response.getRef() != null) {
                continue;
            }
            if (code.startsWith("4") || code.startsWith("5")) {
                responses.addAPIResponse(code, problemResponse(response, response.getDescription()));
            } else if (!code.equals("204") && (response.getContent() == null
                    || response.getContent().getMediaTypes() == null
                    || response.getContent().getMediaTypes().isEmpty())) {
                problems.add(name + ": answer " + code + " declares no body (only a 204 answers nothing)");
            } else {
                schemaless(name + " answer " + code, response.getContent(), problems);
            }
            if (response.getHeaders() != null) {
                response.getHeaders().values().forEach(header -> {
                    if (header.getRef() == null && header.getSchema() == null && header.getContent() == null) {
                        header.setSchema(OASFactory.createSchema().addType(Schema.SchemaType.STRING));
                    }
                });
            }
        }
    }

    /**
     * A member with a {@code $ref} and a {@code type} beside it ({@code @Schema(implementation = SomeEnum.class)} on a
     * {@code String} gives {@code type: object}, a {@code @Schema(description)} on a {@code UUID} gives
     * {@code type: string}): the type is the referenced schema's to say, and a contradicting one (an object that is
     * an enum of strings) breaks generated clients; the reference stays alone.
     */
    private static void referencesAlone(Schema schema) {
        if (schema.getProperties() == null) {
            return;
        }
        schema.getProperties().values().forEach(property -> {
            if (property.getRef() != null && property.getType() != null) {
                property.setType(null);
            }
        });
    }

    /** The roles Quarkus took from {@code @RolesAllowed} into the operation's security requirement, sorted. */
    private static List<String> roles(Operation op) {
        TreeSet<String> roles = new TreeSet<>();
        if (op.getSecurity() != null) {
            for (SecurityRequirement requirement : op.getSecurity()) {
                if (requirement.getSchemes() != null && requirement.getSchemes().get(SCHEME) != null) {
                    roles.addAll(requirement.getSchemes().get(SCHEME));
                }
            }
        }
        return List.copyOf(roles);
    }

    private static boolean hasParameters(PathItem item, Operation op) {
        return (op.getParameters() != null && !op.getParameters().isEmpty())
                || (item.getParameters() != null && !item.getParameters().isEmpty());
    }

    private static void schemaless(String what, Content content, List<String> problems) {
        if (content == null || content.getMediaTypes() == null) {
            return;
        }
        content.getMediaTypes().forEach((type, media) -> {
            if (media.getSchema() == null) {
                problems.add(what + " (" + type + ") has no schema");
            }
        });
    }

    private static void ensure(APIResponses responses, String code, String description) {
        if (responses.getAPIResponse(code) == null) {
            responses.addAPIResponse(code, OASFactory.createAPIResponse().description(description));
        }
    }

    /**
     * The answer as {@code application/problem+json} with the {@code Problem} schema, keeping its description and the
     * examples it had under any media type.
     */
    private static APIResponse problemResponse(APIResponse existing, String description) {
        APIResponse response = existing == null ? OASFactory.createAPIResponse() : existing;
        if (response.getDescription() == null || response.getDescription().isBlank()
                || response.getDescription().equals("Not Authorized")
                || response.getDescription().equals("Not Allowed")) {
            response.setDescription(description);
        }
        MediaType problem = OASFactory.createMediaType().schema(OASFactory.createSchema().ref(PROBLEM_REF));
        if (response.getContent() != null && response.getContent().getMediaTypes() != null) {
            response.getContent().getMediaTypes().values().forEach(media -> {
                if (media.getExamples() != null) {
                    media.getExamples().forEach(problem::addExample);
                }
                if (media.getExample() != null) {
                    problem.setExample(media.getExample());
                }
            });
        }
        response.setContent(OASFactory.createContent().addMediaType(Problem.MEDIA_TYPE, problem));
        return response;
    }

    static Schema fieldErrorSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("One invalid field of a request and why")
                .required(List.of("field", "message"))
                .addProperty("field", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the field's path in the request, e.g. `email`, `rules[0].points`, `[2].type`"))
                .addProperty("message", OASFactory.createSchema().addType(Schema.SchemaType.STRING));
    }

    static Schema problemSchema() {
        return OASFactory.createSchema().addType(Schema.SchemaType.OBJECT)
                .description("RFC 9457 problem details (`application/problem+json`). Some problems carry more members, "
                        + "named in the operation's description (e.g. `existingId` on a 409).")
                .required(List.of("type", "title", "status"))
                .addProperty("type", OASFactory.createSchema().addType(Schema.SchemaType.STRING).format("uri"))
                .addProperty("title", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("status", OASFactory.createSchema().addType(Schema.SchemaType.INTEGER).format("int32"))
                .addProperty("detail", OASFactory.createSchema().addType(Schema.SchemaType.STRING))
                .addProperty("instance", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("the path of the request"))
                .addProperty("requestId", OASFactory.createSchema().addType(Schema.SchemaType.STRING)
                        .description("set by the gateway on its own answers"))
                .addProperty("errors", OASFactory.createSchema().addType(Schema.SchemaType.ARRAY)
                        .description("for a request that is not valid: each field and why")
                        .items(OASFactory.createSchema().ref("#/components/schemas/FieldError")));
    }
}
