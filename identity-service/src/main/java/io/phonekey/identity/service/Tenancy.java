package io.phonekey.identity.service;

import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.identity.config.IdentityConfig;

/**
 * Which tenant a new user belongs to (IDENTITY_TENANCY): {@code shared} puts everyone in the default tenant;
 * {@code per-user} gives each new phone a tenant of its own, as a platform of shops, where every shop owner signs in by
 * phone and sees only its own data. Every token carries {@code tenant_id}; nothing reads across tenants.
 */
@ApplicationScoped
public class Tenancy {

    private final IdentityConfig config;

    public Tenancy(IdentityConfig config) {
        this.config = config;
    }

    public String tenantForNewUser(UUID userId) {
        return config.tenancy() == IdentityConfig.TenancyMode.PER_USER ? userId.toString() : config.defaultTenant();
    }
}
