package dev.agentgate.e2e.env;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaMiscPEMGenerator;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A self-signed RSA server certificate for localhost / 127.0.0.1, written as PEM files
 * (certificate, PKCS#8 private key). The certificate doubles as its own CA file for clients that verify.
 */
public record SelfSignedCertificate(Path certificateFile, Path privateKeyFile, X509Certificate certificate) {

    /** Generates a fresh key pair and certificate into {@code directory} as {@code <name>-cert.pem} and {@code <name>-key.pem}. */
    public static SelfSignedCertificate generate(Path directory, String name) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            KeyPair keyPair = generator.generateKeyPair();
            X509Certificate certificate = sign(keyPair);
            Path certificateFile = directory.resolve(name + "-cert.pem");
            Path privateKeyFile = directory.resolve(name + "-key.pem");
            writePem(certificateFile, new JcaMiscPEMGenerator(certificate));
            writePem(privateKeyFile, new JcaPKCS8Generator(keyPair.getPrivate(), null));
            return new SelfSignedCertificate(certificateFile, privateKeyFile, certificate);
        } catch (GeneralSecurityException | org.bouncycastle.operator.OperatorCreationException e) {
            throw new IllegalStateException("cannot generate a self-signed certificate '" + name + "'", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the certificate '" + name + "' into " + directory, e);
        }
    }

    private static X509Certificate sign(KeyPair keyPair)
            throws GeneralSecurityException, IOException, org.bouncycastle.operator.OperatorCreationException {
        X500Name subject = new X500Name("CN=localhost,O=agentgate e2e");
        Instant now = Instant.now();
        JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(
                subject,
                BigInteger.valueOf(now.toEpochMilli()),
                Date.from(now.minus(Duration.ofHours(1))),
                Date.from(now.plus(Duration.ofDays(2))),
                subject,
                keyPair.getPublic());
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
            new GeneralName(GeneralName.dNSName, "localhost"), new GeneralName(GeneralName.iPAddress, "127.0.0.1")
        }));
        // CA:true so that clients verifying against this file as their CA accept it as a trust anchor.
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(keyPair.getPrivate())));
    }

    private static void writePem(Path file, org.bouncycastle.util.io.pem.PemObjectGenerator object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file, StandardCharsets.US_ASCII);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }
}
