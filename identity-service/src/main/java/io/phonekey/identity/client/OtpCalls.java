package io.phonekey.identity.client;

import jakarta.enterprise.inject.Produces;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.rest.client.inject.RestClient;

import io.phonekey.contract.otp.OtpClient;
import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.identity.config.IdentityConfig;

/** The contract's otp-service client, with this service's API key. */
public class OtpCalls {

    @Produces
    @Singleton
    OtpGateway otp(@RestClient OtpClient client, IdentityConfig config) {
        return new OtpGateway(client, config.otpApiKey());
    }
}
