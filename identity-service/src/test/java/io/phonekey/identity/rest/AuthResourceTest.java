package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.hasSize;
import static org.hamcrest.Matchers.notNullValue;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import jakarta.inject.Inject;

import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.VerificationJwkSelector;
import org.jose4j.jws.JsonWebSignature;
import org.jose4j.jwt.JwtClaims;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.phonekey.identity.token.SigningKeys;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;
import io.smallrye.jwt.algorithm.SignatureAlgorithm;
import io.smallrye.jwt.build.Jwt;

/** Login, tokens and sessions against the real PostgreSQL, with a negative JWT suite. */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class AuthResourceTest {

    @Inject
    SigningKeys keys;

    @TestHTTPResource("/")
    URI base;

    static String freshPhone() {
        return TestPhones.fresh();
    }

    static JsonPath login(String phone, String device) {
        return given().contentType(ContentType.JSON)
                .body(Map.of("phone", phone, "otp_code", OtpStandIn.GOOD_CODE, "device_name", device))
                .post("/api/auth/verify-otp").then().statusCode(200).extract().jsonPath();
    }

    static io.restassured.response.ValidatableResponse me(String token) {
        return given().auth().oauth2(token).get("/api/auth/me").then();
    }

    @Test
    void requestOtpAnswersTheSameForAnyPhone() {
        given().contentType(ContentType.JSON).body(Map.of("phone", freshPhone()))
                .post("/api/auth/request-otp").then().statusCode(202)
                .body("message", notNullValue()).body("delivery_method", equalTo("sms"))
                .body("verification_id", notNullValue()).body("expires_in", equalTo(600));
        given().contentType(ContentType.JSON).body(Map.of("phone", "12"))
                .post("/api/auth/request-otp").then().statusCode(400).contentType("application/problem+json")
                .body("code", equalTo("invalid_phone"));
        given().contentType(ContentType.JSON).body(Map.of())
                .post("/api/auth/request-otp").then().statusCode(400).body("field", equalTo("phone"));
    }

    @Test
    void loginIssuesAnEs256TokenThatVerifiesAgainstTheJwks() throws Exception {
        String phone = freshPhone();
        JsonPath first = login(phone, "Pixel 8");
        assertEquals("bearer", first.getString("token_type"));
        assertEquals(900, first.getInt("expires_in"));
        assertTrue(first.getBoolean("is_new_user"));
        assertEquals("default", first.getString("tenant_id"));

        String jwks = given().get("/.well-known/jwks.json").then().statusCode(200).extract().asString();
        JsonWebSignature jws = new JsonWebSignature();
        jws.setCompactSerialization(first.getString("access_token"));
        assertEquals("ES256", jws.getAlgorithmHeaderValue());
        jws.setKey(new VerificationJwkSelector().select(jws, new JsonWebKeySet(jwks).getJsonWebKeys()).getKey());
        assertTrue(jws.verifySignature());
        JwtClaims claims = JwtClaims.parse(jws.getPayload());
        assertEquals(first.getString("user_id"), claims.getSubject());
        assertEquals(phone, claims.getStringClaimValue("phone_number"));
        assertEquals(Boolean.TRUE, claims.getClaimValue("phone_number_verified"));
        assertEquals("http://localhost:18182", claims.getIssuer());
        assertEquals(List.of("phonekey"), claims.getAudience());
        assertTrue(claims.getExpirationTime().getValue() - claims.getIssuedAt().getValue() <= 900);
        assertTrue(claims.hasClaim("jti") && claims.hasClaim("sid") && claims.hasClaim("tenant_id"));

        me(first.getString("access_token")).statusCode(200)
                .body("user_id", equalTo(first.getString("user_id"))).body("phone", equalTo(phone))
                .body("phone_verified", equalTo(true)).body("status", equalTo("active"))
                .body("telegram_linked", equalTo(false));

        JsonPath second = login(phone, "Laptop");
        assertEquals(first.getString("user_id"), second.getString("user_id"), "one user per phone");
        assertEquals(false, second.getBoolean("is_new_user"));
    }

    @Test
    void aWrongCodeIsTheVerifyServicesProblem() {
        given().contentType(ContentType.JSON).body(Map.of("phone", freshPhone(), "otp_code", "000000"))
                .post("/api/auth/verify-otp").then().statusCode(422).contentType("application/problem+json")
                .body("code", equalTo("invalid_code")).body("attempts_left", equalTo(4));
        given().contentType(ContentType.JSON).body(Map.of("phone", freshPhone()))
                .post("/api/auth/verify-otp").then().statusCode(400).body("field", equalTo("otp_code"));
    }

    @Test
    void logoutStopsTheAccessTokenAtOnce() {
        JsonPath session = login(freshPhone(), "Phone");
        String token = session.getString("access_token");
        me(token).statusCode(200);
        given().auth().oauth2(token).post("/api/auth/logout").then().statusCode(204);
        me(token).statusCode(401).contentType("application/problem+json").body("code", equalTo("unauthorized"));
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", session.getString("refresh_token")))
                .post("/api/auth/refresh").then().statusCode(401);
    }

    @Test
    void sessionsOnSeveralDevicesAndLogoutEverywhere() {
        String phone = freshPhone();
        String phoneToken = login(phone, "Phone").getString("access_token");
        String laptopToken = login(phone, "Laptop").getString("access_token");
        given().auth().oauth2(laptopToken).get("/api/auth/sessions").then().statusCode(200)
                .body("$", hasSize(2)).body("find { it.current }.device_name", equalTo("Laptop"));
        String phoneSession = given().auth().oauth2(laptopToken).get("/api/auth/sessions").then()
                .extract().path("find { !it.current }.id");
        given().auth().oauth2(laptopToken).delete("/api/auth/sessions/" + phoneSession).then().statusCode(204);
        me(phoneToken).statusCode(401);
        me(laptopToken).statusCode(200);

        String third = login(phone, "Tablet").getString("access_token");
        given().auth().oauth2(third).post("/api/auth/logout-all").then().statusCode(204);
        me(third).statusCode(401);
        me(laptopToken).statusCode(401);
    }

    @Test
    void refreshRotatesAndAReplayedTokenRevokesTheSession() {
        JsonPath session = login(freshPhone(), "Phone");
        String firstRefresh = session.getString("refresh_token");
        JsonPath rotated = given().contentType(ContentType.JSON).body(Map.of("refresh_token", firstRefresh))
                .post("/api/auth/refresh").then().statusCode(200).extract().jsonPath();
        assertNotEquals(firstRefresh, rotated.getString("refresh_token"));
        me(rotated.getString("access_token")).statusCode(200);

        given().contentType(ContentType.JSON).body(Map.of("refresh_token", firstRefresh))
                .post("/api/auth/refresh").then().statusCode(401);
        me(rotated.getString("access_token")).statusCode(401);
        given().contentType(ContentType.JSON).body(Map.of("refresh_token", rotated.getString("refresh_token")))
                .post("/api/auth/refresh").then().statusCode(401);
    }

    @Test
    void twentyConcurrentRefreshesWithOneTokenSucceedOnce() throws Exception {
        String refresh = login(freshPhone(), "Phone").getString("refresh_token");
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/auth/refresh"))
                    .header("Content-Type", "application/json")
                    .POST(HttpRequest.BodyPublishers.ofString("{\"refresh_token\":\"" + refresh + "\"}")).build(),
                    HttpResponse.BodyHandlers.ofString()));
        }
        long ok = calls.stream().map(CompletableFuture::join).filter(r -> r.statusCode() == 200).count();
        assertEquals(1, ok);
    }

    @Test
    void forgedAndMisdirectedTokensAreRefused() throws Exception {
        JsonPath session = login(freshPhone(), "Phone");
        String good = session.getString("access_token");
        String[] parts = good.split("\\.");
        String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();

        String none = b64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8))
                + "." + parts[1] + ".";
        me(none).statusCode(401);

        String tampered = parts[0] + "." + b64.encodeToString(payload.replace("\"sub\":\"", "\"sub\":\"0")
                .getBytes(StandardCharsets.UTF_8)) + "." + parts[2];
        me(tampered).statusCode(401);

        String jwks = given().get("/.well-known/jwks.json").then().extract().asString();
        String hs256 = Jwt.claims(JsonPath.from(payload).<String, Object>getMap("$")).jws()
                .algorithm(SignatureAlgorithm.HS256)
                .signWithSecret(jwks + jwks);
        me(hs256).statusCode(401);

        String sid = JsonPath.from(payload).getString("sid");
        String sub = JsonPath.from(payload).getString("sub");
        SigningKeys.Active key = keys.active();
        me(sign(key, "http://evil.example", "phonekey", sub, sid, 600)).statusCode(401);
        me(sign(key, "http://localhost:18182", "someone-else", sub, sid, 600)).statusCode(401);
        me(sign(key, "http://localhost:18182", "phonekey", sub, sid, -120)).statusCode(401);
        me(sign(key, "http://localhost:18182", "phonekey", sub, sid, 600)).statusCode(200);

        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        SigningKeys.Active stranger = new SigningKeys.Active(key.kid(), generator.generateKeyPair().getPrivate());
        me(sign(stranger, "http://localhost:18182", "phonekey", sub, sid, 600)).statusCode(401);
        me("not-a-token").statusCode(401);
        given().get("/api/auth/me").then().statusCode(401).body("code", equalTo("unauthorized"));
    }

    static String sign(SigningKeys.Active key, String issuer, String audience, String sub, String sid,
            long expiresIn) {
        long now = System.currentTimeMillis() / 1000;
        return Jwt.issuer(issuer).audience(audience).subject(sub).claim("sid", sid).claim("jti", "j-" + now)
                .issuedAt(now - 300).expiresAt(now + expiresIn).jws().keyId(key.kid())
                .algorithm(SignatureAlgorithm.ES256)
                .sign(key.privateKey());
    }
}
