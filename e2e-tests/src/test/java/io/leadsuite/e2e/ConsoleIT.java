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
 * lead appear on the board live and its score change live, a refused move explained, a move made, the score's
 * explanation, the contact and the model editor, and a contact import whose progress bar finishes with its per-line
 * errors. Every step waits on the page's state, never on time. Screenshots go to target/console-screenshots.
 * <p>
 * Chromium and chromedriver are Debian's ({@code chromium}, {@code chromium-driver}; scripts/test.sh installs them
 * when missing); {@code LEADSUITE_CHROMIUM} and {@code LEADSUITE_CHROMEDRIVER} point elsewhere.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleIT {

    private static final String TOKEN = TestTokens.forRoles("marketing", "telesales");
    private static final Duration PATIENCE = Duration.ofSeconds(45);
    private static final String AMQ = "AUTOMATED_MARKETING_QUALIFICATION";
    private static final Path SHOTS = Path.of("target", "console-screenshots");

    private static Suite suite;
    private static ChromeDriver driver;
    private static WebDriverWait wait;
    private static String base;

    private static final String TOPIC = "console-" + UUID.randomUUID().toString().substring(0, 8);
    private static String leadId;
    private static String contactId;

    @BeforeAll
    static void start() throws Exception {
        suite = new Suite();
        Duration took = suite.startAll();
        System.out.printf("[console] suite ready in %d ms%n", took.toMillis());
        base = "http://localhost:" + Suite.GATEWAY;
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
    }

    private static RequestSpecification api() {
        return given().baseUri(base).auth().oauth2(TOKEN).contentType(ContentType.JSON);
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
        assertEquals(List.of("Pipeline", "Work queue", "Contacts", "Imports", "Scoring models", "Funnel"), screens);
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
        new Select(visible(By.id("board-flow"))).selectByValue("marketing-lead");
        WebElement topic = visible(By.id("board-topic"));
        topic.clear();
        topic.sendKeys(TOPIC);
        wait.until(ExpectedConditions.attributeToBe(By.id("board"), "data-loaded", "marketing-lead|" + TOPIC + "||active"));
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
    void theContactPageAndTheModelEditor() throws IOException {
        driver.get(base + "/#/contacts/" + contactId);
        WebElement leads = visible(By.cssSelector("section[aria-labelledby=leads-title]"));
        wait.until(ExpectedConditions.textToBePresentInElement(leads, TOPIC));
        visible(By.xpath("//h1[text()='Clara Console']"));
        shot("07-contact-page");

        driver.get(base + "/#/models");
        visible(By.cssSelector("#models a")).click();
        wait.until(d -> !d.findElement(By.cssSelector(".table-edit input[name=id]")).getAttribute("value").isEmpty());
        visible(By.id("model-save"));
        shot("08-model-editor");

        driver.get(base + "/#/funnel");
        visible(By.cssSelector("svg.funnel-chart"));
        shot("09-funnel");
        // the work queue: the lead waits in tele-prospecting, unassigned; claimed, it is in "My leads"
        driver.get(base + "/#/queue");
        new Select(visible(By.id("queue-whose"))).selectByValue("unassigned");
        By row = By.cssSelector("#queue tr[data-lead-id='" + leadId + "']");
        visible(row).findElement(By.xpath(".//button[text()='Claim']")).click();
        new Select(visible(By.id("queue-whose"))).selectByValue("mine");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(row, "marketing-telesales-user"));
        shot("10-work-queue");
        assertEquals("marketing-telesales-user",
                api().get("/api/leads/" + leadId).then().statusCode(200).extract().path("owner"));
    }

    @Test
    @Order(6)
    void anImportShowsItsProgressToTheEndAndThePerLineErrors() throws IOException {
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
        visible(By.id("import-file")).sendKeys(file.toString());
        driver.findElement(By.id("import-submit")).click();
        WebElement job = visible(By.cssSelector("#import-jobs .job"));
        WebElement progress = job.findElement(By.tagName("progress"));
        wait.until(ExpectedConditions.attributeToBe(job, "data-state", "DONE"));
        assertEquals(progress.getAttribute("max"), progress.getAttribute("value"));
        assertEquals("401", progress.getAttribute("max"));
        WebElement errors = visible(By.cssSelector("#import-jobs .job table"));
        assertTrue(errors.getText().contains("12"), errors.getText());
        assertTrue(job.getText().contains("401 of 401 rows"), job.getText());
        ((JavascriptExecutor) driver).executeScript("window.scrollTo(0, 0)");
        shot("11-import-done");
    }

    /** A sales-only caller sees no imports and no sales-ready flag (telesales'); the pipeline and the lead stay. */
    @Test
    @Order(7)
    void anotherRoleSeesOnlyWhatItMayUse() throws IOException {
        driver.findElement(By.cssSelector(".who button")).click();
        WebElement token = visible(By.id("token"));
        token.sendKeys(TestTokens.forRoles("sales"));
        driver.findElement(By.cssSelector(".signin-form button[type=submit]")).click();
        visible(By.cssSelector("nav a[href='#/board']"));
        assertEquals(List.of("Pipeline", "Work queue", "Contacts", "Scoring models", "Funnel"),
                driver.findElements(By.cssSelector(".topbar nav a")).stream().map(WebElement::getText).toList());
        driver.get(base + "/#/leads/" + leadId);
        visible(By.id("lead-move"));
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.cssSelector(".actions"), "Disqualify"));
        assertTrue(driver.findElements(By.xpath("//button[text()='Mark sales-ready']")).isEmpty());
        driver.get(base + "/#/imports");
        wait.until(ExpectedConditions.textToBePresentInElementLocated(By.id("main"), "Not for your role"));
        shot("12-sales-role-no-imports");
    }

    /** Nothing the console did raised a script error in the browser (refused API calls are answers, not errors). */
    @Test
    @Order(8)
    void noScriptErrors() {
        List<String> errors = driver.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
                .map(LogEntry::getMessage)
                .filter(m -> !m.contains("Failed to load resource"))
                .toList();
        assertEquals(List.of(), errors);
    }
}
