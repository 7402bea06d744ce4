package io.leadsuite.lead.domain;

/**
 * What happens to a topic or campaign that a capture, a new lead, an import row or a patch names and that is not in
 * its managed list ({@code leadsuite.topics.unknown}, {@code leadsuite.campaigns.unknown}): it joins the list
 * (REGISTER, the default) or the command is refused naming the field (REFUSE).
 */
public enum UnknownNames {
    REGISTER,
    REFUSE
}
