package io.phonekey.identity.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A refresh token, stored only as its SHA-256. */
@Entity
@Table(name = "refresh_token")
public class RefreshToken extends PanacheEntityBase {

    @Id
    @Column(name = "token_hash")
    public String tokenHash;

    @Column(name = "session_id")
    public UUID sessionId;

    @Column(name = "issued_at")
    public Instant issuedAt;

    @Column(name = "idle_expires_at")
    public Instant idleExpiresAt;

    @Column(name = "spent_at")
    public Instant spentAt;

    /** Marks the token spent if nobody did before; exactly one of concurrent callers gets {@code true}. */
    public static Uni<Boolean> spend(String tokenHash, Instant now) {
        return update("spentAt = ?1 where tokenHash = ?2 and spentAt is null", now, tokenHash).map(n -> n == 1);
    }
}
