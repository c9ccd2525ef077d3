package io.phonekey.telegram.webapp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.telegram.support.Chromium;
import io.phonekey.telegram.support.TelegramStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;

/**
 * The link page as a person meets it, in a real headless Chromium at phone size: outside Telegram it says so; inside
 * (Telegram's WebApp object stubbed with initData signed for our bot) the code is pre-filled, and "Verify & link"
 * shows the success or the failure the service answered. Screenshots go to target/screenshots.
 */
@QuarkusTest
@QuarkusTestResource(TelegramStandIn.class)
@QuarkusTestResource(OtpStandIn.class)
class WebAppPageTest {

    private static Chromium browser;
    private static final Path SHOTS = Path.of("target", "screenshots");

    @TestHTTPResource("/telegram/app/verify")
    URI page;

    @BeforeAll
    static void start() throws Exception {
        Chromium.ensureInstalled();
        browser = Chromium.start();
        Files.createDirectories(SHOTS);
    }

    @AfterAll
    static void stop() {
        if (browser != null) {
            browser.close();
        }
    }

    private static String initData(long user) {
        Map<String, String> fields = new LinkedHashMap<>();
        fields.put("query_id", "AAH" + user);
        fields.put("user", "{\"id\":" + user + ",\"first_name\":\"Ana\",\"language_code\":\"en\"}");
        fields.put("auth_date", String.valueOf(Instant.now().getEpochSecond()));
        return InitData.sign(fields, TelegramStandIn.TOKEN);
    }

    @Test
    void outsideTelegramThePageSaysSoAndSendsNothing() {
        browser.clearInjectedScripts();
        browser.open(page + "?v=abc&c=123456");
        assertTrue(browser.waitVisible("outside", Duration.ofSeconds(10)).getText().contains("Telegram"));
        assertFalse(browser.isEnabled("submit"));
        browser.screenshot(SHOTS.resolve("outside.png"));
    }

    @Test
    void insideTelegramTheCodeIsPrefilledAndTheLinkSucceeds() {
        browser.clearInjectedScripts();
        browser.stubTelegramWebApp(initData(7001));
        browser.open(page + "?v=abc&c=" + OtpStandIn.GOOD_CODE);
        assertEquals(OtpStandIn.GOOD_CODE, browser.value("code"));
        browser.type("phone", TestPhones.fresh());
        browser.click("submit");
        assertTrue(browser.waitVisible("success", Duration.ofSeconds(10)).getText().contains("Account linked"));
        browser.screenshot(SHOTS.resolve("success.png"));
        assertEquals(7001L, OtpStandIn.CHECKS.get(OtpStandIn.CHECKS.size() - 1).at("/context/chat_id").asLong());
    }

    @Test
    void aWrongCodeShowsWhatIsWrongAndHowManyTriesAreLeft() {
        browser.clearInjectedScripts();
        browser.stubTelegramWebApp(initData(7002));
        browser.open(page + "?v=abc&c=000000");
        browser.type("phone", TestPhones.fresh());
        browser.click("submit");
        String error = browser.waitVisible("error", Duration.ofSeconds(10)).getText();
        assertTrue(error.contains("not right") && error.contains("4"), error);
        assertTrue(browser.isEnabled("submit"), "the user can try again");
        browser.screenshot(SHOTS.resolve("wrong-code.png"));
    }

    @Test
    void forgedLaunchDataIsRefused() {
        browser.clearInjectedScripts();
        browser.stubTelegramWebApp(initData(7003).replace("Ana", "Eve"));
        browser.open(page + "?v=abc&c=" + OtpStandIn.GOOD_CODE);
        browser.type("phone", TestPhones.fresh());
        browser.click("submit");
        assertTrue(browser.waitVisible("error", Duration.ofSeconds(10)).getText().contains("from Telegram"));
    }
}
