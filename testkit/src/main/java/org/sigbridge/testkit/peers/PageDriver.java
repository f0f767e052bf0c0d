package org.sigbridge.testkit.peers;

import java.net.URL;
import java.util.List;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.Point;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.logging.Logs;

/**
 * The Selenium {@link WebDriver} face of one {@link ChromiumPage}, kept so that tests written against WebDriver (page
 * loads, window size, {@link TakesScreenshot}, {@link JavascriptExecutor#executeScript}) still run now that pages are
 * driven over the Chrome DevTools Protocol. What has no DevTools counterpart here (element finding, frames, cookies,
 * other windows, asynchronous scripts) throws {@link UnsupportedOperationException} saying to use
 * {@link ChromiumPage#eval}.
 *
 * <p>Same threading and lifetime as its page; {@link #quit()} and {@link #close()} close the page.
 */
final class PageDriver implements WebDriver, JavascriptExecutor, TakesScreenshot {
    private final ChromiumPage page;

    PageDriver(ChromiumPage page) {
        this.page = page;
    }

    private static UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(what + " is not supported: testkit drives Chromium over DevTools; "
                + "use ChromiumPage.eval");
    }

    @Override
    public void get(String url) {
        page.navigate(url);
    }

    @Override
    public String getCurrentUrl() {
        return (String) page.eval("return location.href;");
    }

    @Override
    public String getTitle() {
        return (String) page.eval("return document.title;");
    }

    @Override
    public String getPageSource() {
        return (String) page.eval("return document.documentElement.outerHTML;");
    }

    @Override
    public List<WebElement> findElements(By by) {
        throw unsupported("findElements");
    }

    @Override
    public WebElement findElement(By by) {
        throw unsupported("findElement");
    }

    @Override
    public void close() {
        page.close();
    }

    @Override
    public void quit() {
        page.close();
    }

    @Override
    public Set<String> getWindowHandles() {
        return Set.of(page.targetId());
    }

    @Override
    public String getWindowHandle() {
        return page.targetId();
    }

    @Override
    public TargetLocator switchTo() {
        throw unsupported("switchTo");
    }

    @Override
    public Navigation navigate() {
        return new Navigation() {
            @Override
            public void to(String url) {
                page.navigate(url);
            }

            @Override
            public void to(URL url) {
                page.navigate(url.toString());
            }

            @Override
            public void back() {
                throw unsupported("navigate().back");
            }

            @Override
            public void forward() {
                throw unsupported("navigate().forward");
            }

            @Override
            public void refresh() {
                throw unsupported("navigate().refresh");
            }
        };
    }

    @Override
    public Options manage() {
        return new PageOptions();
    }

    @Override
    public Object executeScript(String script, Object... args) {
        return page.eval(script, args);
    }

    @Override
    public Object executeAsyncScript(String script, Object... args) {
        throw unsupported("executeAsyncScript");
    }

    /** A PNG of the page's viewport, as {@code Page.captureScreenshot} makes it. */
    @Override
    public <X> X getScreenshotAs(OutputType<X> target) {
        return target.convertFromBase64Png(page.command("Page.captureScreenshot",
                CdpConnection.params().put("format", "png")).path("data").asText());
    }

    private final class PageOptions implements Options {
        @Override
        public Window window() {
            return new PageWindow();
        }

        @Override
        public void addCookie(Cookie cookie) {
            throw unsupported("addCookie");
        }

        @Override
        public void deleteCookieNamed(String name) {
            throw unsupported("deleteCookieNamed");
        }

        @Override
        public void deleteCookie(Cookie cookie) {
            throw unsupported("deleteCookie");
        }

        @Override
        public void deleteAllCookies() {
            throw unsupported("deleteAllCookies");
        }

        @Override
        public Set<Cookie> getCookies() {
            throw unsupported("getCookies");
        }

        @Override
        public Cookie getCookieNamed(String name) {
            throw unsupported("getCookieNamed");
        }

        @Override
        public Timeouts timeouts() {
            throw unsupported("timeouts");
        }

        @Override
        public Logs logs() {
            throw unsupported("logs");
        }
    }

    /** The tab's window, through {@code Browser.getWindowForTarget} and {@code Browser.setWindowBounds}. */
    private final class PageWindow implements Window {
        private JsonNode window() {
            return page.browserCommand("Browser.getWindowForTarget",
                    CdpConnection.params().put("targetId", page.targetId()));
        }

        private void bounds(ObjectNode bounds) {
            ObjectNode params = CdpConnection.params().put("windowId", window().path("windowId").asInt());
            params.set("bounds", bounds);
            page.browserCommand("Browser.setWindowBounds", params);
        }

        @Override
        public Dimension getSize() {
            JsonNode bounds = window().path("bounds");
            return new Dimension(bounds.path("width").asInt(), bounds.path("height").asInt());
        }

        @Override
        public void setSize(Dimension size) {
            bounds(CdpConnection.params().put("width", size.getWidth()).put("height", size.getHeight()));
        }

        @Override
        public Point getPosition() {
            JsonNode bounds = window().path("bounds");
            return new Point(bounds.path("left").asInt(), bounds.path("top").asInt());
        }

        @Override
        public void setPosition(Point position) {
            bounds(CdpConnection.params().put("left", position.getX()).put("top", position.getY()));
        }

        @Override
        public void maximize() {
            bounds(CdpConnection.params().put("windowState", "maximized"));
        }

        @Override
        public void minimize() {
            bounds(CdpConnection.params().put("windowState", "minimized"));
        }

        @Override
        public void fullscreen() {
            bounds(CdpConnection.params().put("windowState", "fullscreen"));
        }
    }
}
