package dev.streams.auth.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.reflect.TypeToken;
import dev.streams.auth.DeviceCredential;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Keeps device credentials in a JSON file shared with other processes ({@link SharedJsonFile}); hashes only. */
public final class FileDeviceCredentialStore extends InMemoryDeviceCredentialStore {
    private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

    private final SharedJsonFile file;

    public FileDeviceCredentialStore(Path path) {
        this.file = new SharedJsonFile(path, "device credential file", this::read);
    }

    private record Stored(String id, String project, String deviceId, String pskSha256, String createdAt,
                          String revokedAt) {
    }

    @Override
    public List<DeviceCredential> list(String project) {
        file.refreshIfChanged();
        return super.list(project);
    }

    @Override
    public synchronized void save(DeviceCredential credential) {
        Map<String, DeviceCredential> next = new HashMap<>();
        file.update(() -> {
            next.putAll(credentials);
            next.put(credential.id(), credential);
            return write(next);
        });
        credentials.put(credential.id(), credential);
    }

    private void read(String json) {
        Map<String, DeviceCredential> read = new HashMap<>();
        List<Stored> stored = json == null ? null : GSON.fromJson(json, new TypeToken<List<Stored>>() { }.getType());
        for (Stored s : stored == null ? List.<Stored>of() : stored) {
            read.put(s.id(), new DeviceCredential(s.id(), s.project(), s.deviceId(),
                    Base64.getDecoder().decode(s.pskSha256()), Instant.parse(s.createdAt()),
                    s.revokedAt() == null ? null : Instant.parse(s.revokedAt())));
        }
        credentials.putAll(read);
        credentials.keySet().retainAll(read.keySet());
    }

    private static String write(Map<String, DeviceCredential> all) {
        List<Stored> out = new ArrayList<>();
        for (DeviceCredential c : all.values()) {
            out.add(new Stored(c.id(), c.project(), c.deviceId(), Base64.getEncoder().encodeToString(c.pskHash()),
                    c.createdAt().toString(), c.revokedAt() == null ? null : c.revokedAt().toString()));
        }
        out.sort((a, b) -> a.id().compareTo(b.id()));
        return GSON.toJson(out);
    }
}
