package io.phonekey.otp.support;

import java.util.List;

import org.eclipse.microprofile.config.ConfigProvider;

import com.fasterxml.jackson.databind.JsonNode;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.event.SealedCode;
import io.phonekey.contract.testing.TestPhones;

/** Test helpers: fresh phone numbers, and the code recovered from an event the way a delivery service does. */
public final class Codes {

    private Codes() {
    }

    /** A valid UK mobile number no other test uses. */
    public static String freshPhone() {
        return TestPhones.fresh();
    }

    public static String decrypt(JsonNode event) throws Exception {
        String key = ConfigProvider.getConfig().getValue("otp.event-key", String.class);
        JsonNode code = event.get("code");
        SealedCode sealed = new SealedCode().withAlg(code.get("alg").asText()).withKid(code.get("kid").asText())
                .withIv(code.get("iv").asText()).withCiphertext(code.get("ciphertext").asText());
        return new CodeSeal(List.of(key.split(","))).open(event.get("verification_id").asText(),
                event.get("phone").asText(), sealed);
    }
}
