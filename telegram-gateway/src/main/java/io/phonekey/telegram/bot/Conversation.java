package io.phonekey.telegram.bot;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;

import jakarta.enterprise.context.ApplicationScoped;

import com.pengrad.telegrambot.model.Chat;
import com.pengrad.telegrambot.model.Contact;
import com.pengrad.telegrambot.model.Message;
import com.pengrad.telegrambot.model.Update;
import com.pengrad.telegrambot.model.User;
import com.pengrad.telegrambot.model.request.KeyboardButton;
import com.pengrad.telegrambot.model.request.ReplyKeyboardMarkup;
import com.pengrad.telegrambot.model.request.ReplyKeyboardRemove;
import com.pengrad.telegrambot.request.SendMessage;

import io.phonekey.contract.otp.OtpGateway;
import io.phonekey.contract.problem.Problem;
import io.phonekey.contract.text.PhoneMask;
import io.phonekey.contract.text.PhoneNumbers;
import io.phonekey.telegram.repository.Chats;
import io.phonekey.telegram.repository.Updates;
import io.quarkus.logging.Log;
import io.smallrye.mutiny.Uni;

/**
 * What the bot says to what a user sends: {@code /start} (welcome and the "Share phone number" button),
 * {@code /help}, {@code /status}, {@code /unlink}, a shared contact (registers the chat for that phone, only for the
 * sender's own number, in a private chat, not forwarded), and a code while a link is pending (checked with
 * otp-service, the chat passed along so identity-service links exactly this chat).
 */
@ApplicationScoped
public class Conversation {

    private static final Pattern CODE = Pattern.compile("[0-9]{4,10}");

    private final BotClient bot;
    private final Texts texts;
    private final Chats chats;
    private final Updates updates;
    private final OtpGateway otp;

    public Conversation(BotClient bot, Texts texts, Chats chats, Updates updates, OtpGateway otp) {
        this.bot = bot;
        this.texts = texts;
        this.chats = chats;
        this.updates = updates;
        this.otp = otp;
    }

    public Uni<Void> handle(Update update) {
        Message message = update.message();
        if (message == null || message.from() == null || message.chat() == null || message.from().isBot()) {
            return Uni.createFrom().voidItem();
        }
        User from = message.from();
        String lang = from.languageCode();
        long chatId = message.chat().id();
        if (message.chat().type() != Chat.Type.Private) {
            // In a group the bot registers nothing; it only asks once, when addressed with a command or a contact.
            boolean addressed = message.contact() != null || message.text() != null && message.text().startsWith("/");
            return addressed ? say(chatId, texts.get(lang, "private_only")) : Uni.createFrom().voidItem();
        }
        Chats.Who who = new Chats.Who(chatId, from.id(), from.username(), from.firstName(), from.lastName(),
                texts.language(lang));
        return chats.seen(chats.pool(), who).chain(() -> {
            if (message.contact() != null) {
                return contact(who, message);
            }
            String text = message.text() == null ? "" : message.text().strip();
            String command = text.startsWith("/") ? text.split("[\\s@]", 2)[0].toLowerCase() : null;
            if (command != null) {
                return switch (command) {
                    case "/start" -> start(who);
                    case "/help" -> say(chatId, texts.get(lang, "help"));
                    case "/status" -> status(who);
                    case "/unlink" -> unlink(who);
                    default -> say(chatId, texts.get(lang, "unknown"));
                };
            }
            if (CODE.matcher(text).matches()) {
                return code(who, text);
            }
            return say(chatId, texts.get(lang, "unknown"));
        });
    }

    private Uni<Void> start(Chats.Who who) {
        ReplyKeyboardMarkup keyboard = new ReplyKeyboardMarkup(
                new KeyboardButton(texts.get(who.language(), "share_button")).requestContact(true))
                .resizeKeyboard(true).oneTimeKeyboard(true);
        return send(who.chatId(), new SendMessage(who.chatId(), texts.get(who.language(), "welcome"))
                .replyMarkup(keyboard));
    }

    /** Only the sender's own number counts: Telegram sets contact.user_id itself, a forward or a card cannot fake it. */
    private Uni<Void> contact(Chats.Who who, Message message) {
        Contact contact = message.contact();
        boolean own = contact.userId() != null && contact.userId().equals(who.telegramUserId())
                && message.forwardOrigin() == null;
        String phone = own ? e164(contact.phoneNumber()) : null;
        if (phone == null) {
            return say(who.chatId(), texts.get(who.language(), "not_own_contact"));
        }
        return chats.pool().withTransaction(tx -> chats.register(tx, who, phone)).flatMap(moved -> {
            Uni<Void> reply = send(who.chatId(), new SendMessage(who.chatId(),
                    texts.get(who.language(), "registered", "phone", PhoneMask.mask(phone)))
                    .replyMarkup(new ReplyKeyboardRemove()));
            if (moved.fromChatId() == null) {
                return reply;
            }
            Log.infof("phone %s moved to another chat (device switch)", PhoneMask.mask(phone));
            long old = moved.fromChatId();
            return reply.chain(() -> chats.byChat(chats.pool(), old)).chain(oldChat -> say(old,
                    texts.get(oldChat == null ? null : oldChat.language(), "moved_away", "phone",
                            PhoneMask.mask(phone))));
        });
    }

    private Uni<Void> status(Chats.Who who) {
        return chats.byChat(chats.pool(), who.chatId()).chain(chat -> {
            String lang = who.language();
            if (chat == null || chat.phone() == null) {
                return say(who.chatId(), texts.get(lang, "status_none"));
            }
            String key = chat.linked() ? "status_linked" : "status_phone";
            return say(who.chatId(), texts.get(lang, key, "phone", PhoneMask.mask(chat.phone())));
        });
    }

    private Uni<Void> unlink(Chats.Who who) {
        return chats.byChat(chats.pool(), who.chatId()).chain(chat -> chat == null || !chat.linked()
                ? say(who.chatId(), texts.get(who.language(), "unlink_none"))
                : chats.pool().withTransaction(tx -> chats.unlink(tx, who.chatId(), chat.phone()))
                        .chain(done -> say(who.chatId(),
                                texts.get(who.language(), "unlinked", "phone", PhoneMask.mask(chat.phone())))));
    }

    /** A code typed into the chat while a link_telegram code for its phone is pending. */
    private Uni<Void> code(Chats.Who who, String code) {
        String lang = who.language();
        return chats.byChat(chats.pool(), who.chatId())
                .chain(chat -> chat == null || chat.phone() == null
                        ? Uni.createFrom().<String>nullItem()
                        : updates.livePendingLink(chat.phone()))
                .chain(verificationId -> {
                    if (verificationId == null) {
                        return say(who.chatId(), texts.get(lang, "unknown"));
                    }
                    Map<String, Object> body = new LinkedHashMap<>();
                    body.put("verification_id", verificationId);
                    body.put("code", code);
                    body.put("context", Map.of("chat_id", who.chatId(), "telegram_user_id", who.telegramUserId()));
                    return otp.check(body)
                            .chain(ok -> updates.linkDone(verificationId)
                                    .chain(() -> say(who.chatId(), texts.get(lang, "link_code_ok"))))
                            .onFailure(Problem.class)
                            .recoverWithUni(e -> say(who.chatId(), refusal(lang, (Problem) e)));
                });
    }

    private String refusal(String lang, Problem p) {
        return switch (p.code()) {
            case "invalid_code" -> texts.get(lang, "link_code_wrong", "attempts",
                    p.extensions().get("attempts_left") instanceof com.fasterxml.jackson.databind.JsonNode n
                            ? n.asInt(-1)
                            : -1);
            case "not_found" -> texts.get(lang, "link_code_gone");
            default -> texts.get(lang, "link_code_limited");
        };
    }

    /** A shared contact's number, which Telegram may send without the +; null when it is no valid number. */
    static String e164(String raw) {
        if (raw == null) {
            return null;
        }
        String plus = raw.strip().startsWith("+") ? raw.strip() : "+" + raw.strip();
        try {
            return PhoneNumbers.parse(plus, null).e164();
        } catch (Problem e) {
            return null;
        }
    }

    Uni<Void> say(long chatId, String text) {
        return send(chatId, new SendMessage(chatId, text));
    }

    /** A reply that cannot be delivered is logged, never retried forever; a 403 marks the chat blocked. */
    private Uni<Void> send(long chatId, SendMessage message) {
        return bot.send(chatId, message).replaceWithVoid().onFailure(BotClient.CallFailed.class).recoverWithUni(e -> {
            BotClient.CallFailed f = (BotClient.CallFailed) e;
            Log.warnf("reply to chat not delivered: %d %s", f.errorCode(), f.getMessage());
            return f.blocked() ? chats.blocked(chatId) : Uni.createFrom().voidItem();
        });
    }
}
