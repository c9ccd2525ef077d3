package io.phonekey.otp.service;

import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;

import io.phonekey.contract.problem.Problem;

/** Why a code is sent. A code is bound to its purpose: a login code cannot reset a password. */
public enum Purpose {
    LOGIN, SIGNUP, LINK_TELEGRAM, PASSWORD_RESET, TWO_FA("2fa"), TRANSACTION;

    private final String wire;

    Purpose() {
        this.wire = name().toLowerCase(Locale.ROOT);
    }

    Purpose(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    public static Purpose parse(String value) {
        if (value == null) {
            return LOGIN;
        }
        for (Purpose p : values()) {
            if (p.wire.equals(value)) {
                return p;
            }
        }
        throw Problem.field("purpose", "purpose must be one of " + Arrays.stream(values()).map(Purpose::wire)
                .collect(Collectors.joining(", ")));
    }
}
