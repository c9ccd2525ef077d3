package io.phonekey.telegram.bot;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.List;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import com.pengrad.telegrambot.UpdatesListener;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.request.DeleteWebhook;
import com.pengrad.telegrambot.request.GetUpdates;
import com.pengrad.telegrambot.request.SetWebhook;
import com.pengrad.telegrambot.utility.BotUtils;

import io.micrometer.core.instrument.MeterRegistry;
import io.phonekey.telegram.config.TelegramConfig;
import io.phonekey.telegram.repository.Updates;
import io.quarkus.logging.Log;
import io.quarkus.runtime.StartupEvent;
import io.smallrye.mutiny.Uni;
import io.vertx.mutiny.core.Vertx;

/**
 * Where updates come in, by webhook or by polling: each is stored once by {@code update_id} (a redelivery is dropped
 * there), acknowledged at once, then handled in the background. A malformed update is logged and acknowledged, so
 * Telegram does not retry it forever. A sweeper claims what a crash left stored but unhandled ({@link Updates#claimStale}:
 * once its owner's claim ran out, and by one replica only).
 */
@ApplicationScoped
public class UpdateInbox {

    private final TelegramConfig config;
    private final BotClient bot;
    private final Updates updates;
    private final Conversation conversation;
    private final Vertx vertx;
    private final MeterRegistry metrics;

    public UpdateInbox(TelegramConfig config, BotClient bot, Updates updates, Conversation conversation, Vertx vertx,
            MeterRegistry metrics) {
        this.config = config;
        this.bot = bot;
        this.updates = updates;
        this.conversation = conversation;
        this.vertx = vertx;
        this.metrics = metrics;
    }

    void start(@Observes StartupEvent start) {
        vertx.setPeriodic(10_000, id -> sweep());
        if (!bot.enabled()) {
            Log.info("Telegram bot off (TELEGRAM_MODE=off or no TELEGRAM_BOT_TOKEN): nothing is delivered by the bot");
            return;
        }
        if ("webhook".equals(config.mode())) {
            String url = config.webhookUrl().orElseThrow(() -> new IllegalStateException(
                    "TELEGRAM_MODE=webhook needs TELEGRAM_WEBHOOK_URL"));
            // Telegram (or the network to it) may be down when we start: keep trying, or no update would ever come.
            bot.execute(new SetWebhook().url(url).secretToken(config.webhookSecret().orElseThrow())
                    .allowedUpdates("message"))
                    .onFailure().invoke(e -> Log.warnf("setWebhook failed, retrying: %s", e.getMessage()))
                    .onFailure().retry().withBackOff(Duration.ofSeconds(1), Duration.ofSeconds(30)).indefinitely()
                    .subscribe().with(ok -> Log.infof("Telegram webhook set to %s", url),
                            e -> Log.errorf("setWebhook failed: %s", e.getMessage()));
        } else if ("polling".equals(config.mode())) {
            bot.execute(new DeleteWebhook()).subscribe().with(ok -> {
                bot.bot().setUpdatesListener(this::polled, e -> Log.warnf("polling: %s", e.getMessage()),
                        new GetUpdates().timeout(25).allowedUpdates("message"));
                Log.info("Telegram bot polling for updates");
            }, e -> Log.errorf("deleteWebhook failed, not polling: %s", e.getMessage()));
        }
    }

    /** Whether a presented webhook secret is ours, compared in constant time. */
    public boolean secretMatches(String presented) {
        String secret = config.webhookSecret().orElse("");
        return presented != null && !secret.isEmpty() && MessageDigest.isEqual(
                presented.getBytes(StandardCharsets.UTF_8), secret.getBytes(StandardCharsets.UTF_8));
    }

    /** Stores a raw update from the webhook; completes once it is stored, handling goes on in the background. */
    public Uni<Void> receive(String body) {
        Update update;
        try {
            update = BotUtils.parseUpdate(body);
        } catch (RuntimeException e) {
            update = null;
        }
        if (update == null || update.updateId() == null) {
            Log.warn("malformed Telegram update ignored");
            metrics.counter("phonekey_telegram_updates", "outcome", "malformed").increment();
            return Uni.createFrom().voidItem();
        }
        Update parsed = update;
        return updates.store(parsed.updateId(), body).invoke(fresh -> {
            metrics.counter("phonekey_telegram_updates", "outcome", fresh ? "stored" : "duplicate").increment();
            if (fresh) {
                process(parsed);
            }
        }).replaceWithVoid();
    }

    /** Polling: the library hands a batch; each is stored and handled like a webhook update. */
    int polled(List<Update> batch) {
        int last = UpdatesListener.CONFIRMED_UPDATES_NONE;
        try {
            for (Update update : batch) {
                receive(BotUtils.toJson(update)).await().atMost(java.time.Duration.ofSeconds(10));
                last = update.updateId();
            }
        } catch (RuntimeException e) {
            // The library stops polling if this throws: confirm what was stored and try the rest again.
            Log.warnf("storing polled updates failed: %s", e.getMessage());
        }
        return last;
    }

    private void process(Update update) {
        conversation.handle(update).chain(() -> updates.processed(update.updateId())).subscribe().with(v -> {
        }, e -> Log.warnf("update %d not handled yet (retried): %s", update.updateId(), e.toString()));
    }

    void sweep() {
        updates.claimStale().subscribe().with(list -> list.forEach(stored -> {
            Update update = BotUtils.parseUpdate(stored.payload());
            process(update);
        }), e -> Log.debugf("update sweep failed: %s", e.toString()));
    }
}
