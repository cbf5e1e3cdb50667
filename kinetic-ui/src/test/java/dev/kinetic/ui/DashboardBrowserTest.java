package dev.kinetic.ui;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.BatchHandle;
import dev.kinetic.Cleanup;
import dev.kinetic.JobHandle;
import dev.kinetic.JobStatus;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Function;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.NoAlertPresentException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The dashboard in a real browser (Debian's headless Chromium, driven by Selenium) over real local jobs: what a person
 * watching a training run sees. Pages are never reloaded by the tests: a marker set in the page before a job starts
 * must still be there when the page shows it, so every change arrived live.
 */
class DashboardBrowserTest {
    /** Generous: jobs start two JVMs each, and the machine is shared with other builds. */
    private static final Duration WAIT = Duration.ofSeconds(90);

    @TempDir
    static Path tmp;

    private static DashboardFixture dashboard;
    private static HeadlessChromium chromium;
    private static ChromeDriver browser;

    @BeforeAll
    static void start() throws Exception {
        String missing = HeadlessChromium.missing().orElse(null);
        // CI installs Chromium (.ci/run): there a missing browser is a broken setup, not a reason to skip.
        assertThat(missing == null || !"true".equals(System.getenv("CI")))
                .as("CI=true but %s", missing)
                .isTrue();
        Assumptions.assumeTrue(missing == null, missing);
        dashboard = new DashboardFixture(tmp.resolve("kinetic"));
        chromium = HeadlessChromium.start(tmp.resolve("chromium-profile"));
        browser = chromium.driver();
    }

    @AfterAll
    static void stop() {
        if (chromium != null) {
            chromium.close();
        }
        if (dashboard != null) {
            dashboard.close();
        }
    }

    @BeforeEach
    void noAlertLeftOver() {
        assertNoAlert();
    }

    @Test
    void aRunningJobAppearsOnTheJobsPageWithoutAReload() {
        open("/");
        markPage();
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.printLines(300, 100)).runAsync();
        try {
            String row = "tr[data-job-id='" + job.id() + "'] ";
            waitFor(b -> b.findElement(By.cssSelector(row + "td.status [data-status='RUNNING']")));
            assertThat(text(row + "td.status")).isEqualTo("RUNNING");
            assertThat(text(row + "td.function")).isEqualTo(job.functionName());
            assertThat(text(row + "td.accelerator")).isEqualTo("cpu");
            assertThat(attribute(row + "a.job-link", "href")).endsWith("/jobs/" + job.id());
            assertPageNotReloaded();
        } finally {
            job.cancel();
        }
    }

    @Test
    void theLogGrowsOnTheJobPageWhileTheJobRuns() {
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.printLines(600, 200)).runAsync();
        try {
            open("/jobs/" + job.id());
            markPage();
            waitFor(b -> logLines() >= 3);
            int seen = logLines();
            waitFor(b -> logLines() >= seen + 5);
            List<WebElement> lines = browser.findElements(By.cssSelector("#log .line"));
            assertThat(lines.get(0).getText()).isEqualTo("line 1 of 600");
            assertThat(browser.findElement(By.id("log-state")).getText()).contains("following live");
            assertThat(job.status()).isEqualTo(JobStatus.RUNNING);
            assertPageNotReloaded();
        } finally {
            job.cancel();
        }
    }

    @Test
    void cancelTurnsTheJobCancelled() {
        JobHandle<Integer> job =
                dashboard.session().remote(() -> TestJobs.printLines(600, 100)).runAsync();
        open("/jobs/" + job.id());
        markPage();
        waitFor(b -> logLines() >= 1); // running, its log on the page
        WebElement cancel = browser.findElement(By.id("cancel"));
        assertThat(cancel.isEnabled()).isTrue();
        cancel.click();
        waitFor(b -> b.findElement(By.cssSelector("#job-status [data-status='CANCELLED']")));
        assertThat(job.status()).isEqualTo(JobStatus.CANCELLED);
        waitFor(b -> !b.findElement(By.id("cancel")).isEnabled());
        assertPageNotReloaded();
    }

    @Test
    void aFailedJobShowsItsReasonAndRemoteStackTrace() {
        JobHandle<Integer> job = dashboard
                .session()
                .remote(() -> TestJobs.failWith("bad learning rate"))
                .runAsync();
        open("/jobs/" + job.id());
        waitFor(b -> b.findElement(By.id("failure-reason")));
        assertThat(text("#failure-reason"))
                .contains("in execute", "java.lang.IllegalStateException: bad learning rate");
        assertThat(browser.findElement(By.id("stack-trace")).getText())
                .contains("bad learning rate", "TestJobs.failWith");
        assertThat(text("#job-status [data-status]")).isEqualTo("FAILED");

        open("/?status=FAILED&q=" + job.id());
        assertThat(text("tr[data-job-id='" + job.id() + "'] td.reason")).contains("bad learning rate");
        assertThat(browser.findElement(By.id("filter-status")).getAttribute("value"))
                .isEqualTo("FAILED");
    }

    @Test
    void aBatchsProgressBarReachesItsTotal() {
        BatchHandle<Integer> batch = dashboard
                .session()
                .remote((Integer n) -> TestJobs.printLines(n, 300))
                .runAsyncMap(List.of(2, 4, 6));
        open("/batches");
        markPage();
        String bar = "tr[data-batch-id='" + batch.id() + "'] [role='progressbar']";
        assertThat(attribute(bar, "aria-valuemax")).isEqualTo("3");
        waitFor(b -> "3".equals(b.findElement(By.cssSelector(bar)).getAttribute("aria-valuenow")));
        assertThat(text("tr[data-batch-id='" + batch.id() + "'] .progress-text"))
                .startsWith("3/3 ended")
                .contains("3 SUCCEEDED");
        assertPageNotReloaded();

        open("/batches/" + batch.id());
        waitFor(b -> b.findElements(By.cssSelector("#inputs a.job-link")).size() == 3);
        List<WebElement> links = browser.findElements(By.cssSelector("#inputs a.job-link"));
        for (int i = 0; i < 3; i++) {
            assertThat(links.get(i).getText())
                    .isEqualTo(batch.jobs().get(i).orElseThrow().id());
        }
        assertThat(browser.findElement(By.cssSelector("#batch-progress [role='progressbar']"))
                        .getAttribute("aria-valuenow"))
                .isEqualTo("3");
    }

    @Test
    void aLabelWithMarkupShowsAsTextAndNeverRuns() {
        String script = "<script>alert(1)</script>";
        String image = "<img src=x onerror=alert(2)>";
        JobHandle<Integer> job = dashboard
                .session()
                .remote(() -> TestJobs.printLines(1, 0))
                .label("note", script)
                .label("pic", image)
                .runAsync();
        job.result(WAIT, Cleanup.NONE);

        open("/");
        String labels = "tr[data-job-id='" + job.id() + "'] td.labels";
        waitFor(b -> b.findElement(By.cssSelector(labels)));
        assertThat(text(labels)).contains("note=" + script, "pic=" + image);
        assertThat(browser.findElements(By.cssSelector(labels + " script, " + labels + " img")))
                .isEmpty();
        assertNoAlert();

        open("/jobs/" + job.id());
        String field = "tr[data-field='labels'] td";
        waitFor(b -> b.findElement(By.cssSelector(field)).getText().contains(script));
        assertThat(text(field)).contains("note=" + script, "pic=" + image);
        assertThat(browser.findElements(By.cssSelector("main script, main img")))
                .isEmpty();
        assertNoAlert();
    }

    @Test
    void boundBeyondLoopbackARequestWithoutTheTokenIsRefused() throws Exception {
        try (DashboardFixture open = new DashboardFixture(tmp.resolve("open"), b -> b.bind("0.0.0.0"))) {
            String token = open.server().token().orElseThrow();
            URI page = open.url("/");

            browser.get(page.toString());
            assertThat(browser.findElement(By.tagName("body")).getText()).contains("401", "needs its token");
            assertThat(browser.findElements(By.id("jobs"))).isEmpty();

            HttpResponse<String> refused = HttpClient.newHttpClient()
                    .send(HttpRequest.newBuilder(open.url("/api/jobs")).build(), HttpResponse.BodyHandlers.ofString());
            assertThat(refused.statusCode()).isEqualTo(401);

            // The printed URL carries the token once: the server swaps it for a cookie and drops it from the address.
            browser.get(open.url("/?token=" + token).toString());
            waitFor(b -> b.findElement(By.id("jobs")));
            assertThat(browser.getCurrentUrl()).isEqualTo(page.toString()).doesNotContain(token);
            waitFor(b -> b.findElement(By.id("updated")).getText().startsWith("updated"));
            assertThat(browser.findElement(By.id("error")).isDisplayed()).isFalse();
        }
    }

    // ---- helpers ----

    private static void open(String path) {
        browser.get(dashboard.url(path).toString());
    }

    /** Sets a variable that only survives as long as the page is not reloaded. */
    private static void markPage() {
        ((JavascriptExecutor) browser).executeScript("window.kineticTestMarker = 'still here';");
    }

    private static void assertPageNotReloaded() {
        assertThat(((JavascriptExecutor) browser).executeScript("return window.kineticTestMarker;"))
                .as("the page was updated in place, not reloaded")
                .isEqualTo("still here");
    }

    /** The text of the element {@code css} names, found afresh (a page may rebuild it between polls). */
    private static String text(String css) {
        Function<WebDriver, String> read =
                b -> b.findElement(By.cssSelector(css)).getText();
        return waitFor(read);
    }

    private static String attribute(String css, String name) {
        Function<WebDriver, String> read =
                b -> b.findElement(By.cssSelector(css)).getAttribute(name);
        return waitFor(read);
    }

    private static int logLines() {
        return browser.findElements(By.cssSelector("#log .line")).size();
    }

    private static <T> T waitFor(Function<WebDriver, T> condition) {
        return new WebDriverWait(browser, WAIT)
                .pollingEvery(Duration.ofMillis(200))
                .ignoring(org.openqa.selenium.NoSuchElementException.class)
                .ignoring(org.openqa.selenium.StaleElementReferenceException.class)
                .until(condition::apply);
    }

    private static void assertNoAlert() {
        try {
            String text = browser.switchTo().alert().getText();
            throw new AssertionError("an alert opened: " + text);
        } catch (NoAlertPresentException expected) {
            // nothing ran
        }
    }
}
