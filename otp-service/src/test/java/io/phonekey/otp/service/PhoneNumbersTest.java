package io.phonekey.otp.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import jakarta.inject.Inject;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import io.phonekey.contract.problem.Problem;
import io.quarkus.test.junit.QuarkusTest;

/** Phone parsing with libphonenumber: national and international formats from 15+ countries, valid and not. */
@QuarkusTest
class PhoneNumbersTest {

    @Inject
    PhoneNumbers phones;

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource(delimiter = ';', nullValues = "-", textBlock = """
            +44 7400 123456;      -;  +447400123456; GB
            07400 123456;         GB; +447400123456; GB
            (415) 555-2671;       US; +14155552671;  US
            +1 415-555-2671;      -;  +14155552671;  US
            09354328338;          IR; +989354328338; IR
            +98 935 432 8338;     -;  +989354328338; IR
            0151 23456789;        DE; +4915123456789; DE
            +49 151 23456789;     -;  +4915123456789; DE
            06 12 34 56 78;       FR; +33612345678;  FR
            +33 6 12 34 56 78;    -;  +33612345678;  FR
            612 345 678;          ES; +34612345678;  ES
            +34 612 34 56 78;     -;  +34612345678;  ES
            312 345 6789;         IT; +393123456789; IT
            +39 312 345 6789;     -;  +393123456789; IT
            8 (912) 345-67-89;    RU; +79123456789;  RU
            +7 912 345-67-89;     -;  +79123456789;  RU
            (11) 96123-4567;      BR; +5511961234567; BR
            +55 11 96123 4567;    -;  +5511961234567; BR
            98765 43210;          IN; +919876543210; IN
            +91 98765 43210;      -;  +919876543210; IN
            090-1234-5678;        JP; +819012345678; JP
            +81 90 1234 5678;     -;  +819012345678; JP
            0412 345 678;         AU; +61412345678;  AU
            +61 412 345 678;      -;  +61412345678;  AU
            06 12345678;          NL; +31612345678;  NL
            +31 6 1234 5678;      -;  +31612345678;  NL
            0803 123 4567;        NG; +2348031234567; NG
            +234 803 123 4567;    -;  +2348031234567; NG
            912 345 678;          PT; +351912345678; PT
            +351 912 345 678;     -;  +351912345678; PT
            050 123 4567;         UA; +380501234567; UA
            +380 50 123 4567;     -;  +380501234567; UA
            """)
    void validMobileNumbersAreAnsweredInE164(String raw, String region, String e164, String country) {
        io.phonekey.contract.text.PhoneNumbers.Parsed parsed = phones.parseForSending(raw, region);
        assertEquals(e164, parsed.e164());
        assertEquals(country, parsed.region());
    }

    @ParameterizedTest(name = "{0} ({1}) -> {2}")
    @CsvSource(delimiter = ';', nullValues = "-", textBlock = """
            +1-555-123-4567;      -;  invalid_phone
            07400 123456;         -;  invalid_phone
            12;                   GB; invalid_phone
            not a number;         -;  invalid_phone
            +44 7400 12345;       -;  invalid_phone
            +49 151 2345;         -;  invalid_phone
            +999 123 456 789;     -;  invalid_phone
            +44 20 7946 0958;     -;  invalid_phone
            +1 800 555 0199;      -;  invalid_phone
            +44 909 879 0000;     -;  invalid_phone
            +33 1 23 45 67 89;    -;  invalid_phone
            0612345678;           XX; invalid_field
            '+44 7400 123456;ext=1'; -; invalid_phone
            +44 7400 123456 ext. 99; -; invalid_phone
            +44 7400 123456 x99;  -;  invalid_phone
            +44 7400 12�3456;    -;  invalid_phone
            +7 912 345-67-89-00-00-00-00-00-00-00-00; -; invalid_phone
            """)
    void invalidOrNonMobileNumbersAreRefusedWithAClearCode(String raw, String region, String code) {
        Problem p = assertThrows(Problem.class, () -> phones.parseForSending(raw, region));
        assertEquals(400, p.status());
        assertEquals(code, p.code());
    }
}
