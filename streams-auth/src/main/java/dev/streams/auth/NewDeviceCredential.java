package dev.streams.auth;

/**
 * A device credential just created: its stored form and the key to give the device, shown this once (the server
 * derives it again from the master key when the device connects; nothing stores it).
 *
 * @param metadata what is stored
 * @param psk      the pre-shared key, text (give it to the device with its identity)
 */
public record NewDeviceCredential(DeviceCredential metadata, String psk) {
    /** The identity the device presents with the key: {@code <device-id>@<project-id>}. */
    public String identity() {
        return metadata.identity();
    }

    @Override
    public String toString() {
        return "NewDeviceCredential[" + metadata + ", psk=<hidden>]";
    }
}
