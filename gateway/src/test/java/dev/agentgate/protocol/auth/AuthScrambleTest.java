package dev.agentgate.protocol.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.HexFormat;
import javax.crypto.Cipher;
import org.junit.jupiter.api.Test;

/**
 * Known-answer tests: each response is checked the way the server verifies it, against published or
 * independently computed stored hashes.
 */
class AuthScrambleTest {

    private static final byte[] PASSWORD = "password".getBytes(StandardCharsets.UTF_8);
    private static final byte[] SEED = "0123456789abcdefghij".getBytes(StandardCharsets.US_ASCII);

    private static byte[] hash(String algorithm, byte[]... parts) throws Exception {
        MessageDigest digest = MessageDigest.getInstance(algorithm);
        for (byte[] part : parts) {
            digest.update(part);
        }
        return digest.digest();
    }

    private static byte[] xor(byte[] left, byte[] right) {
        byte[] result = new byte[left.length];
        for (int i = 0; i < left.length; i++) {
            result[i] = (byte) (left[i] ^ right[i % right.length]);
        }
        return result;
    }

    @Test
    void producesANativeResponseTheServerAcceptsForThePublishedHashOfPassword() throws Exception {
        // mysql.user.authentication_string for 'password' (PASSWORD('password') in MySQL 5.7)
        byte[] stored = HexFormat.of().parseHex("2470C0C06DEE42FD1618BB99005ADCA2EC9D1E19");

        byte[] response = NativePasswordScramble.scramble(PASSWORD, SEED);

        byte[] candidateHash = xor(response, hash("SHA-1", SEED, stored));
        assertThat(response).hasSize(20);
        assertThat(hash("SHA-1", candidateHash)).isEqualTo(stored);
    }

    @Test
    void producesACachingSha2ResponseTheServerCacheAccepts() throws Exception {
        byte[] cached = hash("SHA-256", hash("SHA-256", PASSWORD));

        byte[] response = CachingSha2Scramble.scramble(PASSWORD, SEED);

        byte[] candidateHash = xor(response, hash("SHA-256", cached, SEED));
        assertThat(response).hasSize(32);
        assertThat(hash("SHA-256", candidateHash)).isEqualTo(cached);
    }

    @Test
    void answersAnEmptyPasswordWithAnEmptyResponse() {
        assertThat(NativePasswordScramble.scramble(new byte[0], SEED)).isEmpty();
        assertThat(CachingSha2Scramble.scramble(new byte[0], SEED)).isEmpty();
    }

    @Test
    void refusesASeedThatIsNot20Bytes() {
        assertThatThrownBy(() -> NativePasswordScramble.scramble(PASSWORD, new byte[21]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("seed must be 20 bytes, was 21");
    }

    @Test
    void encryptsThePasswordSoThatThePrivateKeyRecoversItXoredWithTheSeed() throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair keyPair = generator.generateKeyPair();
        String pem = "-----BEGIN PUBLIC KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                        .encodeToString(keyPair.getPublic().getEncoded())
                + "\n-----END PUBLIC KEY-----\n";
        byte[] passwordNul = "a much longer password than the seed\0".getBytes(StandardCharsets.UTF_8);

        byte[] encrypted = RsaPasswordEncryption.encrypt(passwordNul, SEED, pem);

        Cipher cipher = Cipher.getInstance("RSA/ECB/OAEPWithSHA-1AndMGF1Padding");
        cipher.init(Cipher.DECRYPT_MODE, keyPair.getPrivate());
        assertThat(encrypted).hasSize(256);
        assertThat(xor(cipher.doFinal(encrypted), SEED)).isEqualTo(passwordNul);
    }

    @Test
    void refusesAKeyThatIsNotAPublicKeyPem() {
        assertThatThrownBy(() -> RsaPasswordEncryption.encrypt(new byte[] {0}, SEED, "-----BEGIN RSA PRIVATE KEY-----"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("BEGIN PUBLIC KEY");
    }
}
