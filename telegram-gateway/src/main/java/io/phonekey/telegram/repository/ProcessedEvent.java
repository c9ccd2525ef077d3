package io.phonekey.telegram.repository;

import java.time.Instant;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;

/** A CloudEvent this service has handled; its id is the de-duplication key. */
@Entity
@Table(name = "processed_event")
public class ProcessedEvent extends PanacheEntityBase {

    @Id
    @Column(name = "ce_id")
    public String ceId;

    @Column(name = "processed_at")
    public Instant processedAt;
}
