package io.phonekey.otp.crypto;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.otp.config.OtpConfig;

/** The contract's sealed-code codec under this service's OTP_EVENT_KEY: the first key seals. */
public class Seals {

    @Produces
    @Singleton
    CodeSeal seal(OtpConfig config) {
        return new CodeSeal(config.eventKey());
    }
}
