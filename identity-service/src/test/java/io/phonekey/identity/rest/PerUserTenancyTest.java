package io.phonekey.identity.rest;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import java.util.Map;

import org.junit.jupiter.api.Test;

import io.phonekey.contract.testing.OtpStandIn;
import io.phonekey.contract.testing.TestPhones;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import io.restassured.path.json.JsonPath;

/**
 * {@code IDENTITY_TENANCY=per-user} (a platform of shops): each new phone gets a tenant of its own, carried in every
 * token, and a user sees only its own sessions.
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
@TestProfile(PerUserTenancyTest.PerUser.class)
class PerUserTenancyTest {

    public static class PerUser implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            return Map.of("identity.tenancy", "per-user");
        }
    }

    @Test
    void everyNewPhoneIsATenantOfItsOwn() {
        String shop = TestPhones.fresh();
        JsonPath a = AuthResourceTest.login(shop, "Till");
        JsonPath b = AuthResourceTest.login(TestPhones.fresh(), "Till");
        assertEquals(a.getString("user_id"), a.getString("tenant_id"));
        assertNotEquals(a.getString("tenant_id"), b.getString("tenant_id"));
        assertEquals(a.getString("tenant_id"), AuthResourceTest.login(shop, "Phone").getString("tenant_id"),
                "the tenant is the user's for good");
        AuthResourceTest.me(b.getString("access_token")).statusCode(200)
                .body("tenant_id", org.hamcrest.Matchers.equalTo(b.getString("tenant_id")));
        io.restassured.RestAssured.given().auth().oauth2(b.getString("access_token")).get("/api/auth/sessions").then()
                .statusCode(200).body("$", org.hamcrest.Matchers.hasSize(1));
    }
}
