package dev.agentgate.identity;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.UUID;

/**
 * A local token issuer for development: an EC P-256 key kept as a private JWK file, and ES256 tokens
 * minted with it for issuer {@value #ISSUER} (or another name, {@link #asIssuer}). The gateway trusts it only
 * in dev mode.
 */
public final class DevIssuer {

    public static final String ISSUER = "agentgate-dev";
    public static final JWSAlgorithm ALGORITHM = JWSAlgorithm.ES256;

    private static final FileAttribute<Set<PosixFilePermission>> OWNER_ONLY =
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
    private static final Set<String> MINTED_CLAIMS = Set.of("iss", "sub", "aud", "exp", "nbf", "iat", "jti");

    private final ECKey privateKey;
    private final ECDSASigner signer;
    private final Clock clock;
    private final String issuer;

    public DevIssuer(ECKey privateKey, Clock clock) {
        this(privateKey, clock, ISSUER);
    }

    private DevIssuer(ECKey privateKey, Clock clock, String issuer) {
        Objects.requireNonNull(privateKey, "privateKey");
        if (!privateKey.isPrivate() || !Curve.P_256.equals(privateKey.getCurve())) {
            throw new IllegalArgumentException("dev issuer key must be a private EC P-256 JWK");
        }
        this.privateKey = privateKey;
        this.clock = Objects.requireNonNull(clock, "clock");
        this.issuer = Objects.requireNonNull(issuer, "issuer");
        try {
            this.signer = new ECDSASigner(privateKey);
        } catch (JOSEException e) {
            throw new IllegalArgumentException("dev issuer key cannot sign: " + e.getMessage(), e);
        }
    }

    public static DevIssuer fromKeyFile(Path keyFile, Clock clock) throws IOException {
        return new DevIssuer(readKeyFile(keyFile), clock);
    }

    /** A new EC P-256 signing key whose kid is its RFC 7638 thumbprint. */
    public static ECKey generateKey() {
        try {
            return new ECKeyGenerator(Curve.P_256)
                    .keyUse(KeyUse.SIGNATURE)
                    .algorithm(ALGORITHM)
                    .keyIDFromThumbprint(true)
                    .generate();
        } catch (JOSEException e) {
            throw new IllegalStateException("EC P-256 key generation is unavailable in this JVM", e);
        }
    }

    /**
     * Writes the private JWK to a new file, readable by the owner only where the file system supports
     * POSIX permissions. An existing file is never overwritten: it may be the only copy of a key.
     */
    public static void writeKeyFile(ECKey key, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            Files.createFile(file, OWNER_ONLY);
        } else {
            Files.createFile(file);
        }
        Files.writeString(file, key.toJSONString() + "\n", StandardCharsets.UTF_8);
    }

    /** Reads a private EC JWK; the message of a failure names the file and what is wrong with it. */
    public static ECKey readKeyFile(Path file) throws IOException {
        String json = Files.readString(file, StandardCharsets.UTF_8);
        try {
            if (JWK.parse(json) instanceof ECKey key && key.isPrivate()) {
                return key;
            }
        } catch (ParseException e) {
            throw new IOException(file + ": not a JSON Web Key: " + e.getMessage(), e);
        }
        throw new IOException(file + ": not a private EC JWK (generate one with `agentgate dev keygen`)");
    }

    /**
     * The same key minting tokens of another issuer: the dev SSO issuer signs its ID tokens as its own URL, which
     * the approval page's sign-in expects as {@code iss}.
     */
    public DevIssuer asIssuer(String otherIssuer) {
        requireText(otherIssuer, "issuer");
        return new DevIssuer(privateKey, clock, otherIssuer);
    }

    /** The public half, which a validator in dev mode trusts. */
    public ECKey publicKey() {
        return privateKey.toPublicJWK();
    }

    /**
     * Mints a signed ES256 token.
     *
     * @param claims extra claims; the registered ones this method sets (iss, sub, aud, exp, nbf, iat, jti)
     *     cannot be among them
     */
    public String mint(String subject, String audience, Duration ttl, Map<String, Object> claims) {
        requireText(subject, "subject");
        requireText(audience, "audience");
        if (ttl == null || ttl.isNegative() || ttl.isZero()) {
            throw new IllegalArgumentException("ttl must be a positive duration, was " + ttl);
        }
        JWTClaimsSet.Builder builder = new JWTClaimsSet.Builder();
        claims.forEach((name, value) -> {
            if (MINTED_CLAIMS.contains(name)) {
                throw new IllegalArgumentException("claim '" + name + "' is set by the dev issuer itself");
            }
            builder.claim(name, value);
        });
        Instant now = clock.instant();
        JWTClaimsSet claimsSet = builder.issuer(issuer)
                .subject(subject)
                .audience(audience)
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        JWSHeader header = new JWSHeader.Builder(ALGORITHM)
                .keyID(privateKey.getKeyID())
                .type(JOSEObjectType.JWT)
                .build();
        SignedJWT jwt = new SignedJWT(header, claimsSet);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing the dev token failed: " + e.getMessage(), e);
        }
        return jwt.serialize();
    }

    private static void requireText(String value, String name) {
        if (value == null || value.isBlank()) {
            throw new IllegalArgumentException(name + " must not be blank");
        }
    }
}
