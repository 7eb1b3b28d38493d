package dev.streams.examples;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;

class GatewayExampleTest {
    @Test
    void theEmbeddingExampleRunsAndSeesItsOwnDeviceData() throws Exception {
        List<String> log = new CopyOnWriteArrayList<>();
        GatewayExample.run("test-master-key-for-the-gateway-example".getBytes(StandardCharsets.UTF_8), log::add);
        assertThat(log.get(0)).startsWith("serving ws://127.0.0.1:");
        assertThat(log).contains("press-1 {\"pressure\":4.2}", "press-2 {\"pressure\":3.9}");
    }
}
