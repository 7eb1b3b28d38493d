package dev.streams.transport.ws.internal;

import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.JdkSslContext;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import java.nio.file.Path;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;

/** The server's TLS context from what the host gave: a JDK SSLContext, or PEM files. */
public final class Tls {
    private Tls() {
    }

    /**
     * Netty's context for {@code jdk} when given, else for the PEM certificate chain and PKCS#8 key, else null
     * (plain TCP). Throws IllegalArgumentException when the files cannot be loaded.
     */
    public static SslContext context(SSLContext jdk, Path certificateChainPem, Path privateKeyPem) {
        if (jdk != null) {
            return new JdkSslContext(jdk, false, ClientAuth.NONE);
        }
        if (certificateChainPem == null) {
            return null;
        }
        try {
            return SslContextBuilder.forServer(certificateChainPem.toFile(), privateKeyPem.toFile()).build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("cannot load TLS certificate " + certificateChainPem + " or key "
                    + privateKeyPem + ": " + e.getMessage(), e);
        }
    }
}
