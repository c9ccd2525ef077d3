package io.phonekey.telegram.gateway;

import java.util.ArrayList;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;

import io.smallrye.mutiny.Multi;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.Pool;
import io.vertx.mutiny.sqlclient.Tuple;

/**
 * Withdraws the Gateway API messages of a code that no longer works: used ({@code otp.verified}), canceled
 * ({@code otp.canceled}) or replaced by a newer code ({@code otp.requested} with {@code replaces}). Each message is
 * marked revoked first, which also stops its fallback to SMS, then {@code revokeVerificationMessage} is called; a
 * message the cascade already fell back from is revoked too, since the Gateway may still deliver it.
 */
@ApplicationScoped
public class Revocations {

    private final Pool pool;
    private final GatewayApi gateway;

    public Revocations(Pool pool, GatewayApi gateway) {
        this.pool = pool;
        this.gateway = gateway;
    }

    /** Revokes every Gateway message still out for the verification; a repeat finds none and does nothing. */
    public Uni<Void> revoke(String verificationId) {
        return pool.preparedQuery("UPDATE gateway_request SET status = 'revoked', updated_at = now() "
                + "WHERE verification_id = $1 AND status IN ('sent', 'delivered', 'fallen_back') RETURNING request_id")
                .execute(Tuple.of(verificationId)).flatMap(rows -> {
                    List<String> ids = new ArrayList<>();
                    rows.forEach(r -> ids.add(r.getString(0)));
                    // Telegram refunds and hides an unread message on revoke; a failed call leaves at worst a
                    // message whose code no longer works, so it is not retried.
                    return Multi.createFrom().iterable(ids).onItem()
                            .transformToUniAndConcatenate(id -> gateway.revokeVerificationMessage(id)
                                    .onFailure().recoverWithNull().replaceWithVoid())
                            .collect().asList().replaceWithVoid();
                });
    }
}
