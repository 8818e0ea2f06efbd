package dev.agentgate.testing;

import java.io.File;
import java.time.Duration;
import org.openqa.selenium.By;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Debian's chromium driven by Debian's chromedriver, headless, for the tests of the gateway's web pages. The flags
 * that turn off Chromium's own background traffic keep it from trying hosts a closed network refuses.
 */
public final class HeadlessChromium {

    private static final String BINARY = "/usr/bin/chromium";
    private static final String DRIVER = "/usr/bin/chromedriver";
    private static final Duration PAGE_LOAD_TIMEOUT = Duration.ofSeconds(30);
    /** How long a page the last click led to may take to show an element (a form post or a redirect navigates). */
    private static final Duration ELEMENT_TIMEOUT = Duration.ofSeconds(20);

    private HeadlessChromium() {}

    /** A new browser with an empty profile; {@code quit()} it when done. */
    public static ChromeDriver start() {
        ChromeOptions options = new ChromeOptions()
                .setBinary(BINARY)
                .addArguments(
                        "--headless=new",
                        "--no-sandbox",
                        "--disable-dev-shm-usage",
                        "--disable-gpu",
                        "--no-first-run",
                        "--disable-background-networking",
                        "--disable-component-update",
                        "--disable-sync");
        ChromeDriver browser = new ChromeDriver(
                new ChromeDriverService.Builder()
                        .usingDriverExecutable(new File(DRIVER))
                        .build(),
                options);
        browser.manage().timeouts().pageLoadTimeout(PAGE_LOAD_TIMEOUT);
        return browser;
    }

    /**
     * The element {@code id} once the browser shows it. A click that posts a form or follows redirects returns before
     * the next page is loaded, so an element of that page is looked up only this way.
     */
    public static WebElement shown(WebDriver browser, String id) {
        return new WebDriverWait(browser, ELEMENT_TIMEOUT)
                .until(ExpectedConditions.presenceOfElementLocated(By.id(id)));
    }
}
