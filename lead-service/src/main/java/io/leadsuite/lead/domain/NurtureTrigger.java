package io.leadsuite.lead.domain;

import java.util.Arrays;
import java.util.List;

import jakarta.persistence.Entity;
import jakarta.persistence.Table;

/**
 * A nurture trigger: STAGE_ENTERED (a stage), GRADE_REACHED (a grade band) or NO_ACTIVITY (days without a change),
 * optionally only for some topics (comma-separated).
 */
@Entity
@Table(name = "nurture_trigger")
public class NurtureTrigger extends Definition {

    /** A {@link NurtureTriggerKind}'s name. */
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
