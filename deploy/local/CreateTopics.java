import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * Creates PhoneKey's topics, each with a dead-letter twin, if they are missing. Run by deploy/local/stack with the
 * broker's own jars on the class path: {@code java -cp 'libs/*' CreateTopics.java <bootstrap> <partitions>}.
 */
public class CreateTopics {

    static final List<String> TOPICS = List.of("otp.requested", "otp.verified", "account.linked", "otp.delivery",
            "security.notice");

    public static void main(String[] args) throws Exception {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, args[0]);
        int partitions = Integer.parseInt(args[1]);
        try (Admin admin = Admin.create(props)) {
            Set<String> existing = admin.listTopics().names().get();
            List<NewTopic> missing = new ArrayList<>();
            for (String topic : TOPICS) {
                for (String name : List.of(topic, topic + ".dlq")) {
                    if (!existing.contains(name)) {
                        missing.add(new NewTopic(name, partitions, (short) 1));
                    }
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            System.out.println("topics ready: " + (TOPICS.size() * 2) + " (" + missing.size() + " created)");
        }
    }
}
