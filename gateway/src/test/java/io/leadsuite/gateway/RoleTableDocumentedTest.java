package io.leadsuite.gateway;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

import io.leadsuite.contracts.Roles;

/**
 * The route and role table of the gateway's README is {@link Route#RULES} written out, not a copy kept by hand: this
 * test renders the rules and fails, printing the table to paste, when the README's table differs. (The rules
 * themselves are checked against each service's {@code @RolesAllowed} by api-client's {@code RoleTableTest}, and
 * enforced route by route, caller by caller, in {@code RouteMatrixTest}.)
 */
class RoleTableDocumentedTest {

    static final String BEGIN = "<!-- role table: Route.RULES written out; RoleTableDocumentedTest checks it -->";
    static final String END = "<!-- end of the role table -->";

    /** The order in which a cell names roles. */
    private static final List<String> ROLE_ORDER = List.of(Roles.MARKETING, Roles.TELESALES, Roles.SALES, Roles.ADMIN,
            Roles.CRM, Roles.FORM);

    @Test
    void theReadmeTableIsTheGatewaysTable() throws IOException {
        String readme = Files.readString(Path.of("README.md"), StandardCharsets.UTF_8);
        int begin = readme.indexOf(BEGIN);
        int end = readme.indexOf(END);
        assertTrue(begin >= 0 && end > begin, "gateway/README.md has no role table between the markers");
        String documented = readme.substring(begin + BEGIN.length(), end).strip();
        assertEquals(render(), documented, "gateway/README.md's role table differs from Route.RULES; paste the"
                + " expected text between the markers");
    }

    /** The table: one line per rule, in the order the gateway tries them (the first match wins). */
    static String render() {
        StringBuilder table = new StringBuilder("| method | gateway path | service | roles (any one of) |\n")
                .append("|---|---|---|---|\n");
        for (Route.Rule rule : Route.RULES) {
            String path = Route.API + rule.template().replace(".*", "**");
            String sample = Route.API + rule.template().replace(".*", "x").replaceAll("\\{[^/}]+}", "p-1");
            Upstream upstream = Route.resolve(sample).orElseThrow().upstream();
            table.append("| ").append(rule.method().equals("*") ? "any" : rule.method()).append(" | `").append(path)
                    .append("` | ").append(upstream.configName()).append(" | ").append(roles(rule.roles()))
                    .append(" |\n");
        }
        table.append("\nA path of a known group that the table does not name (a service grew a route) is forwarded with its")
                .append(" group's default roles:");
        String separator = " ";
        for (Route.Group group : Route.GROUPS) {
            table.append(separator).append('`').append(group.name()).append("` ").append(roles(group.defaultRoles()));
            separator = "; ";
        }
        return table.append('.').toString().strip();
    }

    /** {@code STAFF} and {@code ALL} by name, other sets role by role. */
    static String roles(Set<String> roles) {
        if (roles.equals(Roles.ALL)) {
            return "ALL";
        }
        if (roles.equals(Route.STAFF)) {
            return "STAFF";
        }
        return ROLE_ORDER.stream().filter(roles::contains).collect(Collectors.joining(", "));
    }
}
