package dev.streams.examples;

import static dev.streams.examples.DurableHistoryTest.awaitSubscribed;
import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import dev.streams.cluster.redis.RedisServer;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Date;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Behind a load balancer a client's calls land on any node: two demo nodes on a real Redis that share the
 * cluster's master key file accept each other's m3o tokens and the Golioth JWTs of a key both were given.
 */
class ClusterTokensTest {
    private final HttpClient http = HttpClient.newHttpClient();

    @TempDir
    Path dir;

    private HttpResponse<String> post(DemoServer node, String path, String authorization, String body) throws Exception {
        return http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + node.port() + path))
                .header("Authorization", authorization).POST(HttpRequest.BodyPublishers.ofString(body)).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void aTokenFromOneNodeSubscribesOnAnotherAndKeyJwtsWorkOnBoth() throws Exception {
        Path clusterKey = dir.resolve("cluster.key");
        try (RedisServer redis = new RedisServer();
             DemoServer a = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0", "--redis", redis.uri(),
                     "--node-name", "a", "--data-dir", dir.resolve("a").toString(),
                     "--master-key-file", clusterKey.toString()));
             DemoServer b = DemoServer.start(DemoOptions.parse("--port", "0", "--devices", "0", "--redis", redis.uri(),
                     "--node-name", "b", "--data-dir", dir.resolve("b").toString(),
                     "--master-key-file", clusterKey.toString(), "--api-key", a.apiKey()))) {
            String key = a.apiKey();
            // m3o's Token on node a, Subscribe on node b.
            HttpResponse<String> issued = post(a, "/v1/streams/Token", "Bearer " + key, "{\"topic\":\"chat\"}");
            assertThat(issued.statusCode()).as(issued.body()).isEqualTo(200);
            String token = JsonParser.parseString(issued.body()).getAsJsonObject().get("token").getAsString();
            try (Frames subscriber = new Frames(http, "ws://127.0.0.1:" + b.port() + "/v1/streams/Subscribe")) {
                subscriber.send("{\"topic\":\"chat\",\"token\":\"" + token + "\"}");
                awaitSubscribed(http, b.port(), "m3o");
                assertThat(post(a, "/v1/streams/Publish", "Bearer " + key, "{\"topic\":\"chat\",\"message\":\"hi\"}")
                        .statusCode()).isEqualTo(200);
                JsonObject message = subscriber.next();
                assertThat(message.get("message").getAsString()).as(message.toString()).isEqualTo("hi");
            }

            // A device's Golioth JWT (iss = key id, HS256 with the key's secret) on either node.
            SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                    .issuer(key.substring(4, 20)).issueTime(new Date())
                    .expirationTime(new Date(System.currentTimeMillis() + 60_000)).build());
            jwt.sign(new MACSigner(key.substring(21).getBytes(StandardCharsets.UTF_8)));
            for (DemoServer node : new DemoServer[] {a, b}) {
                HttpResponse<String> ingest = post(node, "/v1/projects/demo/devices/d1/ingest",
                        "Bearer " + jwt.serialize(), "{\"temp\":21}");
                assertThat(ingest.statusCode()).as(ingest.body()).isEqualTo(200);
            }
        }
    }
}
