package io.phonekey.identity.token;

import jakarta.annotation.Priority;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.inject.Alternative;

import org.eclipse.microprofile.jwt.Claims;
import org.jose4j.jwa.AlgorithmConstraints;
import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jws.AlgorithmIdentifiers;
import org.jose4j.jwt.JwtClaims;
import org.jose4j.jwt.consumer.InvalidJwtException;
import org.jose4j.jwt.consumer.JwtConsumer;
import org.jose4j.jwt.consumer.JwtConsumerBuilder;
import org.jose4j.keys.resolvers.JwksVerificationKeyResolver;

import io.smallrye.jwt.auth.principal.DefaultJWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTAuthContextInfo;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipal;
import io.smallrye.jwt.auth.principal.JWTCallerPrincipalFactory;
import io.smallrye.jwt.auth.principal.ParseException;

/**
 * smallrye-jwt verifies this service's own access tokens with the keys it publishes now ({@link SigningKeys}), not
 * with a cached HTTP copy of its own JWKS: a key withdrawn by a rotation is refused at once, and a key that began
 * signing a moment ago is known at once (the HTTP cache refreshes at most once a minute). The rules are
 * smallrye-jwt's own configuration (issuer, audience, clock skew, token age) plus ES256 and the claims every token
 * of ours carries. Other services verify against the published JWKS as usual.
 */
@Alternative
@Priority(1)
@ApplicationScoped
public class OwnKeysVerifier extends JWTCallerPrincipalFactory {

    private final SigningKeys keys;

    public OwnKeysVerifier(SigningKeys keys) {
        this.keys = keys;
    }

    @Override
    public JWTCallerPrincipal parse(String token, JWTAuthContextInfo context) throws ParseException {
        java.util.List<JsonWebKey> published = keys.verificationKeys();
        JwtConsumerBuilder builder = new JwtConsumerBuilder()
                .setJwsAlgorithmConstraints(AlgorithmConstraints.ConstraintType.PERMIT,
                        AlgorithmIdentifiers.ECDSA_USING_P256_CURVE_AND_SHA256)
                .setVerificationKeyResolver(new JwksVerificationKeyResolver(published))
                .setRequireExpirationTime().setRequireIssuedAt().setRequireSubject().setRequireJwtId()
                .setAllowedClockSkewInSeconds(context.getClockSkew()).setExpectedIssuer(context.getIssuedBy());
        if (context.getExpectedAudience() != null && !context.getExpectedAudience().isEmpty()) {
            builder.setExpectedAudience(context.getExpectedAudience().toArray(String[]::new));
        }
        if (context.getTokenAge() != null) {
            builder.setIssuedAtRestrictions(context.getClockSkew(), context.getTokenAge().intValue());
        }
        JwtConsumer consumer = builder.build();
        try {
            JwtClaims claims = consumer.processToClaims(token);
            for (String required : context.getRequiredClaims() == null
                    ? java.util.Set.<String>of()
                    : context.getRequiredClaims()) {
                if (!claims.hasClaim(required)) {
                    throw new ParseException("the token lacks the claim " + required);
                }
            }
            claims.setClaim(Claims.raw_token.name(), token);
            return new DefaultJWTCallerPrincipal("JWT", claims);
        } catch (InvalidJwtException e) {
            throw new ParseException("the access token is not valid: " + e.getMessage(), e);
        }
    }
}
