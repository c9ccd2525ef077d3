package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import org.eclipse.microprofile.openapi.annotations.media.Schema;

import io.phonekey.sms.repository.SpendLedger;
import io.smallrye.mutiny.Uni;

/** One UTC day's spend per country against its budget, from the ledger the caps are enforced with. */
@ApplicationScoped
public class SpendReport {

    /** The report; a budget or cap that is null is unlimited. */
    @Schema(name = "SpendDay", description = "One UTC day's SMS spend by country against the budgets (USD)")
    public record Day(
            @Schema(description = "The UTC day", required = true, example = "2026-12-01") LocalDate day,
            @Schema(description = "Always USD", required = true, example = "USD") String currency,
            @Schema(description = "The day's spend over every country", required = true,
                    example = "1.2482") BigDecimal total,
            @Schema(description = "Every country with spend or a budget of its own, largest spend first",
                    required = true) List<Country> countries,
            @Schema(description = "SMS_CAP_PHONE_DAILY; null when unlimited", required = true, nullable = true,
                    example = "0.08") BigDecimal phoneDailyCap) {
    }

    /** One country's spend; every country with spend or a budget of its own is listed. */
    @Schema(name = "SpendCountry", description = "One country's spend on the day")
    public record Country(
            @Schema(description = "ISO 3166 alpha-2", required = true, example = "GB") String country,
            @Schema(description = "Messages charged", required = true, example = "158") int messages,
            @Schema(description = "Their cost", required = true, example = "1.2482") BigDecimal spend,
            @Schema(description = "The country's daily budget; null when unlimited", required = true, nullable = true,
                    example = "100") BigDecimal budget,
            @Schema(description = "What is left of the budget (at least 0); null when unlimited", required = true,
                    nullable = true, example = "98.7518") BigDecimal remaining) {
    }

    private final SpendLedger ledger;
    private final Pricing pricing;

    public SpendReport(SpendLedger ledger, Pricing pricing) {
        this.ledger = ledger;
        this.pricing = pricing;
    }

    /** Needs a session. */
    public Uni<Day> of(LocalDate day) {
        return ledger.day(day, SpendLedger.COUNTRY)
                .map(rows -> {
                    List<Country> countries = new ArrayList<>();
                    Set<String> listed = new TreeSet<>();
                    BigDecimal total = BigDecimal.ZERO;
                    for (SpendLedger.Spend s : rows) {
                        countries.add(country(s.key(), s.messages(), s.amount()));
                        listed.add(s.key());
                        total = total.add(s.amount());
                    }
                    for (String c : pricing.countriesWithBudgets()) {
                        if (!listed.contains(c)) {
                            countries.add(country(c, 0, BigDecimal.ZERO));
                        }
                    }
                    countries.sort(Comparator.comparing(Country::spend).reversed().thenComparing(Country::country));
                    return new Day(day, Pricing.CURRENCY, total, countries, pricing.phoneCap().orElse(null));
                });
    }

    private Country country(String country, int messages, BigDecimal spend) {
        BigDecimal budget = pricing.countryCap(country).orElse(null);
        return new Country(country, messages, spend, budget,
                budget == null ? null : budget.subtract(spend).max(BigDecimal.ZERO));
    }
}
