package io.phonekey.sms.service;

import java.math.BigDecimal;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import jakarta.enterprise.context.ApplicationScoped;

import io.phonekey.sms.repository.SpendLedger;
import io.smallrye.mutiny.Uni;

/** One UTC day's spend per country against its budget, from the ledger the caps are enforced with. */
@ApplicationScoped
public class SpendReport {

    /** The report; a budget or cap that is null is unlimited. */
    public record Day(LocalDate day, String currency, BigDecimal total, List<Country> countries,
            BigDecimal phoneDailyCap) {
    }

    /** One country's spend; every country with spend or a budget of its own is listed. */
    public record Country(String country, int messages, BigDecimal spend, BigDecimal budget, BigDecimal remaining) {
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
