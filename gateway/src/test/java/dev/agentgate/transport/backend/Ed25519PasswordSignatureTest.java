package dev.agentgate.transport.backend;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import org.bouncycastle.math.ec.rfc8032.Ed25519;
import org.junit.jupiter.api.Test;

/** Checked against BouncyCastle's standard Ed25519, which equals MariaDB's variant when the password is 32 bytes. */
class Ed25519PasswordSignatureTest {

    private static final SecureRandom RANDOM = new SecureRandom();

    @Test
    void signsLikeStandardEd25519WhenThePasswordIsA32ByteSeed() {
        byte[] seed = randomBytes(32);
        byte[] nonce = randomBytes(32);
        byte[] expected = new byte[Ed25519.SIGNATURE_SIZE];
        Ed25519.sign(seed, 0, nonce, 0, nonce.length, expected, 0);

        assertThat(Ed25519PasswordSignature.sign(seed, nonce)).containsExactly(expected);
    }

    @Test
    void derivesTheStandardPublicKeyWhenThePasswordIsA32ByteSeed() {
        byte[] seed = randomBytes(32);
        byte[] expected = new byte[Ed25519.PUBLIC_KEY_SIZE];
        Ed25519.generatePublicKey(seed, 0, expected, 0);

        assertThat(Ed25519PasswordSignature.publicKey(seed)).containsExactly(expected);
    }

    @Test
    void producesSignaturesThatVerifyForPasswordsOfAnyLength() {
        byte[] password = "a rather longer pass phrase, not 32 bytes".getBytes(StandardCharsets.UTF_8);
        byte[] nonce = randomBytes(32);

        byte[] signature = Ed25519PasswordSignature.sign(password, nonce);

        assertThat(Ed25519.verify(
                        signature, 0, Ed25519PasswordSignature.publicKey(password), 0, nonce, 0, nonce.length))
                .isTrue();
    }

    private static byte[] randomBytes(int length) {
        byte[] bytes = new byte[length];
        RANDOM.nextBytes(bytes);
        return bytes;
    }
}
