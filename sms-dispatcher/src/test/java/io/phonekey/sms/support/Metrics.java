package io.phonekey.sms.support;

import static io.restassured.RestAssured.given;

import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The service's own Prometheus scrape ({@code /q/metrics}), read as a monitoring system would. */
public final class Metrics {

    private static final Pattern SERIES = Pattern.compile("^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\\{(.*)})? (\\S+)$");
    private static final Pattern LABEL = Pattern.compile("([a-zA-Z_][a-zA-Z0-9_]*)=\"((?:[^\"\\\\]|\\\\.)*)\"");

    private Metrics() {
    }

    /** Every series of this metric, as scraped (for failure messages). */
    public static String series(String metric) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        return String.join("\n", text.lines().filter(l -> l.startsWith(metric)).toList());
    }

    /** The sum of every series of this metric whose labels include these (0 when there is none). */
    public static double sum(String metric, Map<String, String> labels) {
        String text = given().get("/q/metrics").then().statusCode(200).extract().asString();
        double sum = 0;
        for (String line : text.split("\n")) {
            // OpenMetrics may follow a sample with its exemplar (" # {trace_id=...} value time"): not the value.
            int exemplar = line.indexOf(" # ");
            Matcher m = SERIES.matcher(exemplar < 0 ? line : line.substring(0, exemplar));
            if (!m.matches() || !m.group(1).equals(metric)) {
                continue;
            }
            Map<String, String> found = new HashMap<>();
            if (m.group(2) != null) {
                Matcher l = LABEL.matcher(m.group(2));
                while (l.find()) {
                    found.put(l.group(1), l.group(2));
                }
            }
            if (found.entrySet().containsAll(labels.entrySet())) {
                sum += Double.parseDouble(m.group(3));
            }
        }
        return sum;
    }
}
