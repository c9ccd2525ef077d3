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
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.jose4j.jwk.JsonWebKey;
import org.jose4j.jwk.JsonWebKeySet;
import org.jose4j.jwk.PublicJsonWebKey;
import org.jose4j.lang.JoseException;

import io.phonekey.identity.config.IdentityConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Row;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * The ES256 keys that sign access tokens, kept in this service's database so every replica signs with the same key,
 * their private halves sealed with IDENTITY_SIGNING_KEY_SECRET ({@link KeyVault}). Keys rotate by themselves: every
 * {@code identity.signing.rotation} a new key is written {@code publish-ahead} before it signs, so it is in every
 * verifier's JWKS before the first token it signs; the key it replaces stays published until the last token it signed
 * has expired, then retires. Every key not past {@code retire_after} is in the JWKS; the newest whose
 * {@code activates_at} has come signs. Replicas agree through an advisory lock: one of them writes the next key.
 */
@ApplicationScoped
public class SigningKeys {

    /** The key that signs now. */
    public record Active(String kid, PrivateKey privateKey) {
    }

    /** A stored key as an operator sees it (never its private half). */
    public record KeyInfo(String kid, OffsetDateTime createdAt, OffsetDateTime activatesAt,
            OffsetDateTime retireAfter) {
    }

    /** Advisory lock id guarding key creation. */
    private static final long CREATE_LOCK = 0x70686b6579L;

    private final Pool pool;
    private final Vertx vertx;
    private final KeyVault vault;
    private final IdentityConfig.Signing settings;
    private final Duration tokenTtl;
    private volatile Active active;
    private volatile String jwks = "{\"keys\":[]}";
    private volatile List<JsonWebKey> verificationKeys = List.of();

    public SigningKeys(Pool pool, Vertx vertx, IdentityConfig config) {
        this.pool = pool;
        this.vertx = vertx;
        this.settings = config.signing();
        this.vault = KeyVault.of(settings.secret());
        this.tokenTtl = config.accessTokenTtl();
    }

    void onStart(@Observes StartupEvent event) {
        load().await().atMost(Duration.ofSeconds(60));
        // Re-read often enough that a key written by another replica is published, and a due key signs, in time.
        long every = Math.max(250, Math.min(60_000, settings.publishAhead().toMillis() / 4));
        vertx.setPeriodic(every, id -> load().subscribe().with(ok -> {
        }, failure -> Log.warnf("reloading signing keys failed: %s", failure.toString())));
    }

    public Active active() {
        return active;
    }

    /** The published public keys, parsed: what this service verifies its own tokens with. */
    public List<JsonWebKey> verificationKeys() {
        return verificationKeys;
    }

    /** The public JWK Set, as served at /.well-known/jwks.json. */
    public String jwks() {
        return jwks;
    }

    Uni<Void> load() {
        return pool.query("SELECT kid, private_key, public_jwk, activates_at FROM signing_key"
                + " WHERE retire_after IS NULL OR retire_after > now() ORDER BY activates_at DESC").execute()
                .flatMap(rows -> {
                    OffsetDateTime now = now();
                    Row newest = rows.size() == 0 ? null : rows.iterator().next();
                    if (newest == null || due(newest.getOffsetDateTime("activates_at"), now)) {
                        return rotate().flatMap(ignored -> load());
                    }
                    List<String> keys = new ArrayList<>();
                    List<Uni<Void>> reseal = new ArrayList<>();
                    Row signing = null;
                    for (Row row : rows) {
                        keys.add(row.getString("public_jwk"));
                        if (signing == null && !row.getOffsetDateTime("activates_at").isAfter(now)) {
                            signing = row;
                        }
                        if (!vault.current(row.getString("private_key"))) {
                            reseal.add(reseal(row));
                        }
                    }
                    Row chosen = signing != null ? signing : newest;
                    String kid = chosen.getString("kid");
                    if (active == null || !active.kid().equals(kid)) {
                        active = new Active(kid, privateKey(vault.open(kid, chosen.getString("private_key"))));
                        Log.infof("signing access tokens with key %s; %d key(s) published", kid, keys.size());
                    }
                    String set = "{\"keys\":[" + String.join(",", keys) + "]}";
                    if (!set.equals(jwks)) {
                        try {
                            verificationKeys = List.copyOf(new JsonWebKeySet(set).getJsonWebKeys());
                        } catch (JoseException e) {
                            throw new IllegalStateException("a stored public key cannot be read", e);
                        }
                    }
                    jwks = set;
                    return reseal.isEmpty()
                            ? Uni.createFrom().voidItem()
                            : Uni.join().all(reseal).andFailFast().replaceWithVoid();
                });
    }

    /** Whether the newest key is old enough that its successor must be published now. */
    private boolean due(OffsetDateTime newestActivates, OffsetDateTime now) {
        return !newestActivates.plus(settings.rotation()).isAfter(now.plus(settings.publishAhead()));
    }

    /** A key stored before encryption, or under an older secret: sealed with the current one. */
    private Uni<Void> reseal(Row row) {
        String kid = row.getString("kid");
        String sealed = vault.seal(kid, vault.open(kid, row.getString("private_key")));
        return pool.preparedQuery("UPDATE signing_key SET private_key = $2 WHERE kid = $1 AND private_key = $3")
                .execute(Tuple.of(kid, sealed, row.getString("private_key"))).replaceWithVoid();
    }

    /**
     * Writes the next key, under the lock and only if it is still due (another replica may have written it). The
     * first key signs at once; a successor {@code publish-ahead} from now at the earliest, and the keys it replaces
     * retire when the last token they can have signed has expired.
     */
    private Uni<Void> rotate() {
        return write(false, false);
    }

    /**
     * An operator's rotation, now rather than on schedule. Planned: the new key is published at once and signs
     * {@code publish-ahead} from now, the current one retires after its last token, so no verifier sees a 401.
     * Compromised: the new key signs at once and every other key is withdrawn at once; tokens they signed are
     * refused here immediately and by other verifiers when their JWKS cache expires (5 minutes), clients refresh.
     */
    public Uni<List<KeyInfo>> rotateNow(boolean compromised) {
        return write(true, compromised).chain(this::load).chain(this::list);
    }

    /** Every stored key not yet retired, newest first. */
    public Uni<List<KeyInfo>> list() {
        return pool.query("SELECT kid, created_at, activates_at, retire_after FROM signing_key"
                + " WHERE retire_after IS NULL OR retire_after > now() ORDER BY activates_at DESC").execute()
                .map(rows -> {
                    List<KeyInfo> out = new ArrayList<>();
                    rows.forEach(r -> out.add(new KeyInfo(r.getString("kid"), r.getOffsetDateTime("created_at"),
                            r.getOffsetDateTime("activates_at"), r.getOffsetDateTime("retire_after"))));
                    return out;
                });
    }

    private Uni<Void> write(boolean forced, boolean compromised) {
        KeyPair pair;
        String kid;
        String publicJwk;
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"));
            pair = generator.generateKeyPair();
            PublicJsonWebKey jwk = PublicJsonWebKey.Factory.newPublicJwk(pair.getPublic());
            kid = jwk.calculateBase64urlEncodedThumbprint("SHA-256");
            jwk.setKeyId(kid);
            jwk.setAlgorithm("ES256");
            jwk.setUse("sig");
            publicJwk = jwk.toJson(JsonWebKey.OutputControlLevel.PUBLIC_ONLY);
        } catch (java.security.GeneralSecurityException | JoseException e) {
            return Uni.createFrom().failure(e);
        }
        String sealed = vault.seal(kid, pair.getPrivate().getEncoded());
        return pool.withTransaction(conn -> conn.query("SELECT pg_advisory_xact_lock(" + CREATE_LOCK + ")").execute()
                .flatMap(locked -> conn.query("SELECT max(activates_at) FROM signing_key"
                        + " WHERE retire_after IS NULL OR retire_after > now()").execute())
                .flatMap(rows -> {
                    OffsetDateTime now = now();
                    OffsetDateTime newest = rows.iterator().next().getOffsetDateTime(0);
                    if (!forced && newest != null && !due(newest, now)) {
                        return Uni.createFrom().voidItem();
                    }
                    OffsetDateTime activates = newest == null || compromised
                            ? now
                            : forced
                                    ? now.plus(settings.publishAhead())
                                    : max(newest.plus(settings.rotation()), now.plus(settings.publishAhead()));
                    OffsetDateTime retire = compromised ? now : activates.plus(tokenTtl).plusMinutes(5);
                    Log.infof("signing key %s published; it signs from %s", kid, activates);
                    return conn.preparedQuery("INSERT INTO signing_key (kid, private_key, public_jwk, created_at,"
                            + " activates_at) VALUES ($1, $2, $3, $4, $5)")
                            .execute(Tuple.of(kid, sealed, publicJwk, now, activates))
                            // A compromised rotation also shortens what an earlier rotation left to retire later.
                            .flatMap(inserted -> conn.preparedQuery("UPDATE signing_key SET retire_after = $2"
                                    + " WHERE kid <> $1 AND (retire_after IS NULL OR retire_after > $2)")
                                    .execute(Tuple.of(kid, retire)))
                            .replaceWithVoid();
                }));
    }

    private static OffsetDateTime now() {
        return OffsetDateTime.now(ZoneOffset.UTC);
    }

    private static OffsetDateTime max(OffsetDateTime a, OffsetDateTime b) {
        return a.isAfter(b) ? a : b;
    }

    private static PrivateKey privateKey(byte[] pkcs8) {
        try {
            return KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(pkcs8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("a stored signing key cannot be read", e);
        }
    }
}
