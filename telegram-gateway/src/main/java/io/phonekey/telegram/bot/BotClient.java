package io.phonekey.telegram.bot;

import java.io.IOException;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.pengrad.telegrambot.Callback;
import com.pengrad.telegrambot.TelegramBot;
import com.pengrad.telegrambot.request.BaseRequest;
import com.pengrad.telegrambot.request.SendMessage;
import com.pengrad.telegrambot.response.BaseResponse;

import io.phonekey.telegram.config.TelegramConfig;
import io.quarkus.logging.Log;
import io.quarkus.runtime.ShutdownEvent;
import io.smallrye.mutiny.Uni;

/**
 * The bot's outbound side: java-telegram-bot-api against TELEGRAM_API_URL, its async calls adapted to {@link Uni}.
 * Messages are paced, never dropped: at most {@code perChatPerSecond} into one chat and {@code overallPerSecond}
 * overall (a message waits for its slot), and a 429 is retried after the {@code retry_after} Telegram gives.
 */
@ApplicationScoped
public class BotClient {

    private final TelegramConfig config;
    private final TelegramBot bot;
    private final Map<Long, AtomicLong> nextSlotPerChat = new ConcurrentHashMap<>();
    private final AtomicLong nextOverallSlot = new AtomicLong();

    public BotClient(TelegramConfig config) {
        this.config = config;
        this.bot = config.botEnabled()
                ? new TelegramBot.Builder(config.botToken().get()).apiUrl(stripSlash(config.apiUrl()) + "/bot")
                        .build()
                : null;
    }

    void stop(@Observes ShutdownEvent stop) {
        if (bot != null) {
            bot.shutdown();
        }
    }

    public boolean enabled() {
        return bot != null;
    }

    public TelegramBot bot() {
        return bot;
    }

    /** What became of a call: Telegram's answer, or a transport failure after the last try. */
    public static final class CallFailed extends RuntimeException {

        private final int errorCode;

        CallFailed(int errorCode, String description) {
            super(description, null, false, false);
            this.errorCode = errorCode;
        }

        /** Telegram's {@code error_code} (403: blocked, 400: bad request), or 0 for a transport failure. */
        public int errorCode() {
            return errorCode;
        }

        public boolean blocked() {
            return errorCode == 403;
        }
    }

    /** Sends a message into a chat, paced; fails with {@link CallFailed} when Telegram refuses it for good. */
    public Uni<BaseResponse> send(long chatId, SendMessage message) {
        return pace(chatId).chain(() -> call(message, config.maxTries()));
    }

    /** Any other call (setWebhook, ...), unpaced. */
    public <T extends BaseRequest<T, R>, R extends BaseResponse> Uni<R> execute(T request) {
        return call(request, config.maxTries());
    }

    private <T extends BaseRequest<T, R>, R extends BaseResponse> Uni<R> call(T request, int triesLeft) {
        Uni<R> once = Uni.createFrom().emitter(em -> bot.execute(request, new Callback<T, R>() {
            @Override
            public void onResponse(T req, R response) {
                em.complete(response);
            }

            @Override
            public void onFailure(T req, IOException e) {
                em.fail(e);
            }
        }));
        return once.onFailure(IOException.class).recoverWithUni(e -> triesLeft > 1
                ? Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(500))
                        .chain(() -> call(request, triesLeft - 1))
                : Uni.createFrom().failure(new CallFailed(0, "Bot API unreachable: " + e.getMessage())))
                .flatMap(response -> {
                    if (response.isOk()) {
                        return Uni.createFrom().item(response);
                    }
                    Integer retryAfter = response.parameters() == null ? null : response.parameters().retryAfter();
                    if (response.errorCode() == 429 && triesLeft > 1) {
                        long wait = Math.max(1, retryAfter == null ? 1 : retryAfter);
                        Log.infof("Bot API asked to wait %d s (429)", wait);
                        return Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofSeconds(wait))
                                .chain(() -> call(request, triesLeft - 1));
                    }
                    return Uni.createFrom().failure(new CallFailed(response.errorCode(), response.description()));
                });
    }

    /** Waits for this chat's next slot and the next overall slot; the slots are reserved at once, so none is lost. */
    Uni<Void> pace(long chatId) {
        long now = System.currentTimeMillis();
        long chatGap = 1000L / Math.max(1, config.perChatPerSecond());
        long overallGap = 1000L / Math.max(1, config.overallPerSecond());
        long chatSlot = nextSlotPerChat.computeIfAbsent(chatId, id -> new AtomicLong())
                .getAndAccumulate(now, (next, t) -> Math.max(next, t) + chatGap);
        long overallSlot = nextOverallSlot.getAndAccumulate(now, (next, t) -> Math.max(next, t) + overallGap);
        long wait = Math.max(Math.max(chatSlot, overallSlot), now) - now;
        if (nextSlotPerChat.size() > 100_000) {
            nextSlotPerChat.entrySet().removeIf(e -> e.getValue().get() < now);
        }
        return wait <= 0
                ? Uni.createFrom().voidItem()
                : Uni.createFrom().voidItem().onItem().delayIt().by(Duration.ofMillis(wait));
    }

    private static String stripSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }
}
