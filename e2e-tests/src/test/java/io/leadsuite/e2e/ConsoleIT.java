package io.leadsuite.e2e;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPairGenerator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.logging.Level;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.ElementClickInterceptedException;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import io.leadsuite.kit.testing.TestTokens;
import io.restassured.http.ContentType;
import io.restassured.specification.RequestSpecification;

/**
 * The console in a real headless Chromium against the whole suite: sign in with a token, see a captured
 * lead appear on the board live and its score change live, the board's filters answered by the API, a refused move
 * explained, a move made, the score's explanation, the contact page, the model editor (a draft edited, published and
 * retired), the work queue (claim, sales-ready), a lead import and a contact import whose progress bars finish with
 * their per-line errors, a campaign created and edited (its 412 and 409 shown) with its results, the closed-loop report
 * with its CSV downloaded, a sales user's refused and accepted acceptance, and a contact merged and erased. Every step
 * waits on the page's state, never on time. Screenshots go to target/console-screenshots.
 * <p>
 * Chromium and chromedriver are Debian's ({@code chromium}, {@code chromium-driver}; scripts/test.sh installs them
 * when missing); {@code LEADSUITE_CHROMIUM} and {@code LEADSUITE_CHROMEDRIVER} point elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String TOKEN = TestTokens.forRoles("marketing", "telesales");
    private static final String SALES = TestTokens.forRoles("sales");
    private static final String ADMIN = TestTokens.forRoles("admin");
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String AMQ = "AUTOMATED_MARKETING_QUALIFICATION";
    private static final Path SHOTS = Path.of("target", "console-screenshots");
    /** Where the browser saves downloads (the closed-loop report's CSV): a directory of this run's own. */
    private static final Path DOWNLOADS = Path.of("target", "console-downloads-" + UUID.randomUUID()).toAbsolutePath();

    private static FakeIdentityProvider identityProvider;
    private static Suite suite;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static String base;

    private static final String TOPIC = "console-" + UUID.randomUUID().toString().substring(0, 8);
    private static String leadId;
    private static String contactId;
    private static String campaignId;

    @BeforeAll
    static void start() throws Exception {
        // the gateway names this provider to the console: sign-in by authorisation code with PKCE beside the token
        identityProvider = new FakeIdentityProvider("lead-console", "olga", "sales");
        suite = new Suite(Map.of("LEADSUITE_GATEWAY_CONSOLE_OIDC_ISSUER", identityProvider.issuer(),
                "LEADSUITE_GATEWAY_CONSOLE_OIDC_CLIENT_ID", "lead-console"));
        Duration took = suite.startAll();
        System.out.printf("[console] suite ready in %d ms%n", took.toMillis());
        base = "http://localhost:" + Suite.GATEWAY;
        // the test's topic joins the managed list (admin), so the board's topic filter offers it
        api(ADMIN).body(Map.of("name", "Console " + TOPIC.substring(8))).put("/api/topics/" + TOPIC).then()
                .statusCode(200);
        Files.createDirectories(SHOTS);
        String chromium = System.getenv().getOrDefault("LEADSUITE_CHROMIUM", "/usr/bin/chromium");
        String chromedriver = System.getenv().getOrDefault("LEADSUITE_CHROMEDRIVER", "/usr/bin/chromedriver");
        if (!Files.isExecutable(Path.of(chromium)) || !Files.isExecutable(Path.of(chromedriver))) {
            throw new IllegalStateException("ConsoleIT needs " + chromium + " and " + chromedriver
                    + ": scripts/test.sh installs Debian's chromium and chromium-driver");
        }
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1600,1000", "--lang=en-GB");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(new File(chromedriver)).usingAnyFreePort().build();
        driver = new ChromeDriver(service, options);
        Files.createDirectories(DOWNLOADS);
        driver.executeCdpCommand("Browser.setDownloadBehavior", Map.of("behavior", "allow", "downloadPath",
                DOWNLOADS.toString()));
        // views redraw on live events: an element found a moment ago may be replaced, so the waits look it up again
        wait = new WebDriverWait(driver, PATIENCE, Duration.ofMillis(25));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @AfterAll
    static void stop() {
        if (driver != null) {
            driver.quit();
        }
        if (suite != null) {
            suite.close();
        }
        if (identityProvider != null) {
            identityProvider.close();
        }
    }

    private static RequestSpecification api() {
        return api(TOKEN);
    }

    private static RequestSpecification api(String token) {
        return given().baseUri(base).auth().oauth2(token).contentType(ContentType.JSON);
    }

    /** Clicks the element once it is there and clickable, looked up again if a live redraw replaced it meanwhile. */
    private static void click(By by) {
        wait.until(d -> {
            WebElement element = ExpectedConditions.elementToBeClickable(by).apply(d);
            if (element == null) {
                return false;
            }
            element.click();
            return true;
        });
    }

    /** A row of the work queue, with "Show more" pressed until it is on the page (the queue pages by the API's cursor). */
    /**
     * Clicks a button of the lead's row in the work queue. A live update may redraw the queue meanwhile (back to its
     * first page, the row then further down than "Show more" had reached), so the row is looked for again, with more
     * pages, until its button can be clicked; the button is brought to the middle of the window first, out from
     * under the sticky header.
     */
    private static void clickInQueueRow(String id, String button) {
        By by = By.xpath("//tr[@data-lead-id='" + id + "']//button[text()='" + button + "']");
        wait.until(d -> {
            try {
                List<WebElement> found = d.findElements(by);
                if (found.isEmpty()) {
                    d.findElements(By.cssSelector("#queue-more:enabled")).forEach(WebElement::click);
                    return false;
                }
                WebElement element = found.get(0);
                ((JavascriptExecutor) d).executeScript("arguments[0].scrollIntoView({block: 'center'})", element);
                if (!element.isDisplayed() || !element.isEnabled()) {
                    return false;
                }
                element.click();
                return true;
            } catch (StaleElementReferenceException | ElementClickInterceptedException redrawn) {
                return false;
            }
        });
    }

    private static WebElement queueRow(String id) {
        By row = By.cssSelector("#queue tr[data-lead-id='" + id + "']");
        return wait.until(d -> {
            List<WebElement> found = d.findElements(row);
            if (!found.isEmpty()) {
                return found.get(0);
            }
            d.findElements(By.cssSelector("#queue-more:enabled")).forEach(WebElement::click);
            return null;
        });
    }

    /** Confirms the open dialog (its submit button), after typing into its text box when text is given. */
    private static void confirmDialog(String text) {
        if (text != null) {
            visible(By.cssSelector("dialog textarea")).sendKeys(text);
        }
        click(By.cssSelector("dialog[open] button[type=submit]"));
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
    }

    private static void signInAs(String token) {
        click(By.cssSelector(".who button"));
        visible(By.id("token")).sendKeys(token);
        driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
        visible(By.cssSelector("nav a[href='#/board']"));
    }

    private static void shot(String name) throws IOException {
        File file = driver.getScreenshotAs(OutputType.FILE);
        Path target = SHOTS.resolve(name + ".png");
        Files.copy(file.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        System.out.printf("[console] screenshot %s%n", target.toAbsolutePath());
    }

    private static WebElement visible(By by) {
        return wait.until(ExpectedConditions.visibilityOfElementLocated(by));
    }

    private static By card() {
        return By.id("lead-" + leadId);
    }

    private static By cardIn(String stage) {
        return By.cssSelector("section.column[data-stage='" + stage + "'] #lead-" + leadId);
    }

    @Test
    @Order(1)
    void signInWithTheTokenAndSeeOnlyTheScreensOfTheRoles() throws Exception {
        driver.get(base + "/");
        WebElement token = visible(By.id("token"));
        token.sendKeys("not a token");
        driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
        visible(By.cssSelector(".signin-message .error"));
        // a well-formed token the gateway does not trust: its 401 is shown on the form
        token.clear();
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        token.sendKeys(TestTokens.mint("mallory", TestTokens.ISSUER, 600, generator.generateKeyPair().getPrivate(),
                "admin"));
        driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".signin-message .problem"),
                "401"));
        token.clear();
        token.sendKeys(TOKEN);
        shot("01-sign-in");
        driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
        visible(By.cssSelector("nav a[href='#/board']"));
        List<String> screens = driver.findElements(By.cssSelector(".topbar nav a")).stream().map(WebElement::getText)
                .toList();
        // marketing and telesales see every screen; a crm-only token would see the pipeline alone
        assertEquals(List.of("Pipeline", "Work queue", "Contacts", "Imports", "Scoring models", "Funnel", "Campaigns",
                "Closed loop"), screens);
        assertTrue(driver.findElement(By.cssSelector(".who .user")).getText().contains("marketing-telesales-user"));
        // kept for the session: a reload stays signed in
        driver.navigate().refresh();
        visible(By.cssSelector("nav a[href='#/board']"));
        visible(By.cssSelector("#live-state.live-live"));
    }

    @Test
    @Order(2)
    void aCapturedLeadAppearsOnTheBoardLiveAndItsScoreChangesLive() throws IOException {
        driver.get(base + "/#/board");
        wait.until(ExpectedConditions.presenceOfElementLocated(By.cssSelector("#board-flow option[value='marketing-lead']")));
        new Select(visible(By.id("board-flow"))).selectByValue("marketing-lead");
        wait.until(d -> !d.findElements(By.cssSelector("#board-topic option[value='" + TOPIC + "']")).isEmpty());
        new Select(driver.findElement(By.id("board-topic"))).selectByValue(TOPIC);
        wait.until(ExpectedConditions.attributeToBe(By.id("board"), "data-loaded",
                "marketing-lead|" + TOPIC + "|||||active"));
        visible(By.cssSelector("#live-state.live-live"));
        assertTrue(driver.findElements(By.cssSelector("#board .card")).isEmpty(), "no lead of a new topic yet");

        String email = "console." + UUID.randomUUID() + "@example.com";
        Map<String, Object> captured = Captures.post(ConsoleIT::api, Map.of("email", email, "firstName", "Clara",
                "lastName", "Console", "company", "Browser Tests Ltd", "topic", TOPIC, "source", "MARKETING_FORM",
                "sourceRef", "console-it", "consent", true)).then().statusCode(201).extract().as(Map.class);
        leadId = (String) captured.get("leadId");
        contactId = (String) captured.get("contactId");

        // no reload: the card comes from the live stream; the first score (FORM_SUBMITTED) moves it to AMQ
        visible(card());
        visible(cardIn(AMQ));
        wait.until(d -> !d.findElement(card()).getAttribute("data-score").isEmpty());
        wait.until(ExpectedConditions.textToBePresentInElementLocated(card(), "Clara Console"));
        int before = Integer.parseInt(driver.findElement(card()).getAttribute("data-score"));
        shot("02-board-live-lead");

        ScoringModel model = ScoringModel.published(api());
        int expected = before + model.pointsFor("EMAIL_CLICKED", 1);
        api().body(Map.of("id", UUID.randomUUID().toString(), "type", "EMAIL_CLICKED", "contactId", contactId,
                "occurredAt", Instant.now().toString(), "attributes", Map.of("campaign", "console-it")))
                .post("/api/interactions").then().statusCode(202);
        long accepted = System.nanoTime();
        wait.until(ExpectedConditions.attributeToBe(card(), "data-score", String.valueOf(expected)));
        long millis = Duration.ofNanos(System.nanoTime() - accepted).toMillis();
        System.out.printf("[console] live update: card's score %d -> %d %d ms after the interaction was accepted%n",
                before, expected, millis);
        shot("03-board-score-changed");

        // the source filter is the API's: another source empties the column, the lead's own brings the card back
        new Select(driver.findElement(By.id("board-source"))).selectByValue("EMAIL");
        wait.until(ExpectedConditions.attributeToBe(By.id("board"), "data-loaded",
                "marketing-lead|" + TOPIC + "|EMAIL||||active"));
        assertTrue(driver.findElements(card()).isEmpty(), "a MARKETING_FORM lead under source EMAIL");
        new Select(driver.findElement(By.id("board-source"))).selectByValue("MARKETING_FORM");
        visible(cardIn(AMQ));
        shot("03b-board-filtered-by-source");
    }

    @Test
    @Order(3)
    void aRefusedMoveIsExplainedAndAnAllowedOneMovesTheCard() throws IOException {
        // no transition AMQ -> TELEPROSPECTING_QUALIFICATION in the flow: 409
        String problem = refusedMove("TELEPROSPECTING_QUALIFICATION", "409");
        assertTrue(problem.contains("409"), problem);
        driver.findElement(By.cssSelector("dialog .dialog-actions button[type=button]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));

        // AMQ -> SALES_ACCEPTANCE needs a sales-ready lead: 422 naming the guard's field
        problem = refusedMove("SALES_ACCEPTANCE", "422");
        assertTrue(problem.contains("salesReady"), problem);
        shot("04-refused-move-explained");
        driver.findElement(By.cssSelector("dialog .dialog-actions button[type=button]")).click();
        wait.until(ExpectedConditions.invisibilityOfElementLocated(By.cssSelector("dialog")));
        visible(cardIn(AMQ));

        // an allowed move: the card changes column, and the API has it
        openMoveDialog();
        new Select(driver.findElement(By.id("move-to"))).selectByValue("TELEPROSPECTING_ACCEPTANCE");
        driver.findElement(By.id("move-reason")).sendKeys("Asked for a call in the console");
        driver.findElement(By.id("move-submit")).click();
        visible(cardIn("TELEPROSPECTING_ACCEPTANCE"));
        assertEquals("TELEPROSPECTING_ACCEPTANCE",
                api().get("/api/leads/" + leadId).then().statusCode(200).extract().path("stage"));
        shot("05-board-after-move");
    }

    private static void openMoveDialog() {
        WebElement button = visible(By.cssSelector("#lead-" + leadId + " .card-move"));
        button.click();
        visible(By.id("move-to"));
    }

    private static String refusedMove(String to, String status) {
        openMoveDialog();
        new Select(driver.findElement(By.id("move-to"))).selectByValue(to);
        driver.findElement(By.id("move-submit")).click();
        WebElement problem = visible(By.cssSelector("dialog .problem[data-status='" + status + "']"));
        return problem.getText();
    }

    @Test
    @Order(4)
    void theLeadPageShowsTheTimelineAndExplainsTheScore() throws IOException {
        driver.findElement(By.cssSelector("#lead-" + leadId + " .card-title")).click();
        wait.until(ExpectedConditions.attributeToBe(By.id("lead-stage"), "data-stage", "TELEPROSPECTING_ACCEPTANCE"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"),
                "Asked for a call in the console"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"),
                "by marketing-telesales-user"));
        By why = By.cssSelector(".score-model button[aria-controls]");
        visible(why).click();
        By explanation = By.cssSelector(".explanation table");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(explanation, "email-clicked"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(explanation, "form-submitted"));
        wait.until(ExpectedConditions.attributeToBe(why, "aria-expanded", "true"));
        // the score changes name the interaction behind each
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("section[aria-labelledby=interactions-title]"), "Email clicked"));
        shot("06-lead-page-explanation");
    }

    @Test
    @Order(5)
    void theContactPageAndTheFunnel() throws IOException {
        driver.get(base + "/#/contacts/" + contactId);
        WebElement leads = visible(By.cssSelector("section[aria-labelledby=leads-title]"));
        wait.until(ExpectedConditions.textToBePresentInElement(leads, TOPIC));
        visible(By.xpath("//h1[text()='Clara Console']"));
        shot("07-contact-page");

        driver.get(base + "/#/funnel");
        visible(By.cssSelector("svg.funnel-chart"));
        shot("09-funnel");
    }

    /** A draft model (scoped to a topic no lead has) edited in the editor, saved, published, then retired. */
    @Test
    @Order(6)
    void theModelEditorEditsADraftAndPublishesIt() throws IOException {
        String scope = "console-model-" + UUID.randomUUID().toString().substring(0, 8);
        String modelId = api().body(Map.of("name", "Console " + scope, "scope", Map.of("topics", List.of(scope)),
                "salesReadyThreshold", 40, "grades", List.of(Map.of("name", "B", "minScore", 0),
                        Map.of("name", "A", "minScore", 30)),
                "rules", List.of(Map.of("id", "console-visit", "kind", "BEHAVIOUR", "interactionType", "PAGE_VISITED",
                        "points", 5))))
                .post("/api/scoring/models").then().statusCode(201).extract().path("id");
        try {
            driver.get(base + "/#/models/" + modelId);
            wait.until(ExpectedConditions.textToBe(By.id("model-status"), "Draft v1"));
            WebElement threshold = visible(By.id("model-threshold"));
            threshold.clear();
            threshold.sendKeys("45");
            WebElement points = driver.findElement(By.cssSelector(".table-edit input[name=points]"));
            points.clear();
            points.sendKeys("7");
            shot("08-model-editor");
            click(By.id("model-save"));
            wait.until(d -> ((Number) api().get("/api/scoring/models/" + modelId).then().statusCode(200).extract()
                    .path("salesReadyThreshold")).intValue() == 45);
            // the editor reloads the saved draft
            wait.until(ExpectedConditions.attributeToBe(By.id("model-threshold"), "value", "45"));
            click(By.id("model-publish"));
            wait.until(ExpectedConditions.textToBe(By.id("model-status"), "Published v1"));
            Map<String, Object> published = api().get("/api/scoring/models/" + modelId).then().statusCode(200)
                    .extract().as(Map.class);
            assertEquals("PUBLISHED", published.get("status"));
            assertEquals(7, ((Number) ((List<Map<String, Object>>) published.get("rules")).get(0).get("points"))
                    .intValue());
            shot("08b-model-published");
            // retired again, so that the suite keeps one published model (other tests count on it)
            click(By.xpath("//button[text()='Retire']"));
            wait.until(ExpectedConditions.alertIsPresent()).accept();
            wait.until(ExpectedConditions.textToBe(By.id("model-status"), "Retired v1"));
        } finally {
            if ("PUBLISHED".equals(api().get("/api/scoring/models/" + modelId).then().extract().path("status"))) {
                api().post("/api/scoring/models/" + modelId + "/retire").then().statusCode(200);
            }
        }
    }

    /**
     * Telesales' queue: the lead waits in tele-prospecting for the team; claimed, it is in "My leads", then marked
     * sales-ready there.
     */
    @Test
    @Order(7)
    void theWorkQueueClaimsAndMarksSalesReady() throws IOException {
        driver.get(base + "/#/queue");
        new Select(visible(By.id("queue-whose"))).selectByValue("team");
        new Select(visible(By.id("queue-team"))).selectByValue("telesales");
        wait.until(ExpectedConditions.attributeToBe(By.id("queue-list"), "data-loaded", "team|telesales||"));
        queueRow(leadId);
        clickInQueueRow(leadId, "Claim");
        wait.until(d -> "marketing-telesales-user".equals(
                api().get("/api/leads/" + leadId).then().statusCode(200).extract().path("owner")));
        new Select(visible(By.id("queue-whose"))).selectByValue("mine");
        new Select(visible(By.id("queue-status"))).selectByValue("OPEN");
        wait.until(ExpectedConditions.attributeToBe(By.id("queue-list"), "data-loaded", "mine||OPEN|"));
        queueRow(leadId);
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#queue tr[data-lead-id='" + leadId + "'] .owner"), "marketing-telesales-user"));
        clickInQueueRow(leadId, "Sales-ready");
        confirmDialog("Asked for a quote on the phone");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#queue tr[data-lead-id='" + leadId + "'] .badge-ok"), "Sales-ready"));
        shot("10-work-queue");
        assertEquals(true, api().get("/api/leads/" + leadId).then().statusCode(200).extract().path("salesReady"));
    }

    @Test
    @Order(8)
    void aLeadImportShowsItsProgressToTheEndAndThePerLineErrors() throws IOException {
        String topic = TOPIC + "-import";
        StringBuilder csv = new StringBuilder("email,first_name,last_name,company,topic,source\n");
        String batch = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 120; i++) {
            csv.append("lead.").append(batch).append('.').append(i).append("@example.com,Lead,").append(i)
                    .append(",Imports Ltd,").append(topic).append(",EVENT\n");
            if (i == 10) {
                csv.append("no.topic.").append(batch).append("@example.com,No,Topic,Imports Ltd,,EVENT\n"); // line 12
            }
        }
        Path file = Path.of("target", "console-lead-import-" + batch + ".csv").toAbsolutePath();
        Files.writeString(file, csv);

        driver.get(base + "/#/imports");
        click(By.id("import-kind-leads"));
        visible(By.id("import-file")).sendKeys(file.toString());
        driver.findElement(By.id("import-submit")).click();
        By job = By.cssSelector("#import-jobs .job[data-kind='leads']");
        visible(job);
        wait.until(ExpectedConditions.attributeToBe(job, "data-state", "DONE"));
        WebElement progress = driver.findElement(job).findElement(By.tagName("progress"));
        assertEquals("121", progress.getAttribute("max"));
        assertEquals(progress.getAttribute("max"), progress.getAttribute("value"));
        WebElement errors = visible(By.cssSelector("#import-jobs .job[data-kind='leads'] table"));
        assertTrue(errors.getText().contains("12"), errors.getText());
        String text = driver.findElement(job).getText();
        assertTrue(text.contains("121 of 121 rows"), text);
        assertEquals("120", driver.findElement(By.xpath(
                "//article[@data-kind='leads']//dt[text()='Leads created']/following-sibling::dd")).getText());
        assertEquals(120, api().get("/api/leads?topic=" + topic + "&source=EVENT&limit=200").then().statusCode(200)
                .extract().jsonPath().getList("items").size());
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        shot("11-lead-import-done");
    }

    @Test
    @Order(9)
    void aContactImportShowsItsProgressToTheEndAndThePerLineErrors() throws IOException {
        StringBuilder csv = new StringBuilder("email,first_name,last_name,company\n");
        String batch = UUID.randomUUID().toString().substring(0, 8);
        for (int i = 1; i <= 400; i++) {
            csv.append("import.").append(batch).append('.').append(i).append("@example.com,Row,").append(i)
                    .append(",Imports Ltd\n");
            if (i == 10) {
                csv.append("not-an-email,Bad,Row,Imports Ltd\n"); // line 12
            }
        }
        Path file = Path.of("target", "console-import-" + batch + ".csv").toAbsolutePath();
        Files.writeString(file, csv);

        driver.get(base + "/#/imports");
        click(By.id("import-kind-contacts"));
        visible(By.id("import-file")).sendKeys(file.toString());
        driver.findElement(By.id("import-submit")).click();
        WebElement job = visible(By.cssSelector("#import-jobs .job[data-kind='contacts']"));
        WebElement progress = job.findElement(By.tagName("progress"));
        wait.until(ExpectedConditions.attributeToBe(job, "data-state", "DONE"));
        assertEquals(progress.getAttribute("max"), progress.getAttribute("value"));
        assertEquals("401", progress.getAttribute("max"));
        WebElement errors = visible(By.cssSelector("#import-jobs .job[data-kind='contacts'] table"));
        assertTrue(errors.getText().contains("12"), errors.getText());
        assertTrue(job.getText().contains("401 of 401 rows"), job.getText());
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        shot("11b-contact-import-done");
    }

    /**
     * Marketing creates a campaign in the console and edits it: a save over someone else's change is the API's 412
     * (the current version can then be loaded), a name another campaign has its 409; the campaign's results count the
     * lead a capture brought and the lead an interaction named it for.
     */
    @Test
    @Order(10)
    void aCampaignIsCreatedEditedWithItsConflictsShownAndItsResultsCountCapturesAndInteractions() throws IOException {
        String run = UUID.randomUUID().toString().substring(0, 8);
        String name = "Console fair " + run;
        driver.get(base + "/#/campaigns");
        click(By.id("campaign-new"));
        visible(By.id("campaign-name")).sendKeys(name);
        driver.findElement(By.id("campaign-channel")).sendKeys("EVENT");
        driver.findElement(By.id("campaign-cost")).sendKeys("1500");
        shot("22-campaign-new");
        click(By.id("campaign-save"));
        wait.until(ExpectedConditions.urlMatches("#/campaigns/[0-9a-f-]{36}$"));
        campaignId = driver.getCurrentUrl().substring(driver.getCurrentUrl().lastIndexOf('/') + 1);
        wait.until(ExpectedConditions.attributeToBe(By.id("campaign-version"), "data-version", "0"));
        Map<String, Object> created = api().get("/api/campaigns/" + campaignId).then().statusCode(200).extract()
                .as(Map.class);
        assertEquals(List.of(name, "EVENT", 1500.0), List.of(created.get("name"), created.get("channel"),
                ((Number) created.get("cost")).doubleValue()));
        driver.get(base + "/#/campaigns");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("#campaigns tr[data-campaign-id='" + campaignId + "']"), name));

        // someone else saves first: this editor's version is stale, the API's 412 is shown and the edits stay
        driver.get(base + "/#/campaigns/" + campaignId);
        wait.until(ExpectedConditions.attributeToBe(By.id("campaign-version"), "data-version", "0"));
        api().header("If-Match", "\"0\"").body(Map.of("name", name, "channel", "TRADE_SHOW", "cost", 1500))
                .put("/api/campaigns/" + campaignId).then().statusCode(200);
        WebElement cost = visible(By.id("campaign-cost"));
        cost.clear();
        cost.sendKeys("2000");
        click(By.id("campaign-save"));
        WebElement stale = visible(By.cssSelector("#campaign-answer .problem[data-status='412']"));
        assertTrue(stale.getText().contains("version 1"), stale.getText());
        assertEquals("2000", driver.findElement(By.id("campaign-cost")).getAttribute("value"));
        shot("23-campaign-412");
        click(By.id("campaign-reload"));
        wait.until(ExpectedConditions.attributeToBe(By.id("campaign-version"), "data-version", "1"));
        wait.until(ExpectedConditions.attributeToBe(By.id("campaign-channel"), "value", "TRADE_SHOW"));

        // another campaign's name, in another case: 409
        String other = "Console webinar " + run;
        api().body(Map.of("name", other)).post("/api/campaigns").then().statusCode(201);
        WebElement nameField = visible(By.id("campaign-name"));
        nameField.clear();
        nameField.sendKeys(other.toUpperCase());
        click(By.id("campaign-save"));
        visible(By.cssSelector("#campaign-answer .problem[data-status='409']"));
        shot("24-campaign-409");
        nameField = driver.findElement(By.id("campaign-name"));
        nameField.clear();
        nameField.sendKeys(name);
        cost = driver.findElement(By.id("campaign-cost"));
        cost.clear();
        cost.sendKeys("2000");
        click(By.id("campaign-save"));
        wait.until(ExpectedConditions.attributeToBe(By.id("campaign-version"), "data-version", "2"));
        assertEquals(2000.0, ((Number) api().get("/api/campaigns/" + campaignId).then().statusCode(200).extract()
                .path("cost")).doubleValue());

        // a capture that names it (its lead comes from it) and an interaction that names it for the test's lead
        Captures.post(ConsoleIT::api, Map.of("email", "fair." + run + "@example.com", "firstName", "Fay", "lastName",
                "Fair", "topic", TOPIC, "source", "EVENT", "campaign", name.toLowerCase())).then().statusCode(201);
        api().body(Map.of("id", "console-brochure-" + run, "type", "CUSTOM:brochure-download", "contactId",
                contactId, "occurredAt", Instant.now().toString(), "attributes", Map.of("campaign", campaignId)))
                .post("/api/interactions").then().statusCode(202);
        wait.until(d -> ((Number) api().get("/api/campaigns/" + campaignId).then().statusCode(200).extract()
                .path("results.leads")).intValue() == 2);
        // the editor shows the results it read: open the campaign again from the list
        driver.get(base + "/#/campaigns");
        click(By.cssSelector("#campaigns tr[data-campaign-id='" + campaignId + "'] a"));
        wait.until(ExpectedConditions.textToBe(By.cssSelector("#campaign-results dd[data-field=leads]"), "2"));
        assertEquals("1", driver.findElement(By.cssSelector("#campaign-results dd[data-field=sourcedLeads]"))
                .getText());
        assertEquals("2", driver.findElement(By.cssSelector("#campaign-results dd[data-field=members]")).getText());
        shot("25-campaign-results");
    }

    /**
     * The closed-loop report by campaign for the last 30 days: the campaign's row, and the same report as a CSV file
     * downloaded from the page; by source it has a row per source.
     */
    @Test
    @Order(11)
    void theClosedLoopReportShowsTheCampaignsRowAndDownloadsItsCsv() throws IOException {
        driver.get(base + "/#/report");
        new Select(visible(By.id("report-by"))).selectByValue("campaign");
        String from = visible(By.id("report-from")).getAttribute("value");
        String to = driver.findElement(By.id("report-to")).getAttribute("value");
        wait.until(ExpectedConditions.attributeToBe(By.id("report"), "data-loaded", "campaign|" + from + "|" + to));
        String name = api().get("/api/campaigns/" + campaignId).then().statusCode(200).extract().path("name");
        By row = By.cssSelector("#report-table tr[data-key='" + name + "']");
        assertEquals("1", driver.findElement(row).findElement(By.cssSelector("td[data-col=Leads]")).getText());
        shot("26-closed-loop-report");

        WebElement csv = visible(By.id("report-csv"));
        String file = "closed-loop-by-campaign-" + from + "-to-" + to + ".csv";
        assertEquals(file, csv.getAttribute("download"));
        assertTrue(csv.getAttribute("href").startsWith("blob:"), csv.getAttribute("href"));
        Path downloaded = DOWNLOADS.resolve(file);
        Files.deleteIfExists(downloaded);
        csv.click();
        wait.until(d -> Files.exists(downloaded) && !Files.exists(DOWNLOADS.resolve(file + ".crdownload")));
        List<String> lines = Files.readAllLines(downloaded);
        assertTrue(lines.get(0).startsWith("key,leads,mql,sal,sql,opportunities,won,lost,"), lines.get(0));
        assertTrue(lines.stream().anyMatch(l -> l.startsWith(name + ",1,")), () -> String.join("\n", lines));

        new Select(driver.findElement(By.id("report-by"))).selectByValue("source");
        wait.until(ExpectedConditions.attributeToBe(By.id("report"), "data-loaded", "source|" + from + "|" + to));
        visible(By.cssSelector("#report-table tr[data-key='EVENT']"));
        wait.until(ExpectedConditions.attributeContains(By.id("report-csv"), "download", "closed-loop-by-source-"));
    }

    /** A sales-only caller sees no imports and no sales-ready flag (telesales'); the pipeline and the lead stay. */
    @Test
    @Order(12)
    void anotherRoleSeesOnlyWhatItMayUse() throws IOException {
        signInAs(SALES);
        assertEquals(List.of("Pipeline", "Work queue", "Contacts", "Scoring models", "Funnel", "Campaigns",
                "Closed loop"),
                driver.findElements(By.cssSelector(".topbar nav a")).stream().map(WebElement::getText).toList());
        // sales reads a campaign and its results; marketing and admin edit it
        driver.get(base + "/#/campaigns/" + campaignId);
        visible(By.cssSelector("#campaign-results dd[data-field=leads]"));
        assertTrue(driver.findElements(By.id("campaign-save")).isEmpty());
        assertTrue(driver.findElements(By.id("campaign-new")).isEmpty());
        assertEquals(false, visible(By.id("campaign-name")).isEnabled());
        driver.get(base + "/#/leads/" + leadId);
        visible(By.id("lead-move"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".actions"), "Disqualify"));
        assertTrue(driver.findElements(By.xpath("//button[text()='Mark sales-ready']")).isEmpty());
        driver.get(base + "/#/imports");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Not for your role"));
        shot("12-sales-role-no-imports");
    }

    /**
     * A sales user: accepting a lead that is not sales-ready is refused and the API's reason shown; the sales-ready
     * lead is accepted from the queue and is then theirs in the sales flow's first stage.
     */
    @Test
    @Order(13)
    void aSalesUserAcceptsASalesReadyLeadAndSeesItsStage() throws IOException {
        String cold = Captures.post(ConsoleIT::api, Map.of("email", "cold." + UUID.randomUUID() + "@example.com",
                "topic", TOPIC, "source", "MARKETING_FORM")).then().statusCode(201).extract().path("leadId");
        driver.get(base + "/#/leads/" + cold);
        click(By.id("lead-accept"));
        confirmDialog(null);
        WebElement refused = visible(By.cssSelector("#main .problem[data-status='409']"));
        String salesDetail = api(SALES).body("{}").post("/api/leads/" + cold + "/accept").then().statusCode(409)
                .extract().path("detail");
        assertTrue(refused.getText().contains(salesDetail), refused.getText() + " shows " + salesDetail);
        shot("13-accept-refused");

        driver.get(base + "/#/queue");
        new Select(visible(By.id("queue-whose"))).selectByValue("ready");
        wait.until(ExpectedConditions.attributeToBe(By.id("queue-list"), "data-loaded", "ready|||"));
        queueRow(leadId);
        shot("14-queue-sales-ready");
        clickInQueueRow(leadId, "Accept");
        confirmDialog("Budget confirmed, taking it");
        wait.until(d -> "ACCEPTED".equals(api().get("/api/leads/" + leadId).then().statusCode(200).extract()
                .path("status")));
        new Select(visible(By.id("queue-whose"))).selectByValue("mine");
        new Select(visible(By.id("queue-status"))).selectByValue("ACCEPTED");
        wait.until(ExpectedConditions.attributeToBe(By.id("queue-list"), "data-loaded", "mine||ACCEPTED|"));
        queueRow(leadId);
        wait.until(ExpectedConditions.attributeToBe(By.cssSelector("#queue tr[data-lead-id='" + leadId + "']"),
                "data-stage", "QUALIFY"));
        shot("15-queue-accepted");
        Map<String, Object> accepted = api().get("/api/leads/" + leadId).then().statusCode(200).extract()
                .as(Map.class);
        assertEquals("sales-lead", accepted.get("flow"));
        assertEquals("QUALIFY", accepted.get("stage"));
        assertEquals("sales-user", accepted.get("owner"));

        driver.get(base + "/#/leads/" + leadId);
        wait.until(ExpectedConditions.attributeToBe(By.id("lead-stage"), "data-stage", "QUALIFY"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("timeline"),
                "Budget confirmed, taking it"));
        shot("16-lead-accepted");
    }

    /** Marketing merges a duplicate into a contact (its lead moves over) and erases the contact, confirming by e-mail. */
    @Test
    @Order(14)
    void aContactIsMergedWithADuplicateAndThenErasedAfterConfirmation() throws IOException {
        signInAs(TOKEN);
        String suffix = UUID.randomUUID().toString().substring(0, 8);
        String email = "keep." + suffix + "@example.com";
        String keep = api().body(Map.of("email", email, "firstName", "Mira", "lastName", "Merge")).post("/api/contacts")
                .then().statusCode(201).extract().path("id");
        String duplicateEmail = "dupe." + suffix + "@example.com";
        Map<String, Object> duplicate = Captures.post(ConsoleIT::api, Map.of("email", duplicateEmail, "firstName",
                "Mira", "lastName", "Merge", "topic", TOPIC, "source", "EVENT")).then().statusCode(201).extract()
                .as(Map.class);

        driver.get(base + "/#/contacts/" + keep);
        visible(By.xpath("//h1[text()='Mira Merge']"));
        click(By.xpath("//button[starts-with(text(),'Merge a duplicate')]"));
        visible(By.id("merge-email")).sendKeys(duplicateEmail);
        click(By.xpath("//dialog//button[text()='Find']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog[open]"),
                duplicateEmail + " ·"));
        shot("17-contact-merge");
        click(By.cssSelector("dialog[open] button[type=submit]"));
        // the duplicate's lead moves over (lead-service hears of the merge): the page waits for it and shows it
        wait.until(ExpectedConditions.textToBePresentInElementLocated(
                By.cssSelector("section[aria-labelledby=leads-title]"), TOPIC));
        assertEquals(keep, api().get("/api/leads/" + duplicate.get("leadId")).then().statusCode(200).extract()
                .path("contactId"));

        click(By.xpath("//button[text()='Erase…']"));
        WebElement confirm = visible(By.id("erase-confirm"));
        confirm.sendKeys("someone.else@example.com");
        click(By.cssSelector("dialog[open] button[type=submit]"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector("dialog[open] .error"),
                "does not match"));
        assertEquals(200, api().get("/api/contacts/" + keep).then().extract().statusCode(), "not erased yet");
        confirm.clear();
        confirm.sendKeys(email);
        shot("18-contact-erase-confirmation");
        click(By.cssSelector("dialog[open] button[type=submit]"));
        wait.until(ExpectedConditions.urlToBe(base + "/#/contacts"));
        assertEquals(410, api().get("/api/contacts/" + keep).then().extract().statusCode());
        shot("19-contacts-after-erasure");
    }

    /**
     * In a cluster: sign-in with the identity provider the gateway names, by authorisation code with PKCE (S256); the
     * provider redeems the code only with the verifier of the challenge the console sent. The pasted token stays.
     */
    @Test
    @Order(15)
    void signInWithTheIdentityProviderByAuthorisationCodeWithPkce() throws IOException {
        click(By.cssSelector(".who button"));
        visible(By.id("token"));
        visible(By.id("signin-oidc"));
        shot("20-sign-in-choices");
        click(By.id("signin-oidc"));
        visible(By.cssSelector("nav a[href='#/board']"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".who .user"), "olga"));
        // the code and state are gone from the address
        assertEquals(base + "/#/board", driver.getCurrentUrl());
        assertEquals(List.of(), identityProvider.refusals);
        assertEquals(1, identityProvider.authorised.size());
        FakeIdentityProvider.Grant grant = identityProvider.authorised.get(0);
        assertEquals("S256", grant.method());
        assertEquals(base + "/", grant.redirectUri());
        assertEquals("openid", grant.scope());
        assertEquals(1, identityProvider.redeemed.size());
        assertEquals(List.of("Pipeline", "Work queue", "Contacts", "Scoring models", "Funnel", "Campaigns",
                "Closed loop"),
                driver.findElements(By.cssSelector(".topbar nav a")).stream().map(WebElement::getText).toList());
        visible(By.cssSelector("#live-state.live-live"));
        shot("21-signed-in-with-identity-provider");
    }

    /** Nothing the console did raised a script error in the browser (refused API calls are answers, not errors). */
    @Test
    @Order(16)
    void noScriptErrors() {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
        assertEquals(List.of(), errors);
    }
}
