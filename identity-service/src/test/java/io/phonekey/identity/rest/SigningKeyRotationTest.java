package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import jakarta.inject.Inject;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.identity.token.KeyVault;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;

/**
 * Keys rotate by themselves, as requirement "JWKS rotation" asks: the next key is in the JWKS before it signs, tokens
 * of the previous key keep working, and the private halves are sealed in the database. Rotation every 8 s, published
 * 4 s ahead, so the test sees two rotations' worth of states against the real PostgreSQL.
 */
@QuarkusTest
@TestProfile(SigningKeyRotationTest.Fast.class)
@QuarkusTestResource(OtpStandIn.class)
class SigningKeyRotationTest {

    public static class Fast implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("identity.signing.rotation", "8s", "identity.signing.publish-ahead", "4s");
        }
    }

    @Inject
    Pool pool;

    static String kid(String jwt) {
        String header = new String(Base64.getUrlDecoder().decode(jwt.substring(0, jwt.indexOf('.'))),
                StandardCharsets.UTF_8);
        return header.replaceAll(".*\"kid\"\\s*:\\s*\"([^\"]+)\".*", "$1");
    }

    static List<String> published() {
        return given().get("/.well-known/jwks.json").then().statusCode(200).extract().jsonPath().getList("keys.kid");
    }

    static String token() {
        return AuthResourceTest.login(AuthResourceTest.freshPhone(), "rotation").getString("access_token");
    }

    @Test
    void theNextKeyIsPublishedBeforeItSignsAndTheOldOneKeepsVerifying() throws Exception {
        String before = token();
        String oldKid = kid(before);
        AuthResourceTest.me(before).statusCode(200);

        // A successor (a key not published when the test began, not one merely still published after signing)
        // appears in the JWKS while the old key still signs.
        List<String> initial = published();
        Instant deadline = Instant.now().plusSeconds(20);
        String next = null;
        while (next == null && Instant.now().isBefore(deadline)) {
            List<String> kids = published();
            String signing = kid(token());
            for (String k : kids) {
                if (!initial.contains(k) && !k.equals(signing)) {
                    next = k;
                    oldKid = signing;
                }
            }
            Thread.sleep(200);
        }
        assertTrue(next != null, "no successor key was published ahead");
        String old = token();
        assertEquals(oldKid, kid(old), "the published successor does not sign yet");

        // Then it signs; every token it signs names a key that was already published.
        String signedByNext = null;
        deadline = Instant.now().plusSeconds(20);
        while (signedByNext == null && Instant.now().isBefore(deadline)) {
            String t = token();
            assertTrue(published().contains(kid(t)), "a token signed by a key that is not in the JWKS");
            if (kid(t).equals(next)) {
                signedByNext = t;
            }
            Thread.sleep(200);
        }
        assertTrue(signedByNext != null, "the successor never signed");
        assertNotEquals(oldKid, kid(signedByNext));
        AuthResourceTest.me(signedByNext).statusCode(200);
        // The replaced key stays published until its last token has expired: its tokens still work.
        assertTrue(published().contains(oldKid), "the replaced key left the JWKS while its tokens live");
        AuthResourceTest.me(old).statusCode(200);

        // At rest every private key is sealed, none is plain PKCS#8.
        for (Row row : pool.query("SELECT kid, private_key FROM signing_key").execute().await()
                .atMost(Duration.ofSeconds(5))) {
            assertTrue(KeyVault.sealed(row.getString("private_key")),
                    "signing key " + row.getString("kid") + " is stored in clear");
        }
    }
}
