package io.phonekey.identity.service;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.UUID;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.contract.event.AccountLinked;
import io.phonekey.contract.event.EventType;
import io.phonekey.contract.event.OtpVerified;
import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.contract.text.PhoneNumbers;
import io.phonekey.identity.event.Outbox;
import io.phonekey.identity.repository.Accounts;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.sqlclient.SqlConnection;

/**
 * Linking a Telegram chat to an account. A signed-in user asks for a {@code link_telegram} code to the
 * account's phone; the SMS carries a link to telegram-gateway's WebApp page, which checks the code with otp-service
 * passing the chat. The approval arrives here as {@code otp.verified}: it links the chat to the user who asked for
 * that very verification, for that phone, and nobody else, and announces it on {@code account.linked}.
 */
@ApplicationScoped
public class TelegramLinks {

    private final Accounts accounts;
    private final OtpGateway otp;
    private final Outbox outbox;
    private final io.vertx.mutiny.sqlclient.Pool pool;

    public TelegramLinks(Accounts accounts, OtpGateway otp, Outbox outbox, io.vertx.mutiny.sqlclient.Pool pool) {
        this.accounts = accounts;
        this.otp = otp;
        this.outbox = outbox;
        this.pool = pool;
    }

    public Uni<Answers.TelegramCodeSent> sendCode(UUID userId, String accountPhone, String rawPhone, String region,
            String ip) {
        String phone = PhoneNumbers.parse(rawPhone, region, "phone_number").e164();
        if (!phone.equals(accountPhone)) {
            throw Problem.badRequest("phone_mismatch", "phone_number must be this account's phone")
                    .with("field", "phone_number");
        }
        return otp.create(AccountService.otpBody(phone, "link_telegram", ip, Map.of("user_id", userId.toString())))
                .flatMap(v -> accounts.addPending(pool, v.path("id").asText(), "link_telegram", userId, phone,
                        v.path("expires_in").asLong(600))
                        .map(x -> new Answers.TelegramCodeSent(true, "Verification code sent", phone,
                                v.path("expires_in").asLong(), v.path("id").asText())));
    }

    /**
     * The approval of a link code, inside the consumer's transaction. A verification this service did not start for
     * that phone, or one without the chat in its context, links nothing.
     */
    public Uni<Void> approved(SqlConnection tx, OtpVerified event) {
        Map<String, Object> context = event.getContext() == null ? Map.of() : event.getContext();
        Long chatId = number(context.get("chat_id"));
        Long telegramUserId = number(context.get("telegram_user_id"));
        return accounts.takePending(tx, event.getVerificationId(), "link_telegram").flatMap(pending -> {
            if (pending == null || !pending.phone().equals(event.getPhone())) {
                Log.warnf("link_telegram approval %s for %s matches no link this service started: ignored",
                        event.getVerificationId(), PhoneMask.mask(event.getPhone()));
                return Uni.createFrom().voidItem();
            }
            if (chatId == null || telegramUserId == null || telegramUserId < 1) {
                Log.warnf("link_telegram approval %s carries no chat: nothing linked", event.getVerificationId());
                return Uni.createFrom().voidItem();
            }
            OffsetDateTime at = OffsetDateTime.now(ZoneOffset.UTC);
            return accounts.linkTelegram(tx, pending.userId(), telegramUserId, at)
                    .chain(() -> accounts.byId(tx, pending.userId()))
                    .chain(account -> outbox.add(tx, EventType.ACCOUNT_LINKED, pending.phone(), new AccountLinked()
                            .withUserId(pending.userId().toString()).withPhone(pending.phone()).withChatId(chatId)
                            .withTelegramUserId(telegramUserId).withLinkedAt(at.toInstant())
                            .withDisplayName(account == null ? null : account.fullName())))
                    .invoke(() -> Log.infof("user %s linked Telegram chat", pending.userId()));
        });
    }

    private static Long number(Object value) {
        if (value instanceof Number n) {
            return n.longValue();
        }
        if (value instanceof String s && s.matches("-?[0-9]{1,19}")) {
            return Long.parseLong(s);
        }
        return null;
    }
}
