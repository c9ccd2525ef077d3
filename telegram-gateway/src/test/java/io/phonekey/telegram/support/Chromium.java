package io.phonekey.telegram.support;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * Headless Debian Chromium driven by Selenium, for browser tests of the Telegram WebApp pages.
 *
 * <p>
 * Fully offline: the chromium binary and chromedriver are given explicitly, so Selenium Manager is
 * never consulted (it would try to download a driver), and requests to telegram.org are blocked via
 * CDP so the page never waits on the real {@code telegram-web-app.js}.
 *
 * <pre>
 * Chromium.ensureInstalled();
 * try (Chromium c = Chromium.start()) {
 *     c.stubTelegramWebApp("query_id=...&amp;hash=...");
 *     c.open(baseUrl + "/telegram/app/verify?v=abc&amp;c=123456");
 *     c.type("phone", "+491511234567");
 *     c.click("submit");
 *     assertTrue(c.waitVisible("success", Duration.ofSeconds(5)).getText().contains("Account linked"));
 * }
 * </pre>
 */
public final class Chromium implements AutoCloseable {

    public static final Path CHROMIUM = Path.of(System.getProperty("chromium.binary", "/usr/bin/chromium"));
    public static final Path CHROMEDRIVER = Path.of(System.getProperty("chromedriver.binary", "/usr/bin/chromedriver"));
    public static final int WIDTH = 390;
    public static final int HEIGHT = 844;
    public static final double PIXEL_RATIO = 1.0;
    /** Blocked by default: the real Telegram WebApp script (tests stub {@code window.Telegram} instead). */
    public static final List<String> DEFAULT_BLOCKED = List.of("*telegram.org*");

    // Held in static fields: JUL keeps loggers weakly, a level set on a temporary Logger can be lost.
    private static final Logger SELENIUM_LOG = Logger.getLogger("org.openqa.selenium");
    // "Unable to find CDP implementation matching 156": harmless, we only use executeCdpCommand
    // (raw CDP through chromedriver), which needs no selenium-devtools-vNNN module.
    private static final Logger CDP_FINDER_LOG = Logger.getLogger("org.openqa.selenium.devtools.CdpVersionFinder");

    static {
        SELENIUM_LOG.setLevel(Level.WARNING);
        CDP_FINDER_LOG.setLevel(Level.SEVERE);
    }

    private final ChromeDriver driver;
    private final List<String> injectedScriptIds = new ArrayList<>();
    private final List<String> blocked = new ArrayList<>(DEFAULT_BLOCKED);

    private Chromium(ChromeDriver driver) {
        this.driver = driver;
        driver.executeCdpCommand("Network.enable", Map.of());
        applyBlockedUrls();
    }

    /** Starts headless Chromium with a phone-sized window (390x844). */
    public static Chromium start() {
        ensureInstalled();
        // Belt and braces: Selenium Manager is skipped anyway because the driver executable is given,
        // but if anything ever falls back to it, it must not go online.
        System.setProperty("webdriver.chrome.driver", CHROMEDRIVER.toString());
        System.setProperty("SE_OFFLINE", "true");

        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox", // we run as root in CI
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--window-size=" + WIDTH + "," + HEIGHT,
                "--no-first-run",
                "--no-default-browser-check",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--disable-quic",
                "--disable-extensions",
                "--lang=en-US");
        // Headless Chrome will not make a window narrower than 500 CSS px, so --window-size alone
        // gives innerWidth 500. ChromeDriver's mobile emulation pins the viewport to the phone size
        // (also sets touch + mobile viewport semantics, like the Telegram in-app webview).
        options.setExperimentalOption("mobileEmulation", Map.of(
                "deviceMetrics",
                Map.of("width", WIDTH, "height", HEIGHT, "pixelRatio", PIXEL_RATIO, "touch", true, "mobile", true)));

        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile())
                .usingAnyFreePort()
                .withSilent(true)
                .build();
        return new Chromium(new ChromeDriver(service, options));
    }

    /**
     * Makes sure Debian's chromium and chromium-driver are installed. As root it installs them with
     * apt-get; otherwise it throws, saying what to install.
     */
    public static synchronized void ensureInstalled() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) {
            return;
        }
        String missing = (Files.isExecutable(CHROMIUM) ? "" : CHROMIUM + " ")
                + (Files.isExecutable(CHROMEDRIVER) ? "" : CHROMEDRIVER.toString());
        if (!isRoot()) {
            throw new IllegalStateException("Browser tests need Debian's Chromium and ChromeDriver (missing: "
                    + missing.trim() + "). Install them with: sudo apt-get update && "
                    + "sudo apt-get install -y chromium chromium-driver");
        }
        run(List.of("apt-get", "update"), 10);
        run(List.of("apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"), 15);
        if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(CHROMEDRIVER)) {
            throw new IllegalStateException("apt-get install chromium chromium-driver finished but "
                    + CHROMIUM + " or " + CHROMEDRIVER + " is still missing");
        }
    }

    private static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return Integer.valueOf(0).equals(uid);
        } catch (Exception e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void run(List<String> command, int timeoutMinutes) {
        ProcessBuilder pb = new ProcessBuilder(command).inheritIO();
        pb.environment().put("DEBIAN_FRONTEND", "noninteractive");
        try {
            Process p = pb.start();
            if (!p.waitFor(timeoutMinutes, TimeUnit.MINUTES)) {
                p.destroyForcibly();
                throw new IllegalStateException(String.join(" ", command) + " timed out");
            }
            if (p.exitValue() != 0) {
                throw new IllegalStateException(String.join(" ", command) + " failed with exit code "
                        + p.exitValue() + "; install chromium and chromium-driver by hand");
            }
        } catch (IOException e) {
            throw new IllegalStateException("Could not run " + String.join(" ", command), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while running " + String.join(" ", command), e);
        }
    }

    /** Runs {@code js} in every new document before any of the page's own scripts. */
    public Chromium injectBeforePageScripts(String js) {
        Map<String, Object> result = driver.executeCdpCommand("Page.addScriptToEvaluateOnNewDocument",
                Map.of("source", js));
        injectedScriptIds.add(String.valueOf(result.get("identifier")));
        return this;
    }

    /** Removes everything added with {@link #injectBeforePageScripts} (takes effect on the next navigation). */
    public Chromium clearInjectedScripts() {
        for (String id : injectedScriptIds) {
            driver.executeCdpCommand("Page.removeScriptToEvaluateOnNewDocument", Map.of("identifier", id));
        }
        injectedScriptIds.clear();
        return this;
    }

    /**
     * Stubs the Telegram WebApp object with the given initData. {@code window.__tgCalls} records the
     * calls made to it (e.g. "ready", "expand", "haptic:success").
     */
    public Chromium stubTelegramWebApp(String initData) {
        String js = "(() => {\n"
                + "  const calls = [];\n"
                + "  Object.defineProperty(window, '__tgCalls', {value: calls});\n"
                + "  window.Telegram = {WebApp: {\n"
                + "    initData: " + jsString(initData) + ",\n"
                + "    initDataUnsafe: {},\n"
                + "    ready() { calls.push('ready'); },\n"
                + "    expand() { calls.push('expand'); },\n"
                + "    close() { calls.push('close'); },\n"
                + "    HapticFeedback: {notificationOccurred(t) { calls.push('haptic:' + t); }}\n"
                + "  }};\n"
                + "})();";
        return injectBeforePageScripts(js);
    }

    /** Blocks requests whose URL matches any of the wildcard patterns (in addition to telegram.org). */
    public Chromium blockUrls(String... patterns) {
        blocked.addAll(List.of(patterns));
        applyBlockedUrls();
        return this;
    }

    /** Back to blocking only telegram.org. */
    public Chromium resetBlockedUrls() {
        blocked.clear();
        blocked.addAll(DEFAULT_BLOCKED);
        applyBlockedUrls();
        return this;
    }

    private void applyBlockedUrls() {
        driver.executeCdpCommand("Network.setBlockedURLs", Map.of("urls", List.copyOf(blocked)));
    }

    public Chromium open(String url) {
        driver.get(url);
        return this;
    }

    public WebElement byId(String id) {
        return driver.findElement(By.id(id));
    }

    /** Clears the input and types {@code text} into it. */
    public Chromium type(String id, String text) {
        WebElement e = byId(id);
        e.clear();
        e.sendKeys(text);
        return this;
    }

    public Chromium click(String id) {
        byId(id).click();
        return this;
    }

    public String text(String id) {
        return byId(id).getText();
    }

    public String value(String id) {
        return byId(id).getDomProperty("value");
    }

    public boolean isVisible(String id) {
        return byId(id).isDisplayed();
    }

    public boolean isEnabled(String id) {
        return byId(id).isEnabled();
    }

    public WebElement waitVisible(String id, Duration timeout) {
        return new WebDriverWait(driver, timeout, Duration.ofMillis(50))
                .until(ExpectedConditions.visibilityOfElementLocated(By.id(id)));
    }

    public Object script(String js, Object... args) {
        return ((JavascriptExecutor) driver).executeScript(js, args);
    }

    /** Saves a PNG of the viewport to {@code target} (parent directories are created). */
    public Path screenshot(Path target) {
        File png = driver.getScreenshotAs(OutputType.FILE);
        try {
            if (target.getParent() != null) {
                Files.createDirectories(target.getParent());
            }
            Files.move(png.toPath(), target, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new IllegalStateException("Could not write screenshot " + target, e);
        }
        return target;
    }

    public ChromeDriver driver() {
        return driver;
    }

    @Override
    public void close() {
        driver.quit();
    }

    private static String jsString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char ch : s.toCharArray()) {
            switch (ch) {
                case '"' -> b.append("\\\"");
                case '\\' -> b.append("\\\\");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '<' -> b.append("\\u003c");
                case '\u2028' -> b.append("\\u2028");
                case '\u2029' -> b.append("\\u2029");
                default -> b.append(ch);
            }
        }
        return b.append('"').toString();
    }
}
