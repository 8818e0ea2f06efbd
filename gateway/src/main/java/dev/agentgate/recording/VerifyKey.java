package dev.agentgate.recording;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The public Ed25519 key that checks segment heads' signatures. */
public final class VerifyKey {

    private final Ed25519PublicKeyParameters key;

    VerifyKey(Ed25519PublicKeyParameters key) {
        this.key = key;
    }

    /** Reads a {@code PUBLIC KEY} PEM file (X.509 SubjectPublicKeyInfo). */
    public static VerifyKey load(Path file) {
        try {
            byte[] der = SigningKey.Pem.decode(Files.readString(file, StandardCharsets.US_ASCII), "PUBLIC KEY");
            byte[] raw =
                    SubjectPublicKeyInfo.getInstance(der).getPublicKeyData().getBytes();
            return new VerifyKey(new Ed25519PublicKeyParameters(raw, 0));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the public key " + file, e);
        } catch (RuntimeException e) {
            throw new IllegalArgumentException(file + " is not an Ed25519 public key in PEM: " + e.getMessage(), e);
        }
    }

    /** The public half of {@code signingKey}: its published {@code NAME.pub} when there, else derived from it. */
    public static VerifyKey ofSigningKey(Path signingKey) {
        Path published = publicFileFor(signingKey);
        return Files.exists(published)
                ? load(published)
                : SigningKey.load(signingKey).verifyKey();
    }

    /** Where a generated signing key's public half is written: {@code NAME.pub} beside {@code NAME}. */
    static Path publicFileFor(Path signingKey) {
        return signingKey.resolveSibling(signingKey.getFileName() + ".pub");
    }

    public boolean verifies(byte[] message, byte[] signature) {
        Ed25519Signer verifier = new Ed25519Signer();
        verifier.init(false, key);
        verifier.update(message, 0, message.length);
        return verifier.verifySignature(signature);
    }
}
