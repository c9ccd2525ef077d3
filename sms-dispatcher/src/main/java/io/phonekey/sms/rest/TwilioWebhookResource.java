package io.phonekey.sms.rest;

import java.util.HashMap;
import java.util.Map;

import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.core.Response;

import com.twilio.security.RequestValidator;

import io.phonekey.sms.config.SmsConfig;
import io.phonekey.sms.provider.SendResult;
import io.phonekey.sms.service.StatusCallbacks;
import io.smallrye.mutiny.Uni;

/**
 * Twilio's status callbacks. The {@code X-Twilio-Signature} is checked against the configured public URL
 * (SMS_PUBLIC_URL), not the URL the request arrived at, so a proxy in between cannot make a forged request pass.
 */
@Path("/twilio")
public class TwilioWebhookResource {

    private final StatusCallbacks callbacks;
    private final RequestValidator validator;
    private final String statusUrl;

    public TwilioWebhookResource(StatusCallbacks callbacks, SmsConfig config) {
        this.callbacks = callbacks;
        this.validator = config.twilio().authToken().map(RequestValidator::new).orElse(null);
        this.statusUrl = config.publicUrl().replaceAll("/+$", "") + "/twilio/status";
    }

    @POST
    @Path("/status")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Uni<Response> status(MultivaluedMap<String, String> form,
            @HeaderParam("X-Twilio-Signature") String signature) {
        Map<String, String> params = new HashMap<>();
        form.forEach((k, v) -> params.put(k, v.isEmpty() ? "" : v.get(0)));
        if (validator == null || signature == null || !validator.validate(statusUrl, params, signature)) {
            throw new Problem(403, "invalid_signature", "Forbidden", "the X-Twilio-Signature does not match");
        }
        // NumSegments, Price and PriceUnit are stored when a callback carries them; Twilio's usually do not.
        SendResult report = new SendResult(params.get("MessageSid"), params.get("MessageStatus"),
                SendResult.segments(params.get("NumSegments")), SendResult.price(params.get("Price")),
                SendResult.currency(params.get("PriceUnit")));
        return callbacks.apply(report, params.get("ErrorCode"))
                .replaceWith(Response.noContent().build());
    }
}
