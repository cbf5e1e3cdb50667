package dev.kinetic.ui;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Debian's headless Chromium driven by its own chromedriver, through Selenium: nothing is downloaded (no Selenium
 * Manager, no browser build). {@code KINETIC_CHROMIUM} and {@code KINETIC_CHROMEDRIVER} point elsewhere if needed.
 * The flags keep Chromium off the network it has no business with (this machine refuses those connections) and
 * give it a fresh profile.
 */
final class HeadlessChromium implements AutoCloseable {
    static final Path BROWSER = Path.of(envOr("KINETIC_CHROMIUM", "/usr/bin/chromium"));
    static final Path DRIVER = Path.of(envOr("KINETIC_CHROMEDRIVER", "/usr/bin/chromedriver"));

    private final ChromeDriver driver;

    private HeadlessChromium(ChromeDriver driver) {
        this.driver = driver;
    }

    /** Why the browser tests cannot run here, or empty when they can. */
    static Optional<String> missing() {
        if (!Files.isExecutable(BROWSER) || !Files.isExecutable(DRIVER)) {
            return Optional.of("Chromium is missing (" + BROWSER + ", " + DRIVER + "): install Debian's chromium and "
                    + "chromium-driver (.ci/run does), or set KINETIC_CHROMIUM and KINETIC_CHROMEDRIVER");
        }
        return Optional.empty();
    }

    static HeadlessChromium start(Path profile) throws IOException {
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(DRIVER.toFile())
                .usingAnyFreePort()
                .build();
        ChromeOptions options = new ChromeOptions();
        options.setBinary(BROWSER.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--window-size=1400,1000",
                "--user-data-dir=" + Files.createDirectories(profile));
        ChromeDriver driver = new ChromeDriver(service, options);
        driver.manage().timeouts().pageLoadTimeout(Duration.ofSeconds(60));
        driver.manage().timeouts().scriptTimeout(Duration.ofSeconds(30));
        return new HeadlessChromium(driver);
    }

    ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static String envOr(String name, String fallback) {
        String value = System.getenv(name);
        return value == null || value.isEmpty() ? fallback : value;
    }
}
