package dev.agentgate.config;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.function.Function;
import java.util.regex.Pattern;

/**
 * The name of one gateway process in a fleet: the first part of every session id it makes and the policy input's
 * {@code session.gateway_instance}, so that sessions, decisions and logs of several replicas never collide.
 */
public final class InstanceIds {

    /** Letters, digits, dot, underscore and dash, starting with a letter or digit: safe in ids, logs and URLs. */
    private static final Pattern VALID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

    private static final String FALLBACK = "agentgate";

    private InstanceIds() {}

    static boolean isValid(String instanceId) {
        return instanceId != null && VALID.matcher(instanceId).matches();
    }

    /**
     * The host's name (a pod's name in Kubernetes: unique per replica), from {@code HOSTNAME} or the local host,
     * reduced to the valid characters; {@value #FALLBACK} when there is none.
     */
    static String fromHost(Function<String, String> env) {
        String host = env.apply("HOSTNAME");
        if (host == null || host.isBlank()) {
            try {
                host = InetAddress.getLocalHost().getHostName();
            } catch (UnknownHostException unknown) {
                host = FALLBACK;
            }
        }
        String cleaned =
                host.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]", "-").replaceAll("^[^a-z0-9]+", "");
        cleaned = cleaned.length() > 63 ? cleaned.substring(0, 63) : cleaned;
        return isValid(cleaned) ? cleaned : FALLBACK;
    }
}
