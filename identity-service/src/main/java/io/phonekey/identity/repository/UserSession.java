package io.phonekey.identity.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** One login on one device; its id is the {@code sid} claim of the access tokens issued to it. */
@Entity
@Table(name = "user_session")
public class UserSession extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "user_id")
    public UUID userId;

    @Column(name = "device_name")
    public String deviceName;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "last_seen_at")
    public Instant lastSeenAt;

    @Column(name = "expires_at")
    public Instant expiresAt;

    @Column(name = "revoked_at")
    public Instant revokedAt;

    @Column(name = "revoked_reason")
    public String revokedReason;

    public boolean active(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }

    /** Revokes every live session of a user; returns how many. */
    public static Uni<Integer> revokeAll(UUID userId, String reason) {
        return update("revokedAt = ?1, revokedReason = ?2 where userId = ?3 and revokedAt is null", Instant.now(),
                reason, userId);
    }
}
