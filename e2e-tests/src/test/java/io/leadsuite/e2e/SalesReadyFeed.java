package io.leadsuite.e2e;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.restassured.path.json.JsonPath;
import io.restassured.specification.RequestSpecification;

/**
 * The CRM's sales-ready feed read to its end, page by page as a CRM does ({@code next} as {@code after}). One page was
 * not enough: the end-to-end classes run in the file system's order, and when others ran first the feed held more than
 * a page of sales-ready leads, so a test's own lead could be on the next one (a CI run on a fresh clone failed so).
 */
final class SalesReadyFeed {

    private SalesReadyFeed() {
    }

    /** Every item of the feed at {@code path} ({@code /crm/leads/sales-ready} or the gateway's {@code /api/...}). */
    static List<Map<String, Object>> all(Supplier<RequestSpecification> crm, String path) {
        List<Map<String, Object>> items = new ArrayList<>();
        String after = null;
        do {
            RequestSpecification request = crm.get().queryParam("limit", 200);
            if (after != null) {
                request.queryParam("after", after);
            }
            JsonPath page = request.get(path).then().statusCode(200).extract().jsonPath();
            items.addAll(page.getList("items"));
            after = page.getString("next");
        } while (after != null);
        return items;
    }

    /** The ids of the leads in the whole feed. */
    static List<String> leadIds(Supplier<RequestSpecification> crm, String path) {
        return all(crm, path).stream().map(item -> (String) ((Map<?, ?>) item.get("lead")).get("id")).toList();
    }
}
