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

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.headers.Header;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import io.phonekey.contract.openapi.OpenApi;
import io.phonekey.contract.openapi.ProblemExamples;
import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.problem.ProblemDocument;
import io.phonekey.contract.text.PhoneNumbers;
import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.webapp.InitData;
import io.smallrye.mutiny.Uni;

/**
 * Linking from the Telegram WebApp: the page the SMS link opens, and the call it makes. The initData proves
 * which Telegram user opened the page; the code is checked with otp-service with that chat in {@code context}, so
 * the approval ({@code otp.verified}) lets identity-service link exactly this chat; the confirmation comes back
 * through {@code account.linked}.
 */
@Path("/")
@Tag(name = "linking")
public class LinkResource {

    /** {@code POST /api/telegram/verify-phone-code}. */
    @Schema(name = "VerifyPhoneCodeRequest", description = "The code from the SMS, with the WebApp's launch data")
    public record VerifyPhoneCode(
            @Schema(description = "The account's phone, international with +", required = true,
                    example = "+447400123456") String phoneNumber,
            @Schema(description = "The code from the SMS: 4 to 10 digits", required = true, pattern = "^[0-9]{4,10}$",
                    example = "123456") String verificationCode,
            @Schema(description = "Telegram.WebApp.initData exactly as the WebApp received it: signed by the bot, "
                    + "at most TELEGRAM_INIT_DATA_MAX_AGE (1 h) old", required = true,
                    example = "query_id=AAH...&user=%7B%22id%22%3A42%7D&auth_date=1764590400&hash=9f86d0...") String initData,
            @Schema(description = "The verification id from the link (v); not needed, the phone and purpose find "
                    + "the pending code", example = "0b9f5a3e-6f0e-4a53-9a43-3d4b1f2c7e10") String verificationId) {
    }

    /** The answer of {@code POST /api/telegram/verify-phone-code}. */
    @Schema(name = "PhoneCodeVerified", description = "The code is right: identity-service links the chat to the "
            + "account that asked for the code, and the bot confirms in the chat")
    public record Verified(
            @Schema(description = "Always true", required = true, example = "true") boolean success,
            @Schema(description = "Always verified", required = true, example = "verified") String status,
            @Schema(description = "For people", required = true,
                    example = "Code accepted; your account is being linked and the bot will confirm in the chat.") String message) {
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
    @SecurityRequirements({})
    @Operation(summary = "The WebApp link page",
            description = "The static page the link_telegram SMS links to (?v=<verification id>&c=<code>, read by the page itself, never echoed by the server). It asks Telegram for initData and posts verify-phone-code; opened outside Telegram it says so.")
    @APIResponse(responseCode = "200", description = "The page", headers = {
            @Header(name = "Cache-Control", description = "no-store", schema = @Schema(type = SchemaType.STRING)),
            @Header(name = "Content-Security-Policy",
                    description = "A strict policy: scripts only inline and from telegram.org",
                    schema = @Schema(type = SchemaType.STRING))},
            content = @Content(mediaType = MediaType.TEXT_HTML, schema = @Schema(type = SchemaType.STRING)))
    @APIResponse(responseCode = "406", description = "The Accept header does not admit text/html",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_ACCEPTABLE_NAME,
                            value = ProblemExamples.NOT_ACCEPTABLE)))
    @APIResponse(responseCode = "default", ref = "OtherProblem")
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
    @SecurityRequirements({})
    @Operation(summary = "Check a link code from the WebApp",
            description = "Checks the initData signature (Telegram's WebApp rules, with the bot token) and then the code with otp-service (purpose link_telegram, the Telegram user's chat in context). On approval identity-service links the chat and the bot confirms in the chat. otp-service's problems are passed on.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_JSON,
            schema = @Schema(implementation = VerifyPhoneCode.class),
            examples = @ExampleObject(name = "code", summary = "The code and the launch data",
                    value = "{\"phone_number\": \"+447400123456\", \"verification_code\": \"123456\", \"init_data\": \"query_id=AAH...&user=%7B%22id%22%3A42%7D&auth_date=1764590400&hash=9f86d0...\"}")))
    @APIResponse(responseCode = "200", description = "Approved: the chat is being linked", content = @Content(
            mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = Verified.class),
            examples = @ExampleObject(name = "verified",
                    value = "{\"success\": true, \"status\": \"verified\", \"message\": \"Code accepted; your account is being linked and the bot will confirm in the chat.\"}")))
    @APIResponse(responseCode = "400", description = "No body, a bad phone_number, a malformed verification_code",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = {
                            @ExampleObject(name = ProblemExamples.MISSING_BODY_NAME,
                                    value = ProblemExamples.MISSING_BODY),
                            @ExampleObject(name = "invalid_phone",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-phone\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"phone_number must be a valid number in E.164, e.g. +447400123456\", \"code\": \"invalid_phone\", \"field\": \"phone_number\"}"),
                            @ExampleObject(name = "invalid_field",
                                    value = "{\"type\": \"https://phonekey.io/problems/invalid-field\", \"title\": \"Bad Request\", \"status\": 400, \"detail\": \"verification_code must be 4 to 10 digits\", \"code\": \"invalid_field\", \"field\": \"verification_code\"}")}))
    @APIResponse(responseCode = "401",
            description = "initData is missing, stale, from the future or not signed by our bot",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.INVALID_INIT_DATA_NAME,
                            value = ProblemExamples.INVALID_INIT_DATA)))
    @APIResponse(responseCode = "404", description = "No pending link code for this phone (otp-service)",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.NOT_FOUND_NAME,
                            value = ProblemExamples.NOT_FOUND)))
    @APIResponse(responseCode = "422", description = "The code is wrong; attempts_left after this one (otp-service)",
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.INVALID_CODE_NAME,
                            value = ProblemExamples.INVALID_CODE)))
    @APIResponse(responseCode = "429",
            description = "The code's attempts are spent, or the phone is locked (otp-service)",
            headers = @Header(name = OpenApi.RETRY_AFTER, description = OpenApi.RETRY_AFTER_DESCRIPTION,
                    required = true, schema = @Schema(type = SchemaType.INTEGER, minimum = "1")),
            content = @Content(mediaType = OpenApi.PROBLEM_JSON,
                    schema = @Schema(implementation = ProblemDocument.class),
                    examples = @ExampleObject(name = ProblemExamples.MAX_ATTEMPTS_REACHED_NAME,
                            value = ProblemExamples.MAX_ATTEMPTS_REACHED)))
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Verified> verifyPhoneCode(VerifyPhoneCode body) {
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
        return otp.check(check).map(approved -> new Verified(true, "verified",
                "Code accepted; your account is being linked and the bot will confirm in the chat."));
    }
}
