package dev.agentgate.testing;

import java.io.IOException;
import java.io.Writer;
import java.math.BigInteger;
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
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.openssl.jcajce.JcaPKCS8Generator;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * A throwaway CA and a server certificate it signed, written as PEM files for servers under test (the key as
 * PKCS#8, which both OpenSSL and Netty read). Clients that verify use {@link #caCertificate()} as their CA file.
 */
public record TestCertificates(Path caCertificate, Path serverCertificate, Path serverKey) {

    /** Creates a CA named {@code caName} and a server certificate whose only subject alternative name is {@code dnsName}. */
    public static TestCertificates create(Path directory, String caName, String dnsName) throws IOException {
        return create(directory, caName, dnsName, new GeneralName(GeneralName.dNSName, dnsName));
    }

    /**
     * Creates a CA named {@code caName} and a certificate for a server on this machine, valid for both {@code
     * localhost} and {@code 127.0.0.1}: clients that check the host name against the address they dialled accept it.
     */
    public static TestCertificates forLoopback(Path directory, String caName) throws IOException {
        return create(
                directory,
                caName,
                "localhost",
                new GeneralName(GeneralName.dNSName, "localhost"),
                new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
    }

    private static TestCertificates create(Path directory, String caName, String commonName, GeneralName... names)
            throws IOException {
        try {
            JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
            KeyPair caKeys = rsaKeyPair();
            X500Name caSubject = new X500Name("CN=" + caName);
            X509Certificate ca = sign(
                    new JcaX509v3CertificateBuilder(
                                    caSubject, BigInteger.ONE, notBefore(), notAfter(), caSubject, caKeys.getPublic())
                            .addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                            .addExtension(
                                    Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    extensions.createSubjectKeyIdentifier(caKeys.getPublic())),
                    caKeys);
            KeyPair serverKeys = rsaKeyPair();
            X509Certificate server = sign(
                    new JcaX509v3CertificateBuilder(
                                    caSubject,
                                    BigInteger.TWO,
                                    notBefore(),
                                    notAfter(),
                                    new X500Name("CN=" + commonName),
                                    serverKeys.getPublic())
                            .addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names))
                            .addExtension(
                                    Extension.authorityKeyIdentifier,
                                    false,
                                    extensions.createAuthorityKeyIdentifier(ca))
                            .addExtension(
                                    Extension.subjectKeyIdentifier,
                                    false,
                                    extensions.createSubjectKeyIdentifier(serverKeys.getPublic())),
                    caKeys);
            TestCertificates files = new TestCertificates(
                    directory.resolve(caName + "-ca.pem"),
                    directory.resolve(caName + "-server-cert.pem"),
                    directory.resolve(caName + "-server-key.pem"));
            writePem(files.caCertificate(), ca);
            writePem(files.serverCertificate(), server);
            writePem(files.serverKey(), new JcaPKCS8Generator(serverKeys.getPrivate(), null));
            return files;
        } catch (GeneralSecurityException | OperatorCreationException e) {
            throw new IOException("cannot create test certificates", e);
        }
    }

    private static KeyPair rsaKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        return generator.generateKeyPair();
    }

    private static X509Certificate sign(X509v3CertificateBuilder builder, KeyPair issuerKeys)
            throws OperatorCreationException, GeneralSecurityException {
        return new JcaX509CertificateConverter()
                .getCertificate(
                        builder.build(new JcaContentSignerBuilder("SHA256withRSA").build(issuerKeys.getPrivate())));
    }

    private static Date notBefore() {
        return Date.from(Instant.now().minus(Duration.ofHours(1)));
    }

    private static Date notAfter() {
        return Date.from(Instant.now().plus(Duration.ofDays(1)));
    }

    private static void writePem(Path file, Object object) throws IOException {
        try (Writer out = Files.newBufferedWriter(file);
                JcaPEMWriter pem = new JcaPEMWriter(out)) {
            pem.writeObject(object);
        }
    }
}
