package io.leadsuite.lead.domain;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

/**
 * A nurture trigger: STAGE_ENTERED (a stage), GRADE_REACHED (a grade band) or NO_ACTIVITY (days without a change),
 * optionally only for some topics (comma-separated).
 */
@Entity
@Table(name = "nurture_trigger")
public class NurtureTrigger extends Definition {

    // Alike on purpose: an entity with its own Kind enum, like LeadHistoryEntry; the two kinds share nothing
    @Schema(name = "NurtureTriggerKind")
    public enum Kind {
        STAGE_ENTERED,
        GRADE_REACHED,
        NO_ACTIVITY
    }

    public String kind;
    public String stage;
    public String grade;
    public Integer inactiveDays;
    public String topics;

    public List<String> topicList() {
        return topics == null ? List.of() : Arrays.asList(topics.split(","));
    }

    public boolean admits(String topic) {
        return topics == null || topicList().contains(topic);
    }
}
