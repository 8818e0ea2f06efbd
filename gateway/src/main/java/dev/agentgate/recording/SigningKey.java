package dev.agentgate.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPairGenerator;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Ed25519 key that signs segment heads, read from a PEM file ({@code PRIVATE KEY}, PKCS#8). A gateway without one
 * generates it, with a warning: a key made on the machine that also holds the recordings proves less than one an
 * auditor keeps, but a recording signed by it still shows any later change.
 */
public final class SigningKey {

    private static final Logger log = LoggerFactory.getLogger(SigningKey.class);

    private final Ed25519PrivateKeyParameters key;

    private SigningKey(Ed25519PrivateKeyParameters key) {
        this.key = key;
    }

    /** The key in {@code file}, generated there (and its public half beside it) when the file does not exist. */
    public static SigningKey loadOrGenerate(Path file) {
        if (!Files.exists(file)) {
            generate(file);
            log.warn(
                    "recording.signing_key {} did not exist: generated a new Ed25519 key there (public key in {});"
                            + " keep a copy of the public key where the recordings' owners cannot change it",
                    file,
                    VerifyKey.publicFileFor(file));
        }
        return load(file);
    }

    public static SigningKey load(Path file) {
        try {
            byte[] der = Pem.decode(Files.readString(file, StandardCharsets.US_ASCII), "PRIVATE KEY");
            byte[] raw = ASN1OctetString.getInstance(
                            PrivateKeyInfo.getInstance(der).parsePrivateKey())
                    .getOctets();
            return new SigningKey(new Ed25519PrivateKeyParameters(raw, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read recording.signing_key " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(
                    "recording.signing_key " + file + " is not an Ed25519 private key in PEM (PKCS#8): "
                            + e.getMessage(),
                    e);
        }
    }

    private static void generate(Path file) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("Ed25519");
            var pair = generator.generateKeyPair();
            Path parent = file.toAbsolutePath().getParent();
            Files.createDirectories(parent);
            Path temporary = Files.createTempFile(parent, ".signing-key", ".tmp");
            try {
                Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
            } catch (UnsupportedOperationException notPosix) {
                // Windows: the directory's permissions protect it.
            }
            Files.writeString(
                    temporary, Pem.encode("PRIVATE KEY", pair.getPrivate().getEncoded()));
            Files.move(temporary, file);
            Files.writeString(
                    VerifyKey.publicFileFor(file),
                    Pem.encode("PUBLIC KEY", pair.getPublic().getEncoded()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write recording.signing_key " + file, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no Ed25519", e);
        }
    }

    public byte[] sign(byte[] message) {
        Ed25519Signer signer = new Ed25519Signer();
        signer.init(true, key);
        signer.update(message, 0, message.length);
        return signer.generateSignature();
    }

    /** The public half, which verifies what this key signed. */
    public VerifyKey verifyKey() {
        return new VerifyKey(key.generatePublicKey());
    }

    /** PEM armour: base64 DER between BEGIN and END lines. */
    static final class Pem {
        private Pem() {}

        static String encode(String label, byte[] der) {
            return "-----BEGIN " + label + "-----\n"
                    + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                            .encodeToString(der)
                    + "\n-----END " + label + "-----\n";
        }

        static byte[] decode(String pem, String label) {
            String begin = "-----BEGIN " + label + "-----";
            String end = "-----END " + label + "-----";
            int from = pem.indexOf(begin);
            int to = pem.indexOf(end);
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("no " + begin + " block");
            }
            return Base64.getMimeDecoder().decode(pem.substring(from + begin.length(), to));
        }
    }
}
