package io.phonekey.identity.token;

import java.security.Security;

import jakarta.enterprise.event.Observes;
import jakarta.inject.Singleton;

import org.eclipse.microprofile.config.inject.ConfigProperty;

import com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;

/**
 * Token signing bounds a login on the JVM: JDK 17's SunEC signs about 820 ES256 tokens a second per thread, the
 * Amazon Corretto Crypto Provider (OpenSSL-based) about 30,000. When its native part loads on this platform it is
 * installed as the first JCA provider, so jose4j (under smallrye-jwt) signs and verifies with it; otherwise the JDK's
 * provider stays, slower but the same tokens. {@code identity.fast-crypto=false} keeps the JDK's.
 */
@Singleton
public class FastCrypto {

    void install(@Observes StartupEvent start,
            @ConfigProperty(name = "identity.fast-crypto", defaultValue = "true") boolean enabled) {
        if (!enabled) {
            Log.info("ES256 with the JDK's provider (identity.fast-crypto=false)");
            return;
        }
        try {
            Throwable error = AmazonCorrettoCryptoProvider.INSTANCE.getLoadingError();
            if (error != null) {
                Log.warnf("Amazon Corretto Crypto Provider unavailable here (%s): ES256 with the JDK's provider",
                        error.toString());
                return;
            }
            AmazonCorrettoCryptoProvider.install();
            Log.infof("ES256 with %s", Security.getProviders()[0].getName());
        } catch (LinkageError e) {
            Log.warnf("Amazon Corretto Crypto Provider unavailable here (%s): ES256 with the JDK's provider",
                    e.toString());
        }
    }
}
