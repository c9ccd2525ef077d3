package io.phonekey.sms.rest;

import java.util.HashMap;
import java.util.Map;

import jakarta.annotation.security.PermitAll;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.enums.SchemaType;
import org.eclipse.microprofile.openapi.annotations.media.Content;
import org.eclipse.microprofile.openapi.annotations.media.ExampleObject;
import org.eclipse.microprofile.openapi.annotations.media.Schema;
import org.eclipse.microprofile.openapi.annotations.parameters.Parameter;
import org.eclipse.microprofile.openapi.annotations.parameters.RequestBody;
import org.eclipse.microprofile.openapi.annotations.responses.APIResponse;
import org.eclipse.microprofile.openapi.annotations.security.SecurityRequirements;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import com.twilio.security.RequestValidator;
import com.twilio.twiml.MessagingResponse;
import com.twilio.twiml.messaging.Body;
import com.twilio.twiml.messaging.Message;

import io.phonekey.contract.problem.Problem;
import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.provider.SendResult;
import io.phonekey.sms.service.InboundMessages;
import io.phonekey.sms.service.StatusCallbacks;
import io.smallrye.mutiny.Uni;

/**
 * Twilio's webhooks: status callbacks and incoming messages. The {@code X-Twilio-Signature} is checked against the
 * configured public URL (SMS_PUBLIC_URL), not the URL the request arrived at, so a proxy in between cannot make a
 * forged request pass.
 */
@Path("/twilio")
@PermitAll
@Consumes(MediaType.APPLICATION_FORM_URLENCODED)
@Tag(name = "twilio")
public class TwilioWebhookResource {

    private static final String SIGNATURE = "X-Twilio-Signature";

    private final StatusCallbacks callbacks;
    private final InboundMessages inbound;
    private final RequestValidator validator;
    private final String publicUrl;

    public TwilioWebhookResource(StatusCallbacks callbacks, InboundMessages inbound, SmsConfig config) {
        this.callbacks = callbacks;
        this.inbound = inbound;
        this.validator = config.twilio().authToken().map(RequestValidator::new).orElse(null);
        this.publicUrl = config.publicUrl().replaceAll("/+$", "");
    }

    @POST
    @Path("/status")
    @SecurityRequirements({})
    @Operation(summary = "Receive a status callback",
            description = "Twilio's status callback of a message (every message asks for it). The status only moves forward (queued < sent < delivered | undelivered | failed); a late, repeated or unknown callback changes nothing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = TwilioForms.Status.class),
            examples = @ExampleObject(name = "delivered", summary = "Delivered",
                    value = "{\"MessageSid\": \"SM0123456789abcdef0123456789abcdef\", \"MessageStatus\": \"delivered\"}")))
    @APIResponse(responseCode = "204", description = "Taken into account (or ignored)")
    @APIResponse(responseCode = "403", ref = "InvalidSignature")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Response> status(MultivaluedMap<String, String> form,
            @Parameter(
                    description = "Twilio's signature of SMS_PUBLIC_URL + the path and the form (HMAC-SHA1 with TWILIO_AUTH_TOKEN, base64)",
                    required = true,
                    example = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=") @HeaderParam(SIGNATURE) String signature) {
        Map<String, String> params = signed("/twilio/status", form, signature);
        // NumSegments, Price and PriceUnit are stored when a callback carries them; Twilio's usually do not.
        SendResult report = new SendResult(params.get("MessageSid"), params.get("MessageStatus"),
                SendResult.segments(params.get("NumSegments")), SendResult.price(params.get("Price")),
                SendResult.currency(params.get("PriceUnit")));
        return callbacks.apply(report, params.get("ErrorCode"))
                .replaceWith(Response.noContent().build());
    }

    /** An incoming SMS or WhatsApp message: STOP/START/HELP keywords, answered with TwiML (empty for other text). */
    @POST
    @Path("/inbound")
    @SecurityRequirements({})
    @Operation(summary = "Receive an incoming message",
            description = "An incoming SMS or WhatsApp message (the number's or messaging service's incoming webhook). STOP and the like opt the phone out of security notices, START and the like opt it back in, HELP gets the help text; other text gets an empty <Response/>. A retry with the same MessageSid gets the same reply and changes nothing.")
    @RequestBody(required = true, content = @Content(mediaType = MediaType.APPLICATION_FORM_URLENCODED,
            schema = @Schema(implementation = TwilioForms.Inbound.class),
            examples = @ExampleObject(name = "stop", summary = "An opt-out",
                    value = "{\"From\": \"+447400123456\", \"Body\": \"STOP\", \"MessageSid\": \"SM0123456789abcdef0123456789abcdef\"}")))
    @APIResponse(responseCode = "200", description = "The TwiML reply", content = @Content(
            mediaType = MediaType.APPLICATION_XML, schema = @Schema(type = SchemaType.STRING, description = "TwiML"),
            examples = @ExampleObject(name = "opted_out",
                    value = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Response><Message><Body>PhoneKey: you are unsubscribed. Only codes you request will be sent. Reply START to resubscribe.</Body></Message></Response>")))
    @APIResponse(responseCode = "403", ref = "InvalidSignature")
    @APIResponse(responseCode = "503", ref = "ServiceUnavailable")
    @APIResponse(responseCode = "default", ref = "OtherProblem")
    public Uni<Response> inbound(MultivaluedMap<String, String> form,
            @Parameter(
                    description = "Twilio's signature of SMS_PUBLIC_URL + the path and the form (HMAC-SHA1 with TWILIO_AUTH_TOKEN, base64)",
                    required = true,
                    example = "0/KCTR6DLpKmkAf8muzZqo1nDgQ=") @HeaderParam(SIGNATURE) String signature) {
        Map<String, String> params = signed("/twilio/inbound", form, signature);
        return inbound.handle(params.get("From"), params.get("Body"), params.get("MessageSid"))
                .map(reply -> Response.ok(twiml(reply), MediaType.APPLICATION_XML).build());
    }

    /** The form's parameters, if Twilio signed them for this path of the public URL; else 403 and nothing happens. */
    private Map<String, String> signed(String path, MultivaluedMap<String, String> form, String signature) {
        Map<String, String> params = new HashMap<>();
        form.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        if (validator == null || signature == null || !validator.validate(publicUrl + path, params, signature)) {
            throw new Problem(403, "invalid_signature", "Forbidden", "the " + SIGNATURE + " does not match");
        }
        return params;
    }

    /** {@code <Response><Message><Body>text</Body></Message></Response>}, or {@code <Response/>} for no reply. */
    static String twiml(String reply) {
        MessagingResponse.Builder response = new MessagingResponse.Builder();
        if (reply != null) {
            response.message(new Message.Builder().body(new Body.Builder(reply).build()).build());
        }
        return response.build().toXml();
    }
}
