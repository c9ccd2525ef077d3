package io.phonekey.telegram.rest;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneNumbers;
import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.webapp.InitData;
import io.smallrye.mutiny.Uni;

/**
 * Linking from the Telegram WebApp (seed 000): the page the SMS link opens, and the call it makes. The initData proves
 * which Telegram user opened the page; the code is checked with otp-service with that chat in {@code context}, so
 * the approval ({@code otp.verified}) lets identity-service link exactly this chat; the confirmation comes back
 * through {@code account.linked}.
 */
@Path("/")
public class LinkResource {

    /** {@code POST /api/telegram/verify-phone-code}. */
    public record VerifyPhoneCode(String phoneNumber, String verificationCode, String initData,
            String verificationId) {
    }

    private static final String PAGE = page();

    private final TelegramConfig config;
    private final OtpGateway otp;

    public LinkResource(TelegramConfig config, OtpGateway otp) {
        this.config = config;
        this.otp = otp;
    }

    private static String page() {
        try (InputStream in = LinkResource.class.getResourceAsStream("/webapp/verify.html")) {
            return new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The page is static: it reads {@code v} and {@code c} itself, nothing from the URL is echoed by the server. */
    @GET
    @Path("/telegram/app/verify")
    @Produces(MediaType.TEXT_HTML)
    public Response verifyPage() {
        return Response.ok(PAGE).header("Cache-Control", "no-store").header("Referrer-Policy", "no-referrer")
                .header("X-Content-Type-Options", "nosniff")
                .header("Content-Security-Policy", "default-src 'none'; script-src 'unsafe-inline' "
                        + "https://telegram.org; style-src 'unsafe-inline'; connect-src 'self'; img-src 'self' data:; "
                        + "base-uri 'none'; form-action 'none'")
                .build();
    }

    @POST
    @Path("/api/telegram/verify-phone-code")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Uni<Map<String, Object>> verifyPhoneCode(VerifyPhoneCode body) {
        if (body == null) {
            throw Problem.badRequest("missing_body", "a JSON body is required");
        }
        InitData.WebAppUser user = InitData.validate(body.initData(), config.botToken().orElse(null),
                config.initDataMaxAge().toSeconds(), System.currentTimeMillis() / 1000);
        if (user == null) {
            throw new Problem(401, "invalid_init_data", "Unauthorized",
                    "open this page from Telegram: its launch data is missing, stale or not signed by our bot");
        }
        String phone = PhoneNumbers.parse(body.phoneNumber(), null, "phone_number").e164();
        if (body.verificationCode() == null || !body.verificationCode().matches("[0-9]{4,10}")) {
            throw Problem.field("verification_code", "verification_code must be 4 to 10 digits");
        }
        Map<String, Object> check = new LinkedHashMap<>();
        check.put("phone", phone);
        check.put("purpose", "link_telegram");
        check.put("code", body.verificationCode());
        // A private chat with the bot has the user's id as its chat id.
        check.put("context", Map.of("chat_id", user.id(), "telegram_user_id", user.id()));
        return otp.check(check).map(approved -> {
            Map<String, Object> answer = new LinkedHashMap<>();
            answer.put("success", true);
            answer.put("status", "verified");
            answer.put("message", "Code accepted; your account is being linked and the bot will confirm in the chat.");
            return answer;
        });
    }
}
