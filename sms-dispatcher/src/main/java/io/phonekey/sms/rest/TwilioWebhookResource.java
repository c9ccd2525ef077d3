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
    public Uni<Response> status(MultivaluedMap<String, String> form, @HeaderParam(SIGNATURE) String signature) {
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
    public Uni<Response> inbound(MultivaluedMap<String, String> form, @HeaderParam(SIGNATURE) String signature) {
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
