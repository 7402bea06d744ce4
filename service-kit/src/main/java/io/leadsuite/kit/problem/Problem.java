package io.leadsuite.kit.problem;

import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.annotation.JsonAnyGetter;
import com.fasterxml.jackson.annotation.JsonIgnore;
import com.fasterxml.jackson.annotation.JsonInclude;

/**
 * An RFC 9457 problem details body ({@code application/problem+json}).
 *
 * @param errors for validation problems, one entry per offending field
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
public record Problem(String type, String title, int status, String detail, String instance,
        List<FieldError> errors, @JsonIgnore Map<String, Object> extensions) {

    public Problem(String type, String title, int status, String detail, String instance, List<FieldError> errors) {
        this(type, title, status, detail, instance, errors, Map.of());
    }

    /** Extension members (RFC 9457 section 3.2), e.g. {@code existingId} on a 409. */
    @JsonAnyGetter
    public Map<String, Object> extensionMembers() {
        return extensions == null ? Map.of() : extensions;
    }

    public static final String MEDIA_TYPE = "application/problem+json";
    /** Base of the {@code type} URIs this suite uses; each problem kind appends its own name. */
    public static final String TYPE_BASE = "https://leadsuite.io/problems/";

    public record FieldError(String field, String message) {
    }
}
