package dev.streams.examples;

import dev.streams.auth.DeviceCredential;
import dev.streams.auth.NewDeviceCredential;
import java.io.PrintStream;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/**
 * {@code keys devices list|create|revoke}: the pre-shared keys of a demo's devices over CoAP/DTLS, in its data
 * directory, also while the demo serves from it (a revoked device is refused on its next request).
 */
final class DemoDeviceKeys {
    private DemoDeviceKeys() {
    }

    /** The {@code devices} command with its three subcommands. */
    static CommandLine command(PrintStream out) {
        return new CommandLine(new Devices()).addSubcommand(new ListDevices(out)).addSubcommand(new CreateDevice(out))
                .addSubcommand(new RevokeDevice(out));
    }

    @Command(name = "devices", mixinStandardHelpOptions = true,
            description = "List, create and revoke devices' pre-shared keys (CoAP over DTLS).")
    static final class Devices implements Callable<Integer> {
        @Override
        public Integer call() {
            throw new CommandLine.ParameterException(new CommandLine(this), "name a command: list, create or revoke");
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "The project's device keys, revoked ones included.")
    static final class ListDevices extends DemoKeys.Where implements Callable<Integer> {
        ListDevices(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            out.printf("%-40s  %-16s  %-24s  %s%n", "identity", "id", "created", "revoked");
            for (DeviceCredential device : auth().devices().list(project)) {
                out.printf("%-40s  %-16s  %-24s  %s%n", device.identity(), device.id(), device.createdAt(),
                        device.isRevoked() ? device.revokedAt() : "-");
            }
            return 0;
        }
    }

    /** A command about one device, named by its id. */
    abstract static class OneDevice extends DemoKeys.Where {
        @Parameters(index = "0", description = "the device's id")
        String deviceId;

        OneDevice(PrintStream out) {
            super(out);
        }
    }

    @Command(name = "create", mixinStandardHelpOptions = true,
            description = "Creates a device's key (revoking the one it had) and prints its identity and key once.")
    static final class CreateDevice extends OneDevice implements Callable<Integer> {
        CreateDevice(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            NewDeviceCredential created = auth().devices().create(project, deviceId);
            out.println("identity " + created.identity());
            out.println("psk      " + created.psk());
            return 0;
        }
    }

    @Command(name = "revoke", mixinStandardHelpOptions = true,
            description = "Revokes a device's key; a demo serving from the directory refuses its next request.")
    static final class RevokeDevice extends OneDevice implements Callable<Integer> {
        RevokeDevice(PrintStream out) {
            super(out);
        }

        @Override
        public Integer call() {
            if (!auth().devices().revoke(project, deviceId)) {
                throw new IllegalArgumentException("no working key for device " + deviceId + " in project " + project);
            }
            out.println("revoked " + deviceId);
            return 0;
        }
    }
}
