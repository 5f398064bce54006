package io.tunecho.it;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.WindowType;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.interactions.Actions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The lab page in a real browser: Debian's headless Chromium, driven by Selenium through {@code /usr/bin/chromedriver}
 * (nothing is downloaded), against the server jar with a token and 10,000 host entries, in this test's network
 * namespace. The page asks for the token, shows the configured entries with their states, takes an entry down
 * (and {@code ping} then gets no answer), gives one a delay for a while, finds the entry that answers an address,
 * pages, draws replies per second, and shows each change in its events strip. A screenshot goes to
 * {@code target/lab-page.png}.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class LabPageIT {
    private static final String TOKEN = "lab-page-t0ken";
    private static final String BASE = "http://127.0.0.1:9470";
    /** The host entries beyond the named ones: 198.18.144.0 and on, one /32 each. */
    private static final int MANY = 10_000;
    private static final Duration WAIT = Duration.ofSeconds(20);

    private TunechoProcess tunecho;
    private Path dir;
    private WebDriver browser;
    private final List<Process> pings = new ArrayList<>();

    @BeforeAll
    void start() throws Exception {
        Netns.assertPrivateNamespace();
        dir = Files.createTempDirectory("lab-page-it");
        StringBuilder config = new StringBuilder(String.join("\n",
                "interface: { name: tunit70, address: 198.18.128.1/18 }",
                "http: { port: 9470, token: " + TOKEN + " }",
                "seed: 42",
                "profiles:",
                "  web: { delay: 20ms }",
                "  wan-site: { delay: 40ms, jitter: 4ms }",
                "  flaky-branch: { delay: 25ms, jitter: 15ms, distribution: pareto, loss: { p: 5%, r: 50% } }",
                "  router: { ttl: 255, rate: 10 }",
                "  rack: { }",
                // a drill that runs while the page is looked at: one expectation pending for long, one that fails
                "scenario:",
                "  name: lab-drill",
                "  steps:",
                "    - { at: 0s, match: 198.18.128.10, for: 10m, expect: { probed: 5s } }",
                "    - { at: 1s, match: 198.18.128.50, for: 3s, expect: { probed: 1s } }",
                "hosts:",
                "  - { match: 198.18.128.10, profile: web }",
                "  - { match: 198.18.128.20, state: down }",
                "  - { match: 198.18.128.21, state: unreachable }",
                "  - match: 198.18.128.30",
                "    timeline: { repeat: true, steps: [ { for: 8s, state: up }, { for: 4s, state: down } ] }",
                "  - match: 198.18.128.31",
                "    timeline: { repeat: true, steps: [ { for: 20s, delay: 10ms }, { for: 20s, delay: 50ms } ] }",
                "  - { match: 198.18.128.40, profile: web }",
                "  - { match: 198.18.128.50 }",
                "  - { match: 198.18.128.64/28, profile: wan-site, ttl: 128 }",
                "  - { match: 198.18.128.80/28, profile: flaky-branch }",
                "  - { match: 198.18.128.254, profile: router }",
                ""));
        for (int i = 0; i < MANY; i++) {
            int a = 144 * 256 + i;
            config.append("  - { match: 198.18.").append(a / 256).append('.').append(a % 256)
                    .append(", profile: rack }\n");
        }
        Path file = dir.resolve("lab.yaml");
        Files.writeString(file, config);
        tunecho = TunechoProcess.start("--config", file.toString());
        tunecho.awaitOutput("HTTP on", 10);
        // traffic for the sparklines, bounded by count and time: ping exits by itself
        background("-i", "0.1", "-c", "1500", "-w", "150", "198.18.128.10");
        background("-i", "0.1", "-c", "1500", "-w", "150", "198.18.128.30");
        background("-i", "0.2", "-c", "750", "-w", "150", "198.18.128.70");
        background("-i", "0.1", "-c", "1500", "-w", "150", "198.18.128.85");
        background("-i", "0.05", "-c", "3000", "-w", "150", "198.18.128.254");
        browser = chromium(dir.resolve("chromium"));
    }

    private void background(String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("ping", "-q", "-n"));
        cmd.addAll(List.of(args));
        pings.add(new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start());
    }

    /** Debian's Chromium through Debian's chromedriver, headless, with a profile of its own: nothing is downloaded. */
    private static WebDriver chromium(Path profile) throws IOException {
        File driver = new File("/usr/bin/chromedriver");
        File binary = new File("/usr/bin/chromium");
        assertTrue(driver.canExecute() && binary.canExecute(),
                "the browser test needs Debian's chromium and chromium-driver (apt-get install chromium "
                        + "chromium-driver; .ci/run installs them)");
        Files.createDirectories(profile);
        System.setProperty("webdriver.chrome.driver", driver.getPath());
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver)
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(binary);
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                "--no-first-run", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
                "--user-data-dir=" + profile, "--window-size=1440,1000", "--lang=en-GB");
        ChromeDriver d = new ChromeDriver(service, options);
        d.manage().window().setSize(new Dimension(1440, 1000));
        return d;
    }

    @AfterAll
    void stop() throws Exception {
        try {
            if (browser != null) {
                browser.quit();
            }
        } finally {
            for (Process p : pings) {
                p.destroy();
                p.waitFor(5, TimeUnit.SECONDS);
            }
            if (tunecho != null) {
                try {
                    assertEquals(0, tunecho.terminate(), tunecho.output());
                } finally {
                    tunecho.close();
                }
            }
            if (dir != null) {
                try (Stream<Path> files = Files.walk(dir)) {
                    files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
                }
            }
        }
    }

    // ---- helpers

    private <T> T await(String what, Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT).withMessage(what).until(condition);
    }

    private static String row(String match) {
        return "tr[data-match='" + match + "']";
    }

    private String text(String css) {
        return firstText(By.cssSelector(css), null);
    }

    /** The text of the first element found, or {@code none}; looked up again if the page redrew it meanwhile. */
    private String firstText(By by, String none) {
        for (int attempt = 0; ; attempt++) {
            try {
                List<WebElement> found = browser.findElements(by);
                return found.isEmpty() ? none : found.get(0).getText();
            } catch (StaleElementReferenceException e) {
                if (attempt == 10) {
                    throw e;
                }
            }
        }
    }

    private void click(String css) {
        await("a clickable " + css, ExpectedConditions.elementToBeClickable(By.cssSelector(css))).click();
    }

    private static PingOutput ping(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("ping", "-n"));
        cmd.addAll(List.of(args));
        return PingOutput.parse(Netns.run(60, cmd.toArray(new String[0])).output());
    }

    /** The newest event in the strip about {@code entry}, or "" when there is none. */
    private String newestEvent(String entry) {
        return firstText(By.cssSelector("#events li[data-entry='" + entry + "']"), "");
    }

    private void search(String q) {
        WebElement box = browser.findElement(By.id("search"));
        box.clear();
        box.sendKeys(q, Keys.ENTER);
    }

    // ---- the page

    @Test
    @Order(1)
    void asksForTheTokenThenShowsTheConfiguredEntriesWithTheirStates() throws Exception {
        browser.get(BASE + "/");
        await("the token dialog", ExpectedConditions.visibilityOfElementLocated(By.id("token")));
        browser.findElement(By.id("token")).sendKeys("not-the-token", Keys.ENTER);
        await("the refusal", ExpectedConditions.visibilityOfElementLocated(By.id("token-error")));
        screenshot("lab-token.png");
        browser.findElement(By.id("token")).sendKeys(TOKEN, Keys.ENTER);
        await("the entries", ExpectedConditions.presenceOfElementLocated(By.cssSelector(row("198.18.128.21/32"))));

        assertEquals("down", text(row("198.18.128.20/32") + " .state"));
        assertEquals("unreachable", text(row("198.18.128.21/32") + " .state"));
        assertEquals("up", text(row("198.18.128.10/32") + " .state"));
        assertEquals("20ms", text(row("198.18.128.10/32") + " td:nth-child(3) .val"));
        assertTrue(text(row("198.18.128.30/32") + " .tags").contains("flapping"), "the flapping host says so");
        assertTrue(text(row("198.18.128.30/32") + " .timeline").contains("/2"), "its timeline's step");
        assertEquals("", text(row("198.18.128.31/32") + " .tags"), "a timeline of delays is not flapping");
        assertTrue(text(row("198.18.128.31/32") + " .timeline").matches("(?s)step [12]/2.*repeats"));
        assertEquals("128", text(row("198.18.128.64/28") + " td:nth-child(5)"));
        assertTrue(text(row("198.18.128.80/28") + " td:nth-child(4)").contains("5% in bursts"));
        assertTrue(text(row("198.18.128.254/32") + " td:nth-child(4)").contains("limit 10/s"));
        // 10,000 entries and more, one page of 50 in the page
        await("the summary", d -> text("#summary").startsWith("10,011 entries"));
        assertEquals(50, browser.findElements(By.cssSelector("#rows tr")).size());
        assertEquals("1–50 of 10,011", text("#range"));
        Object kept = ((JavascriptExecutor) browser).executeScript("return sessionStorage.getItem('tunecho.token')");
        assertEquals(TOKEN, kept, "the token is kept for the tab");
    }

    @Test
    @Order(2)
    void anEntryTakenDownFromThePageStopsAnswering() throws Exception {
        String target = "198.18.128.40/32";
        assertEquals(2, ping("-c", "2", "-i", "0.2", "198.18.128.40").received(), "up before");
        assertEquals("Take down", text(row(target) + " button[data-action='down']"));
        click(row(target) + " button[data-action='down']");
        await("the entry shown down", d -> "down".equals(text(row(target) + " .state")));
        assertTrue(text(row(target) + " .tags").contains("override"), text(row(target) + " .tags"));
        await("the change in the events strip", d -> newestEvent(target).contains("state: up -> down"));
        assertTrue(newestEvent(target).contains("api"), newestEvent(target));
        assertEquals(0, ping("-c", "3", "-i", "0.2", "-W", "1", "198.18.128.40").received(), "down: no answer");
        assertEquals("Bring up", text(row(target) + " button[data-action='up']"));
    }

    @Test
    @Order(3)
    void anEntryGetsADelayForAChosenTime() throws Exception {
        String target = "198.18.128.50/32";
        // from the keyboard: Enter on the focused button
        await("the edit button", ExpectedConditions.elementToBeClickable(By.cssSelector(
                row(target) + " button[data-action='change']"))).sendKeys(Keys.ENTER);
        await("the edit dialog", ExpectedConditions.visibilityOfElementLocated(By.id("edit-delay")));
        browser.findElement(By.id("edit-delay")).sendKeys("10");
        new Select(browser.findElement(By.id("edit-for"))).selectByValue("30s");
        click("#edit-apply");
        await("the API's refusal in the dialog", d -> text("#edit-error") != null && text("#edit-error")
                .contains("delay '10' is not a duration"));
        screenshot("lab-edit.png");
        browser.findElement(By.id("edit-delay")).sendKeys("0ms", Keys.ENTER); // "100ms"
        await("the delay", d -> "100ms".equals(text(row(target) + " td:nth-child(3) .val")));
        await("the override's time left", d -> text(row(target) + " .tags").matches("(?s).*override · [0-9]+s left.*"));
        assertTrue(newestEvent(target).contains("delay: 0s -> 100ms"), newestEvent(target));
        PingOutput p = ping("-c", "2", "-i", "0.2", "198.18.128.50");
        assertEquals(2, p.received(), p.text());
        assertTrue(p.medianMillis() >= 100, p.text());
    }

    @Test
    @Order(4)
    void sparklinesDrawRepliesPerSecond() {
        // 198.18.128.10 is pinged ten times a second since the start
        await("a rate near 10/s", d -> {
            String rate = browser.findElement(By.cssSelector(row("198.18.128.10/32") + " .spark-cell"))
                    .getAttribute("data-rate");
            return rate != null && Double.parseDouble(rate) > 5 && Double.parseDouble(rate) < 15;
        });
        WebElement spark = browser.findElement(By.cssSelector(row("198.18.128.10/32") + " svg.spark"));
        assertTrue(spark.getAttribute("aria-label").matches("replies per second: [0-9.]+/s now, .*"),
                spark.getAttribute("aria-label"));
        assertFalse(browser.findElement(By.cssSelector(row("198.18.128.10/32") + " path.line")).getAttribute("d")
                .isEmpty());
        assertEquals("0/s", text(row("198.18.128.20/32") + " .rate"), "nothing answers for a host that is down");
    }

    @Test
    @Order(4)
    void eachEntrySaysHowOftenItIsProbedAndMarksWhatNobodyProbes() {
        // 198.18.128.10 is pinged ten times a second from the interface's address; nobody pings 198.18.128.31
        await("the probe line of a pinged host", d -> text(row("198.18.128.10/32") + " .probed")
                .matches("probed every 0\\.1 s by 198\\.18\\.128\\.1"));
        assertEquals("never probed", text(row("198.18.128.31/32") + " .probed.unprobed"));
    }

    @Test
    @Order(4)
    void theScenarioIsATimelineWithItsResults() {
        await("the scenario's timeline", d -> "lab-drill".equals(text("#scenario-name"))
                && d.findElements(By.cssSelector("#scenario-steps .scenario-step")).size() == 2);
        // nobody pings 198.18.128.50: its probed 1s fails about 2 s after the start, with the gap it measured
        await("the failed expectation", d -> String.valueOf(text("#scenario-steps .scenario-step:nth-child(2) .result"))
                .matches("probed 1s: failed [0-9.]+ s"));
        assertTrue(text("#scenario-steps .scenario-step:nth-child(1) .result").startsWith("probed 5s: pending"),
                text("#scenario-steps .scenario-step:nth-child(1) .result"));
        assertTrue(text("#scenario-counts").startsWith("0 passed, 1 failed, 1 pending"), text("#scenario-counts"));
    }

    @Test
    @Order(5)
    void anAddressFindsTheEntryThatAnswersIt() {
        ((JavascriptExecutor) browser).executeScript("document.activeElement.blur()");
        new Actions(browser).sendKeys("/").perform();
        assertEquals("search", browser.switchTo().activeElement().getAttribute("id"), "/ jumps to the search box");
        search("198.18.170.33");
        await("the answer", d -> text("#answer").equals("198.18.170.33 is answered by 198.18.170.33/32"));
        await("its row", d -> browser.findElements(By.cssSelector(row("198.18.170.33/32") + ".answers")).size() == 1);
        search("198.18.128.70");
        await("the entry of a prefix", d -> text("#answer").equals("198.18.128.70 is answered by 198.18.128.64/28"));
        await("two entries contain it", d -> "1–2 of 2 matching".equals(text("#range")));
        search("flaky");
        await("a profile", d -> "1–1 of 1 matching".equals(text("#range")));
        assertEquals("", text("#answer"), "a profile is not an address");
        search("");
        await("all entries", d -> "1–50 of 10,011".equals(text("#range")));
        click("#next");
        await("the second page", d -> "51–100 of 10,011".equals(text("#range")));
        assertEquals(50, browser.findElements(By.cssSelector("#rows tr")).size());
        click("#last");
        await("the last page", d -> "10,001–10,011 of 10,011".equals(text("#range")));
        click("#first");
        await("the first page", d -> "1–50 of 10,011".equals(text("#range")));
    }

    @Test
    @Order(6)
    void aTokenInTheAddressIsKeptAndTakenOutOfTheAddressBar() {
        String first = browser.getWindowHandle();
        browser.switchTo().newWindow(WindowType.TAB);
        try {
            browser.get(BASE + "/?token=" + TOKEN);
            await("the entries", ExpectedConditions.presenceOfElementLocated(By.cssSelector(row("198.18.128.20/32"))));
            assertEquals(BASE + "/", browser.getCurrentUrl());
            assertFalse(browser.findElement(By.id("token-dialog")).isDisplayed());
        } finally {
            browser.close();
            browser.switchTo().window(first);
        }
    }

    @Test
    @Order(7)
    void aScreenshotForAPersonToLookAt() throws Exception {
        await("the sparklines of twenty seconds and more", d -> browser.findElements(By.cssSelector(
                row("198.18.128.30/32") + " path.line")).get(0).getAttribute("d").split("L").length > 20);
        screenshot("lab-page.png");
    }

    /** Saves what the browser shows to {@code target/NAME}. */
    private void screenshot(String name) throws IOException {
        Path png = Path.of(System.getProperty("tunecho.jar", "target/tunecho.jar")).resolveSibling(name);
        Files.write(png, ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
        assertTrue(Files.size(png) > 10_000, png + " is too small to show the page");
    }

    @Test
    @Order(8)
    void resetRemovesEveryOverride() throws Exception {
        click("#reset");
        await("the question", ExpectedConditions.alertIsPresent()).accept();
        await("the entry up again", d -> "up".equals(text(row("198.18.128.40/32") + " .state")));
        assertEquals("", text(row("198.18.128.40/32") + " .tags"));
        await("the reset in the events strip", d -> newestEvent("198.18.128.40/32").contains("state: down -> up"));
        assertEquals(2, ping("-c", "2", "-i", "0.2", "198.18.128.40").received(), "answers again");
    }
}
