package io.phonekey.otp.rest;

import jakarta.enterprise.context.RequestScoped;

/** The backend calling this request, as named in OTP_API_KEYS; set by {@link ApiKeyFilter}. */
@RequestScoped
public class ApiCaller {

    private String name;

    public String name() {
        return name;
    }

    void name(String name) {
        this.name = name;
    }
}
