package io.phonekey.telegram.repository;

import java.time.Instant;
import java.util.UUID;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import io.smallrye.mutiny.Uni;

/** A registered chat: the chat a phone's codes go to. */
@Entity
@Table(name = "telegram_chat")
public class TelegramChat extends PanacheEntityBase {

    @Id
    @Column(name = "chat_id")
    public Long chatId;

    @Column(name = "telegram_user_id")
    public Long telegramUserId;

    public String phone;

    @Column(name = "user_id")
    public UUID userId;

    public boolean blocked;

    @Column(name = "created_at")
    public Instant createdAt;

    @Column(name = "updated_at")
    public Instant updatedAt;

    public static Uni<TelegramChat> findByPhone(String phone) {
        return find("phone", phone).firstResult();
    }

    @Override
    public String toString() {
        return "TelegramChat[chatId=" + chatId + ", linked=" + (userId != null) + "]";
    }
}
