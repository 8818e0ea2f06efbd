package dev.agentgate.transport.backend;

import java.math.BigInteger;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;

/**
 * MariaDB's {@code client_ed25519}: an Ed25519 signature (RFC 8032) of the server's nonce whose secret "seed" is
 * the password itself, of any length, hashed with SHA-512 where standard Ed25519 hashes a 32-byte seed. The JDK and
 * BouncyCastle only take 32-byte seeds, so the group arithmetic follows RFC 8032's reference code (section 6).
 * BigInteger arithmetic is not constant-time; the secret is the service account's password on the gateway host.
 *
 * @see <a href="https://www.rfc-editor.org/rfc/rfc8032#section-6">RFC 8032, section 6</a>
 */
final class Ed25519PasswordSignature {

    private static final BigInteger P = BigInteger.TWO.pow(255).subtract(BigInteger.valueOf(19));
    private static final BigInteger L =
            BigInteger.TWO.pow(252).add(new BigInteger("27742317777372353535851937790883648493"));
    private static final BigInteger D = BigInteger.valueOf(-121665)
            .multiply(inverse(BigInteger.valueOf(121666)))
            .mod(P);
    private static final BigInteger SQRT_MINUS_ONE =
            BigInteger.TWO.modPow(P.subtract(BigInteger.ONE).shiftRight(2), P);
    private static final BigInteger[] BASE = basePoint();
    private static final int ENCODED_LENGTH = 32;

    private Ed25519PasswordSignature() {}

    /** The 64-byte signature R || S of {@code message} under the key derived from {@code password}. */
    static byte[] sign(byte[] password, byte[] message) {
        byte[] hash = sha512(password);
        BigInteger a = secretScalar(hash);
        byte[] publicKey = encode(multiply(a, BASE));
        BigInteger r = littleEndian(sha512(Arrays.copyOfRange(hash, ENCODED_LENGTH, 64), message))
                .mod(L);
        byte[] encodedR = encode(multiply(r, BASE));
        BigInteger k = littleEndian(sha512(encodedR, publicKey, message)).mod(L);
        byte[] signature = Arrays.copyOf(encodedR, 2 * ENCODED_LENGTH);
        System.arraycopy(toLittleEndian(r.add(k.multiply(a)).mod(L)), 0, signature, ENCODED_LENGTH, ENCODED_LENGTH);
        return signature;
    }

    /** The public key MariaDB stores for {@code password} (its {@code PASSWORD()} shows it base64-encoded). */
    static byte[] publicKey(byte[] password) {
        return encode(multiply(secretScalar(sha512(password)), BASE));
    }

    /** The first half of the hash, clamped: a multiple of 8 with bit 254 set and bit 255 clear. */
    private static BigInteger secretScalar(byte[] hash) {
        byte[] scalarBytes = Arrays.copyOf(hash, ENCODED_LENGTH);
        scalarBytes[0] &= (byte) 248;
        scalarBytes[31] &= 63;
        scalarBytes[31] |= 64;
        return littleEndian(scalarBytes);
    }

    /** Extended coordinates (X, Y, Z, T) addition for a = -1 twisted Edwards curves. */
    private static BigInteger[] add(BigInteger[] p, BigInteger[] q) {
        BigInteger a = p[1].subtract(p[0]).multiply(q[1].subtract(q[0])).mod(P);
        BigInteger b = p[1].add(p[0]).multiply(q[1].add(q[0])).mod(P);
        BigInteger c = p[3].multiply(BigInteger.TWO).multiply(D).multiply(q[3]).mod(P);
        BigInteger d = p[2].multiply(BigInteger.TWO).multiply(q[2]).mod(P);
        BigInteger e = b.subtract(a);
        BigInteger f = d.subtract(c);
        BigInteger g = d.add(c);
        BigInteger h = b.add(a);
        return new BigInteger[] {
            e.multiply(f).mod(P),
            g.multiply(h).mod(P),
            f.multiply(g).mod(P),
            e.multiply(h).mod(P)
        };
    }

    private static BigInteger[] multiply(BigInteger scalar, BigInteger[] point) {
        BigInteger[] result = {BigInteger.ZERO, BigInteger.ONE, BigInteger.ONE, BigInteger.ZERO};
        BigInteger[] addend = point;
        for (int bit = 0; bit < scalar.bitLength(); bit++) {
            if (scalar.testBit(bit)) {
                result = add(result, addend);
            }
            addend = add(addend, addend);
        }
        return result;
    }

    private static byte[] encode(BigInteger[] point) {
        BigInteger zInverse = inverse(point[2]);
        BigInteger x = point[0].multiply(zInverse).mod(P);
        BigInteger y = point[1].multiply(zInverse).mod(P);
        return toLittleEndian(x.testBit(0) ? y.setBit(255) : y);
    }

    private static BigInteger[] basePoint() {
        BigInteger y =
                BigInteger.valueOf(4).multiply(inverse(BigInteger.valueOf(5))).mod(P);
        BigInteger xSquared = y.pow(2)
                .subtract(BigInteger.ONE)
                .multiply(inverse(D.multiply(y.pow(2)).add(BigInteger.ONE)))
                .mod(P);
        BigInteger x = xSquared.modPow(P.add(BigInteger.valueOf(3)).shiftRight(3), P);
        if (!x.pow(2).subtract(xSquared).mod(P).equals(BigInteger.ZERO)) {
            x = x.multiply(SQRT_MINUS_ONE).mod(P);
        }
        if (x.testBit(0)) {
            x = P.subtract(x);
        }
        return new BigInteger[] {x, y, BigInteger.ONE, x.multiply(y).mod(P)};
    }

    private static BigInteger inverse(BigInteger value) {
        return value.modPow(P.subtract(BigInteger.TWO), P);
    }

    private static BigInteger littleEndian(byte[] bytes) {
        byte[] bigEndian = new byte[bytes.length];
        for (int i = 0; i < bytes.length; i++) {
            bigEndian[i] = bytes[bytes.length - 1 - i];
        }
        return new BigInteger(1, bigEndian);
    }

    private static byte[] toLittleEndian(BigInteger value) {
        byte[] bigEndian = value.toByteArray();
        byte[] out = new byte[ENCODED_LENGTH];
        for (int i = 0; i < Math.min(ENCODED_LENGTH, bigEndian.length); i++) {
            out[i] = bigEndian[bigEndian.length - 1 - i];
        }
        return out;
    }

    private static byte[] sha512(byte[]... parts) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-512");
            for (byte[] part : parts) {
                digest.update(part);
            }
            return digest.digest();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-512 is required of every Java platform", e);
        }
    }
}
