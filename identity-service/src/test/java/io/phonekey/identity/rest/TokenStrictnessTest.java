package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasItem;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Map;
import java.util.UUID;

import jakarta.inject.Inject;

import org.jose4j.jwk.HttpsJwks;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.HttpsJwksVerificationKeyResolver;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.identity.token.SigningKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/**
 * Tokens are accepted in one spelling only and for no longer than the service issues them; the keys are found from
 * the issuer URL alone, as a resource server of another stack would find them.
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class TokenStrictnessTest {

    private static final String ISSUER = "http://localhost:18182";

    @Inject
    SigningKeys keys;

    private static JsonPath login() {
        return AuthResourceTest.login(TestPhones.fresh(), "Phone");
    }

    private String sign(String sub, String sid, long iatOffset, long expOffset) {
        long now = System.currentTimeMillis() / 1000;
        SigningKeys.Active key = keys.active();
        return Jwt.issuer(ISSUER).audience("phonekey").subject(sub).claim("sid", sid).claim("jti", "j-" + now)
                .issuedAt(now + iatOffset).expiresAt(now + expOffset).jws().keyId(key.kid())
                .algorithm(SignatureAlgorithm.ES256).sign(key.privateKey());
    }

    @Test
    void aSignatureWithPaddingIsNotAnotherSpellingOfTheSameToken() {
        String token = login().getString("access_token");
        AuthResourceTest.me(token).statusCode(200);
        AuthResourceTest.me(token + "==").statusCode(401).body("code", equalTo("unauthorized"));
        AuthResourceTest.me(token + "=").statusCode(401);
    }

    @Test
    void lifetimeAndIssueTimeAreCapped() {
        JsonPath session = login();
        JsonPath claims = claims(session.getString("access_token"));
        String sub = claims.getString("sub");
        String sid = claims.getString("sid");
        AuthResourceTest.me(sign(sub, sid, -10, 600)).statusCode(200);
        AuthResourceTest.me(sign(sub, sid, -10, 10L * 365 * 24 * 3600)).statusCode(401);
        AuthResourceTest.me(sign(sub, sid, 3600, 3600 + 600)).statusCode(401);
    }

    @Test
    void aSignedTokenWithIdsThatAreNotOursIsUnauthorizedNotNotFound() {
        JsonPath claims = claims(login().getString("access_token"));
        AuthResourceTest.me(sign(claims.getString("sub"), "not-a-uuid", -10, 600)).statusCode(401)
                .body("code", equalTo("unauthorized"));
        AuthResourceTest.me(sign("+447400123456", claims.getString("sid"), -10, 600)).statusCode(401);
        AuthResourceTest.me(sign(UUID.randomUUID().toString(), claims.getString("sid"), -10, 600)).statusCode(401);
    }

    @Test
    void jwksIsServedForEveryAcceptJoseClientsSend() {
        for (String accept : new String[]{"application/json", "application/jwk-set+json", "*/*"}) {
            given().accept(accept).get("/.well-known/jwks.json").then().statusCode(200)
                    .body("keys.kid", hasItem(keys.active().kid()));
        }
    }

    @Test
    void aStockVerifierConfiguredWithTheIssuerAloneAcceptsOurToken() throws Exception {
        String token = login().getString("access_token");
        // What OIDC discovery does: from the issuer to its metadata, from there to the keys.
        Map<String, Object> discovery = given().get(ISSUER + "/.well-known/openid-configuration").then()
                .statusCode(200).body("issuer", equalTo(ISSUER))
                .body("id_token_signing_alg_values_supported", hasItem("ES256")).extract().jsonPath().getMap("$");
        HttpsJwks jwks = new HttpsJwks((String) discovery.get("jwks_uri"));
        JwtConsumer consumer = new JwtConsumerBuilder().setExpectedIssuer(ISSUER).setExpectedAudience("phonekey")
                .setRequireExpirationTime().setVerificationKeyResolver(new HttpsJwksVerificationKeyResolver(jwks))
                .build();
        JwtClaims claims = consumer.processToClaims(token);
        assertEquals(claims(token).getString("sub"), claims.getSubject());
    }

    private static JsonPath claims(String token) {
        return JsonPath.from(new String(java.util.Base64.getUrlDecoder().decode(token.split("\\.")[1]),
                java.nio.charset.StandardCharsets.UTF_8));
    }
}
