package dev.streams.transport.ws;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTPS and WSS on the same port, with a certificate made for the test by the JDK's keytool. */
class TlsTest extends ServerFixture {
    private static final char[] PASSWORD = "changeit".toCharArray();

    private static Path keytoolStore(Path dir) throws Exception {
        Path store = dir.resolve("server.p12");
        Path keytool = Path.of(System.getProperty("java.home"), "bin", "keytool");
        Process p = new ProcessBuilder(keytool.toString(), "-genkeypair", "-alias", "streams", "-keyalg", "EC",
                "-groupname", "secp256r1", "-validity", "2", "-dname", "CN=localhost",
                "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-storetype", "PKCS12", "-keystore", store.toString(),
                "-storepass", new String(PASSWORD), "-keypass", new String(PASSWORD)).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(output).isZero();
        return store;
    }

    private static KeyStore load(Path store) throws Exception {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD);
        }
        return keys;
    }

    private static SSLContext selfSigned(Path dir) throws Exception {
        KeyStore keys = load(keytoolStore(dir));
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, PASSWORD);
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), tmf.getTrustManagers(), null);
        return context;
    }

    @Test
    void httpsAndWssShareThePort(@TempDir Path dir) throws Exception {
        SSLContext tls = selfSigned(dir);
        start(b -> b.tls(tls));
        assertThat(server.isTls()).isTrue();
        HttpClient client = HttpClient.newBuilder().sslContext(tls).build();
        HttpResponse<String> health = client.send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);

        TestClient stream = TestClient.connect("wss://127.0.0.1:" + server.port() + "/v1/ws/projects/alpha/stream?x-api-key="
                + alphaKey.key(), Map.of(), tls);
        clients.add(stream);
        awaitSubscriptions("alpha", 1);
        HttpResponse<String> ingest = client.send(HttpRequest.newBuilder(
                URI.create("https://127.0.0.1:" + server.port() + "/v1/projects/alpha/devices/d1/ingest"))
                .header("x-api-key", alphaKey.key()).POST(HttpRequest.BodyPublishers.ofString("{\"v\":1}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(ingest.statusCode()).isEqualTo(200);
        assertThat(stream.nextJson().getAsJsonObject("result").getAsJsonObject("data").get("data").toString())
                .isEqualTo("{\"v\":1}");
    }

    @Test
    void pemCertificateAndKeyFilesWorkToo(@TempDir Path dir) throws Exception {
        KeyStore keys = load(keytoolStore(dir));
        java.util.Base64.Encoder mime = java.util.Base64.getMimeEncoder(64, "\n".getBytes());
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                + mime.encodeToString(keys.getCertificate("streams").getEncoded()) + "\n-----END CERTIFICATE-----\n");
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + mime.encodeToString(keys.getKey("streams", PASSWORD).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        start(b -> b.tls(cert, key));
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keys);
        SSLContext trusting = SSLContext.getInstance("TLS");
        trusting.init(null, tmf.getTrustManagers(), null);
        HttpResponse<String> health = HttpClient.newBuilder().sslContext(trusting).build().send(
                HttpRequest.newBuilder(URI.create("https://127.0.0.1:" + server.port() + "/healthz")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertThat(health.statusCode()).isEqualTo(200);
    }

    @Test
    void plainHttpToATlsPortGetsNoAnswer(@TempDir Path dir) throws Exception {
        SSLContext tls = selfSigned(dir);
        start(b -> b.tls(tls));
        HttpRequest plain = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/healthz"))
                .timeout(java.time.Duration.ofSeconds(5)).build();
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> http.send(plain, HttpResponse.BodyHandlers.ofString()))
                .isInstanceOf(java.io.IOException.class);
    }
}
