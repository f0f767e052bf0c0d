package org.sigbridge.testkit.peers;

import java.time.Duration;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.TimeoutException;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebDriverException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * One browser session opened by {@link Chromium#open(String)}. Used from one test thread; closed by its
 * {@link Chromium} (or earlier by {@link #close()}, idempotent).
 */
public final class ChromiumPage implements AutoCloseable {
    private final ChromeDriver driver;
    private boolean closed;

    ChromiumPage(ChromeDriver driver) {
        this.driver = driver;
    }

    /** The Selenium driver of this session, for anything beyond {@link #eval} and {@link #waitFor}. */
    public WebDriver driver() {
        return driver;
    }

    /** Navigates this session to {@code url} and blocks until the page has loaded. */
    public void navigate(String url) {
        driver.get(url);
    }

    /**
     * Runs {@code script} as the body of a function in the page (so use {@code return ...}) and returns its
     * value as Selenium converts it (Boolean, Long, Double, String, List, Map or null).
     */
    public Object eval(String script, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(script, args);
    }

    /**
     * Polls the JavaScript expression {@code condition} (every 50 ms) until it is truthy and returns its value.
     *
     * @throws AssertionError naming the condition and its last value if {@code timeout} passes first
     */
    public Object waitFor(String condition, Duration timeout) {
        String script = "return (" + condition + ");";
        try {
            return new WebDriverWait(driver, timeout, Duration.ofMillis(50)).until(d -> truthy(eval(script)));
        } catch (TimeoutException e) {
            throw new AssertionError("page condition not met within " + timeout + ": " + condition
                    + " (last value: " + eval(script) + ")", e);
        }
    }

    private static Object truthy(Object value) {
        if (value == null || Boolean.FALSE.equals(value) || "".equals(value)
                || (value instanceof Number n && n.doubleValue() == 0)) {
            return null;
        }
        return value;
    }

    /** Quits this session's browser. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            driver.quit();
        } catch (WebDriverException e) {
            // the browser may already be gone; quit() also stops chromedriver
        }
    }
}
