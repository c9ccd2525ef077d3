import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Properties;
import java.util.Set;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.config.ConfigResource;

/**
 * Creates PhoneKey's topics, each with a dead-letter twin, if they are missing. Run by deploy/local/stack with the
 * broker's own jars on the class path: {@code java -cp 'libs/*' CreateTopics.java <bootstrap> <partitions>}.
 */
public class CreateTopics {

    static final Map<String, String> APPEND_TIME = Map.of("message.timestamp.type", "LogAppendTime");

    static final List<String> TOPICS = List.of("otp.requested", "otp.verified", "account.linked", "otp.delivery",
            "security.notice", "otp.canceled");

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
                        missing.add(new NewTopic(name, partitions, (short) 1).configs(APPEND_TIME));
                    }
                }
            }
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get();
            }
            // Topics made before the rule: the broker's append time, which consumers use to skip records their
            // producer had given up on (the contract's Inbox.lateBy).
            Map<ConfigResource, Collection<AlterConfigOp>> alter = new HashMap<>();
            for (String topic : TOPICS) {
                for (String name : List.of(topic, topic + ".dlq")) {
                    alter.put(new ConfigResource(ConfigResource.Type.TOPIC, name), List.of(new AlterConfigOp(
                            new ConfigEntry("message.timestamp.type", "LogAppendTime"), AlterConfigOp.OpType.SET)));
                }
            }
            admin.incrementalAlterConfigs(alter).all().get();
            System.out.println("topics ready: " + (TOPICS.size() * 2) + " (" + missing.size() + " created)");
        }
    }
}
