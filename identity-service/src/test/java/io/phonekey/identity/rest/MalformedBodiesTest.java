package io.phonekey.identity.rest;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.equalTo;
import static org.hamcrest.Matchers.notNullValue;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.phonekey.contract.testing.OtpStandIn;
import io.quarkus.test.common.QuarkusTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;

/**
 * Bodies of the wrong JSON shape, to every call that reads one: each gets a 400 problem+json with a {@code code} (and
 * the {@code field} where there is one), never an empty answer or a 500.
 */
@QuarkusTest
@QuarkusTestResource(OtpStandIn.class)
class MalformedBodiesTest {

    static Stream<Arguments> bodies() {
        String deep = "[".repeat(1000) + "]".repeat(1000);
        Stream.Builder<Arguments> cases = Stream.builder();
        for (String path : new String[]{"/api/auth/request-otp", "/api/auth/verify-otp", "/api/auth/refresh"}) {
            cases.add(Arguments.of(path, "[]", null));
            cases.add(Arguments.of(path, "\"a string\"", null));
            cases.add(Arguments.of(path, "123", null));
            cases.add(Arguments.of(path, "true", null));
            cases.add(Arguments.of(path, "{", null));
            cases.add(Arguments.of(path, deep, null));
            cases.add(Arguments.of(path, "{\"a\":" + deep + "}", null));
        }
        cases.add(Arguments.of("/api/auth/request-otp", "{\"phone\":[\"+447400123456\"]}", "phone"));
        cases.add(Arguments.of("/api/auth/verify-otp", "{\"phone\":\"+447400123456\",\"otp_code\":{}}", "otp_code"));
        cases.add(Arguments.of("/api/auth/refresh", "{\"refresh_token\":\"a\",\"refresh_token\":\"b\"}",
                "refresh_token"));
        // A device name longer than its column on every call that opens a session: a 400, not a database error.
        String longName = "\"" + "d".repeat(201) + "\"";
        cases.add(Arguments.of("/api/auth/verify-otp",
                "{\"phone\":\"+447400123456\",\"otp_code\":\"123456\",\"device_name\":" + longName + "}",
                "device_name"));
        cases.add(Arguments.of("/api/auth/register/verify",
                "{\"phone\":\"+447400123456\",\"otp_code\":\"123456\",\"device_name\":" + longName + "}",
                "device_name"));
        cases.add(Arguments.of("/api/auth/login",
                "{\"email\":\"a@example.org\",\"password\":\"pw\",\"device_name\":" + longName + "}", "device_name"));
        cases.add(Arguments.of("/api/auth/login/verify",
                "{\"verification_id\":\"v\",\"otp_code\":\"123456\",\"device_name\":" + longName + "}", "device_name"));
        return cases.build();
    }

    @ParameterizedTest
    @MethodSource("bodies")
    void aBodyOfTheWrongShapeIsAProblem(String path, String body, String field) {
        var answer = given().contentType(ContentType.JSON).body(body).post(path).then().statusCode(400)
                .contentType("application/problem+json").body("code", notNullValue()).body("status", equalTo(400));
        if (field != null) {
            answer.body("field", equalTo(field));
        }
    }
}
