package io.phonekey.identity.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A user, found by phone and identified by an immutable id. */
@Entity
@Table(name = "app_user")
public class User extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(name = "tenant_id")
    public String tenantId;

    public String phone;

    @Column(name = "phone_verified")
    public boolean phoneVerified;

    public String email;

    @Column(name = "full_name")
    public String fullName;

    @Column(name = "password_hash")
    public String passwordHash;

    public String status;

    @Column(name = "telegram_linked")
    public boolean telegramLinked;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Uni<User> findByPhone(String phone) {
        return find("phone", phone).firstResult();
    }

    @Override
    public String toString() {
        return "User[id=" + id + ", status=" + status + "]";
    }
}
