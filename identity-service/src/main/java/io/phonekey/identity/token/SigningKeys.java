package io.phonekey.identity.token;

import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ES256 keys that sign access tokens, kept in this service's database so every replica signs with the same key.
 * The newest key signs; every key not past {@code retire_after} is published in the JWKS, so a retired key keeps
 * verifying until the last token it signed has expired.
 */
@ApplicationScoped
public class SigningKeys {

    /** The key that signs now. */
    public record Active(String kid, PrivateKey privateKey) {
    }

    /** Advisory lock id guarding key creation. */
    private static final long CREATE_LOCK = 0x70686b6579L;
    /** How often the key set is re-read, so keys added or retired by another replica are published here too. */
    private static final long RELOAD_MILLIS = 60_000;

    private final Pool pool;
    private final Vertx vertx;
    private volatile Active active;
    private volatile String jwks = "{\"keys\":[]}";

    public SigningKeys(Pool pool, Vertx vertx) {
        this.pool = pool;
        this.vertx = vertx;
    }

    void onStart(@Observes StartupEvent event) {
        load().await().atMost(Duration.ofSeconds(60));
        vertx.setPeriodic(RELOAD_MILLIS, id -> load().subscribe().with(ok -> {
        }, failure -> Log.warnf("reloading signing keys failed: %s", failure.toString())));
    }

    public Active active() {
        return active;
    }

    /** The public JWK Set, as served at /.well-known/jwks.json. */
    public String jwks() {
        return jwks;
    }

    Uni<Void> load() {
        return pool.query("SELECT kid, private_key, public_jwk FROM signing_key"
                + " WHERE retire_after IS NULL OR retire_after > now() ORDER BY created_at DESC").execute()
                .flatMap(rows -> {
                    if (rows.size() == 0) {
                        return create().flatMap(ignored -> load());
                    }
                    List<String> keys = new ArrayList<>();
                    Row newest = null;
                    for (Row row : rows) {
                        newest = newest == null ? row : newest;
                        keys.add(row.getString("public_jwk"));
                    }
                    active = new Active(newest.getString("kid"), privateKey(newest.getString("private_key")));
                    jwks = "{\"keys\":[" + String.join(",", keys) + "]}";
                    Log.debugf("signing with key %s; %d key(s) published", active.kid(), keys.size());
                    return Uni.createFrom().voidItem();
                });
    }

    private Uni<Void> create() {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            KeyPair pair = generator.generateKeyPair();
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            String kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setAlgorithm("ES256");
            jwk.setUse("sig");
            String publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
            String privateKey = Base64.getEncoder().encodeToString(pair.getPrivate().getEncoded());
            // Replicas starting together on an empty table must agree on one key: the first to take the lock creates it.
            return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")")
                    .execute()
                    .flatMap(locked -> conn.query("SELECT count(*) FROM signing_key"
                            + " WHERE retire_after IS NULL OR retire_after > now()").execute())
                    .flatMap(rows -> rows.iterator().next().getLong(0) > 0
                            ? Uni.createFrom().voidItem()
                            : conn.preparedQuery("INSERT INTO signing_key (kid, private_key, public_jwk, created_at)"
                                    + " VALUES ($1, $2, $3, $4)")
                                    .execute(Tuple.of(kid, privateKey, publicJwk, OffsetDateTime.now(ZoneOffset.UTC)))
                                    .replaceWithVoid()));
        } catch (java.security.GeneralSecurityException | JoseException e) {
            return Uni.createFrom().failure(e);
        }
    }

    private static PrivateKey privateKey(String pkcs8) {
        try {
            return KeyFactory.getInstance("EC")
                    .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(pkcs8)));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be read", e);
        }
    }
}
