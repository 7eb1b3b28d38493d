package dev.streams.devices;

import dev.streams.core.ErrorKind;
import dev.streams.core.StreamsException;

/**
 * Where device data lives in the broker: device D of a project publishes to {@code devices.D.stream}; the
 * project stream is the pattern {@code devices.*.stream}. Because these are ordinary topics, any dialect
 * can read device data; writing under {@code devices.>} needs the ingest scope ({@code Scope.INGEST} in streams-auth).
 */
public final class DeviceTopics {
    /** Every topic under this prefix is device data. */
    public static final String PREFIX = "devices.";
    /** The topics of all devices of a project. */
    public static final String ALL_DEVICES = "devices.*.stream";
    private static final int MAX_DEVICE_ID = 64;

    private DeviceTopics() {
    }

    /** The topic of one device; throws {@link StreamsException} (INVALID_ARGUMENT) for an unsafe id. */
    public static String topicOf(String deviceId) {
        requireDeviceId(deviceId);
        return PREFIX + deviceId + ".stream";
    }

    /** The device id of a device topic, or null when the topic is not one. */
    public static String deviceOf(String topic) {
        if (!topic.startsWith(PREFIX) || !topic.endsWith(".stream")) {
            return null;
        }
        String id = topic.substring(PREFIX.length(), topic.length() - ".stream".length());
        return id.isEmpty() || id.indexOf('.') >= 0 ? null : id;
    }

    /** Whether a topic or pattern lies under {@code devices.}, where publishing needs the ingest scope. */
    public static boolean isDeviceTopic(String topicOrPattern) {
        return topicOrPattern.startsWith(PREFIX) || topicOrPattern.equals("devices");
    }

    /** Device ids: 1 to 64 characters of {@code [A-Za-z0-9_-]} (Golioth's are 24 hex digits). */
    public static String requireDeviceId(String deviceId) {
        if (deviceId == null || deviceId.isEmpty() || deviceId.length() > MAX_DEVICE_ID) {
            throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "device id must be 1 to 64 characters");
        }
        for (int i = 0; i < deviceId.length(); i++) {
            char c = deviceId.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')) {
                throw new StreamsException(ErrorKind.INVALID_ARGUMENT, "device id may only use [A-Za-z0-9_-]");
            }
        }
        return deviceId;
    }
}
