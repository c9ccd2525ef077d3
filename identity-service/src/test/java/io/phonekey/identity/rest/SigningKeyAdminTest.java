package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.http.ContentType;
import io.restassured.path.json.JsonPath;

/**
 * An operator rotates the signing key now, against the real PostgreSQL: a planned rotation publishes the next key
 * ahead and breaks no token; a rotation for a leaked key signs with the new key at once and refuses tokens of the
 * withdrawn one at once, while refresh tokens still work; only admin keys may call, and concurrent rotations all land.
 * Its own profile (application instance), so withdrawing keys cannot touch other classes' tokens.
 */
@QuarkusTest
@TestProfile(SigningKeyAdminTest.OwnInstance.class)
@QuarkusTestResource(OtpStandIn.class)
class SigningKeyAdminTest {

    private static final String ADMIN = "local-admin-key";

    public static class OwnInstance implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("identity.signing.publish-ahead", "2h");
        }
    }

    @TestHTTPResource("/")
    URI base;

    static JsonPath keys() {
        return given().auth().oauth2(ADMIN).get("/api/v1/admin/signing-keys").then().statusCode(200).extract()
                .jsonPath();
    }

    static String signingKid() {
        List<Map<String, Object>> keys = keys().getList("$");
        return keys.stream().filter(k -> Boolean.TRUE.equals(k.get("signing"))).map(k -> (String) k.get("kid"))
                .findFirst().orElseThrow();
    }

    /**
     * Leaves one key that signs now, as a fresh database would: the keys published two hours ahead would otherwise
     * hold off the next test class's own scheduled rotation.
     */
    @AfterEach
    void leaveOneKey() {
        given().auth().oauth2(ADMIN).post("/api/v1/admin/signing-keys/rotate?compromised=true").then().statusCode(200);
    }

    @Test
    void onlyAnAdminKeyMayCall() {
        JsonPath user = AuthResourceTest.login(AuthResourceTest.freshPhone(), "admin-test");
        given().get("/api/v1/admin/signing-keys").then().statusCode(401).contentType("application/problem+json");
        given().auth().oauth2("wrong-key").get("/api/v1/admin/signing-keys").then().statusCode(401);
        given().auth().oauth2(user.getString("access_token")).post("/api/v1/admin/signing-keys/rotate").then()
                .statusCode(401);
        given().auth().oauth2("local-otp-key").post("/api/v1/admin/signing-keys/rotate").then().statusCode(401);
        // The admin key is not an access token either.
        given().auth().oauth2(ADMIN).get("/api/auth/me").then().statusCode(401);
        AuthResourceTest.me(user.getString("access_token")).statusCode(200);
    }

    @Test
    void aPlannedRotationPublishesAheadAndALeakedKeyIsWithdrawnAtOnce() {
        JsonPath first = AuthResourceTest.login(AuthResourceTest.freshPhone(), "laptop");
        String before = first.getString("access_token");
        String oldKid = SigningKeyRotationTest.kid(before);
        assertEquals(oldKid, signingKid());

        // Planned: the next key is in the JWKS at once but signs two hours from now; every token keeps working.
        List<Map<String, Object>> planned = given().auth().oauth2(ADMIN).post("/api/v1/admin/signing-keys/rotate")
                .then().statusCode(200).extract().jsonPath().getList("$");
        Map<String, Object> next = planned.get(0);
        assertNotEquals(oldKid, next.get("kid"));
        assertEquals(false, next.get("signing"));
        assertTrue(OffsetDateTime.parse((String) next.get("activates_at")).isAfter(OffsetDateTime.now()
                .plusMinutes(119)), "signs publish-ahead from now: " + next);
        Map<String, Object> old = planned.stream().filter(k -> oldKid.equals(k.get("kid"))).findFirst().orElseThrow();
        assertEquals(true, old.get("signing"));
        assertTrue(OffsetDateTime.parse((String) old.get("retire_after")).isAfter(OffsetDateTime.parse(
                (String) next.get("activates_at"))), "the old key outlives its last token: " + old);
        assertTrue(SigningKeyRotationTest.published().containsAll(List.of(oldKid, (String) next.get("kid"))));
        AuthResourceTest.me(before).statusCode(200);
        assertEquals(oldKid, SigningKeyRotationTest.kid(AuthResourceTest.login(AuthResourceTest.freshPhone(), "x")
                .getString("access_token")), "the old key still signs until the next one's time");

        // Compromised: the new key signs at once, every other key is withdrawn, their tokens refused at once.
        List<Map<String, Object>> after = given().auth().oauth2(ADMIN)
                .post("/api/v1/admin/signing-keys/rotate?compromised=true").then().statusCode(200).extract()
                .jsonPath().getList("$");
        assertEquals(1, after.size(), "only the new key is left: " + after);
        String newKid = (String) after.get(0).get("kid");
        assertEquals(true, after.get(0).get("signing"));
        assertEquals(List.of(newKid), SigningKeyRotationTest.published());
        AuthResourceTest.me(before).statusCode(401);

        // The user's refresh token is opaque, not signed: it gets a token of the new key.
        String refreshed = given().contentType(ContentType.JSON)
                .body(Map.of("refresh_token", first.getString("refresh_token"))).post("/api/auth/refresh").then()
                .statusCode(200).extract().path("access_token");
        assertEquals(newKid, SigningKeyRotationTest.kid(refreshed));
        AuthResourceTest.me(refreshed).statusCode(200);
    }

    @Test
    void concurrentRotationsAllLandAndOneKeySigns() {
        int before = keys().getList("$").size();
        HttpClient http = HttpClient.newHttpClient();
        List<CompletableFuture<HttpResponse<String>>> calls = new ArrayList<>();
        for (int i = 0; i < 20; i++) {
            calls.add(http.sendAsync(HttpRequest.newBuilder(base.resolve("/api/v1/admin/signing-keys/rotate"))
                    .header("Authorization", "Bearer " + ADMIN).POST(HttpRequest.BodyPublishers.noBody())
                    .timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString()));
        }
        List<Integer> statuses = calls.stream().map(CompletableFuture::join).map(HttpResponse::statusCode).toList();
        assertTrue(statuses.stream().allMatch(s -> s == 200), statuses.toString());
        List<Map<String, Object>> keys = keys().getList("$");
        assertEquals(before + 20, keys.size(), "one new key per rotation");
        assertEquals(1, keys.stream().filter(k -> Boolean.TRUE.equals(k.get("signing"))).count());
        assertEquals(keys.size(), new HashSet<>(keys.stream().map(k -> k.get("kid")).toList()).size());
        String token = AuthResourceTest.login(AuthResourceTest.freshPhone(), "after").getString("access_token");
        AuthResourceTest.me(token).statusCode(200);
        assertFalse(SigningKeyRotationTest.published().isEmpty());
        given().get("/q/health/ready").then().statusCode(200);
    }
}
