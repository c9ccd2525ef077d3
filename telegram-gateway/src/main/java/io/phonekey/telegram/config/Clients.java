package io.phonekey.telegram.config;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.phonekey.contract.crypto.CodeSeal;
import io.phonekey.contract.otp.OtpClient;
import io.phonekey.contract.otp.OtpGateway;

/** The contract's pieces this service uses, with its own keys: the sealed-code codec and the otp-service client. */
public class Clients {

    @Produces
    @Singleton
    CodeSeal seal(TelegramConfig config) {
        return new CodeSeal(config.eventKey());
    }

    @Produces
    @Singleton
    OtpGateway otp(@RestClient OtpClient client, TelegramConfig config) {
        return new OtpGateway(client, config.otpApiKey());
    }
}
