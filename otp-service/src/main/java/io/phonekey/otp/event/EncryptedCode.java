package io.phonekey.otp.event;

/** A one-time code sealed with AES-GCM for the delivery services: algorithm, key id, nonce and ciphertext+tag. */
public record EncryptedCode(String alg, String kid, String iv, String ciphertext) {
}
