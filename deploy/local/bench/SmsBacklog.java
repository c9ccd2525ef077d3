import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.ThreadLocalRandom;

import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * Publishes otp.requested events for sms-dispatcher's benchmark (deploy/local/bench/sms-drain), as otp-service does:
 * binary-mode CloudEvents keyed by phone, the code sealed with AES-256-GCM under OTP_EVENT_KEY (the contract's
 * CodeSeal: key id = first 8 hex digits of the key's SHA-256, associated data = length-prefixed verification id and
 * phone). Each event goes to a new random UK mobile. Run with the broker's jars on the class path:
 * {@code java -cp '.stack/kafka-libs/*' SmsBacklog.java <bootstrap> <base64 key> <events> [per second, 0 = at once]}.
 */
public class SmsBacklog {

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        byte[] key = Base64.getDecoder().decode(args[1].split(",")[0].strip());
        int events = Integer.parseInt(args[2]);
        int rate = args.length > 3 ? Integer.parseInt(args[3]) : 0;
        String kid = HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(key), 0, 4);
        SecretKeySpec aes = new SecretKeySpec(key, "AES");
        SecureRandom random = new SecureRandom();
        Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        long start = System.nanoTime();
        try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < events; i++) {
                if (rate > 0) {
                    long due = start + (long) (i * 1e9 / rate);
                    long sleep = due - System.nanoTime();
                    if (sleep > 0) {
                        Thread.sleep(sleep / 1_000_000, (int) (sleep % 1_000_000));
                    }
                }
                String id = UUID.randomUUID().toString();
                String phone = "+4474" + String.format("%08d", ThreadLocalRandom.current().nextInt(100_000_000));
                String code = String.format("%06d", ThreadLocalRandom.current().nextInt(1_000_000));
                byte[] iv = new byte[12];
                random.nextBytes(iv);
                Cipher cipher = Cipher.getInstance("AES/GCM/NoPadding");
                cipher.init(Cipher.ENCRYPT_MODE, aes, new GCMParameterSpec(128, iv));
                byte[] idBytes = id.getBytes(StandardCharsets.UTF_8);
                byte[] phoneBytes = phone.getBytes(StandardCharsets.UTF_8);
                cipher.updateAAD(ByteBuffer.allocate(8 + idBytes.length + phoneBytes.length).putInt(idBytes.length)
                        .put(idBytes).putInt(phoneBytes.length).put(phoneBytes).array());
                byte[] sealed = cipher.doFinal(code.getBytes(StandardCharsets.UTF_8));
                Instant now = Instant.now().truncatedTo(ChronoUnit.MILLIS);
                String json = "{\"verification_id\":\"" + id + "\",\"phone\":\"" + phone
                        + "\",\"channel\":\"sms\",\"purpose\":\"login\",\"code_length\":6,\"code\":{\"alg\":\"A256GCM\","
                        + "\"kid\":\"" + kid + "\",\"iv\":\"" + Base64.getEncoder().encodeToString(iv)
                        + "\",\"ciphertext\":\"" + Base64.getEncoder().encodeToString(sealed) + "\"},\"requested_at\":\""
                        + now + "\",\"expires_at\":\"" + now.plusSeconds(600) + "\",\"metadata\":{}}";
                ProducerRecord<String, String> record = new ProducerRecord<>("otp.requested", phone, json);
                record.headers().add("ce_specversion", "1.0".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_id", UUID.randomUUID().toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_type", "io.phonekey.otp.requested.v1".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_source", "/phonekey/sms-bench".getBytes(StandardCharsets.UTF_8));
                record.headers().add("ce_time", now.toString().getBytes(StandardCharsets.UTF_8));
                record.headers().add("content-type", "application/json".getBytes(StandardCharsets.UTF_8));
                producer.send(record);
            }
            producer.flush();
        }
        System.out.printf("published %d otp.requested events in %.1f s%n", events, (System.nanoTime() - start) / 1e9);
    }
}
