package dev.agentgate.transport;

import dev.agentgate.config.TlsConfig;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.util.SelfSignedCertificate;
import java.security.cert.CertificateException;
import javax.net.ssl.SSLException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Builds the TLS context clients upgrade to after their SSLRequest. */
final class ServerTls {

    private static final Logger log = LoggerFactory.getLogger(ServerTls.class);

    private ServerTls() {}

    static SslContext serverContext(TlsConfig tls) throws SSLException, CertificateException {
        SslContextBuilder builder;
        if (tls.certFile() != null) {
            builder = SslContextBuilder.forServer(
                    tls.certFile().toFile(), tls.keyFile().toFile());
        } else {
            // An EC key: generated in milliseconds, where an RSA key would delay the start by seconds.
            SelfSignedCertificate generated = new SelfSignedCertificate("agentgate", "EC", 256);
            log.warn("**********************************************************************");
            log.warn("tls.cert_file is not set: serving a SELF-SIGNED certificate generated at start.");
            log.warn("Clients cannot verify this gateway. Configure tls.cert_file and tls.key_file");
            log.warn("for anything but a local trial.");
            log.warn("**********************************************************************");
            builder = SslContextBuilder.forServer(generated.certificate(), generated.privateKey());
        }
        SslContext context = builder.protocols("TLSv1.3", "TLSv1.2").build();
        log.info(
                "client TLS through {}",
                context.isServer() && OpenSsl.isAvailable() ? "OpenSSL (" + OpenSsl.versionString() + ")" : "the JDK");
        return context;
    }
}
