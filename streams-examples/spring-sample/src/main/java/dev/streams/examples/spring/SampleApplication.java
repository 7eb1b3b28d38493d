package dev.streams.examples.spring;

import dev.streams.core.Broker;
import dev.streams.spring.boot.StreamsServerCustomizer;
import dev.streams.transport.ws.HttpReply;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Spring Boot application serving Streams: the starter configures everything from {@code application.properties};
 * this application adds its own endpoint on Streams' port and publishes a thermostat's readings in-process
 * ({@link Thermostat}).
 */
@SpringBootApplication
public class SampleApplication {
    /** Runs the sample; stop it with Ctrl-C (the server drains first). */
    public static void main(String[] args) {
        SpringApplication.run(SampleApplication.class, args);
    }

    /** {@code GET /api/projects}: the application's own endpoint, on the same port as the streams. */
    @Bean
    StreamsServerCustomizer projectsEndpoint(Broker broker, JsonMapper json) {
        return server -> server.endpoint("/api/projects", call -> call.method().equals("GET")
                ? HttpReply.json(200, json.writeValueAsString(Map.of("projects", broker.projects().size())))
                : HttpReply.json(405, json.writeValueAsString(Map.of("code", 405, "message", "use GET"))));
    }
}
