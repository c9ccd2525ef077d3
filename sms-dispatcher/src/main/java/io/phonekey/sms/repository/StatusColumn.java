package io.phonekey.sms.repository;

import jakarta.persistence.AttributeConverter;
import jakarta.persistence.Converter;

import io.phonekey.contract.event.DeliveryStatus;

/**
 * A message's state is the contract's {@link DeliveryStatus} (queued, sent, delivered, undelivered, failed, dropped,
 * refused): the same words the message log stores and {@code otp.delivery} carries, as one type instead of literals.
 */
@Converter(autoApply = true)
public class StatusColumn implements AttributeConverter<DeliveryStatus, String> {

    @Override
    public String convertToDatabaseColumn(DeliveryStatus status) {
        return status == null ? null : status.value();
    }

    @Override
    public DeliveryStatus convertToEntityAttribute(String column) {
        return column == null ? null : DeliveryStatus.fromValue(column);
    }
}
