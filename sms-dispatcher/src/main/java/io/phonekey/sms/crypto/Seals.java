package io.phonekey.sms.crypto;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.sms.config.SmsConfig;

/** The contract's sealed-code codec under this service's OTP_EVENT_KEY: every key opens. */
public class Seals {

    @Produces
    @Singleton
    CodeSeal seal(SmsConfig config) {
        return new CodeSeal(config.eventKey());
    }
}
