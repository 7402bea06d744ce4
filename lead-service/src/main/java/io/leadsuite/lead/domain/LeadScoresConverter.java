package io.leadsuite.lead.domain;

import java.util.List;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * Stores a lead's score snapshot as a JSON array in a text column. The snapshot is an unmodifiable list, replaced
 * whole when a new one arrives, so Hibernate treats it as immutable ({@code @Mutability} on {@link Lead#scores}): it
 * compares the lists to decide whether the row changed instead of copying each loaded snapshot through JSON.
 */
@Converter
public class LeadScoresConverter implements AttributeConverter<List<LeadScore>, String> {

    private static final ObjectMapper MAPPER = new ObjectMapper();
    private static final TypeReference<List<LeadScore>> TYPE = new TypeReference<>() {
    };

    @Override
    public String convertToDatabaseColumn(List<LeadScore> scores) {
        try {
            return MAPPER.writeValueAsString(scores == null ? List.of() : scores);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("Scores cannot be stored", e);
        }
    }

    @Override
    public List<LeadScore> convertToEntityAttribute(String column) {
        try {
            return column == null ? List.of() : List.copyOf(MAPPER.readValue(column, TYPE));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("Stored scores cannot be read", e);
        }
    }
}
