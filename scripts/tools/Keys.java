import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyFactory;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * Local key pair and token tool, run as a single source file (java scripts/tools/Keys.java ...), so it needs only a
 * JDK.
 *
 * <pre>
 *   generate DIR                         writes DIR/private.pem (PKCS#8) and DIR/public.pem (X.509) if missing
 *   token DIR [--ttl SECONDS] [--sub NAME] [--iss ISSUER] ROLE...   prints an RS256 JWT with the roles in "groups"
 * </pre>
 */
public class Keys {

    static final String ISSUER = "urn:leadsuite:local";
    static final String AUDIENCE = "leadsuite";

    public static void main(String[] args) throws Exception {
        if (args.length < 2) {
            System.err.println("usage: Keys generate DIR | Keys token DIR [--ttl S] [--sub NAME] [--iss ISSUER] ROLE...");
            System.exit(2);
        }
        Path dir = Path.of(args[1]);
        switch (args[0]) {
            case "generate" -> generate(dir);
            case "token" -> token(dir, List.of(args).subList(2, args.length));
            default -> {
                System.err.println("unknown command " + args[0]);
                System.exit(2);
            }
        }
    }

    static void generate(Path dir) throws Exception {
        Path priv = dir.resolve("private.pem");
        Path pub = dir.resolve("public.pem");
        if (Files.exists(priv) && Files.exists(pub)) {
            return;
        }
        Files.createDirectories(dir);
        KeyPairGenerator gen = KeyPairGenerator.getInstance("RSA");
        gen.initialize(2048);
        var pair = gen.generateKeyPair();
        Files.writeString(priv, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
        try {
            Files.setPosixFilePermissions(priv, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException ignored) {
            // not a POSIX file system
        }
        Files.writeString(pub, pem("PUBLIC KEY", pair.getPublic().getEncoded()));
    }

    static void token(Path dir, List<String> args) throws Exception {
        long ttl = 8 * 3600;
        String sub = null;
        String iss = ISSUER;
        List<String> roles = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            switch (args.get(i)) {
                case "--ttl" -> ttl = Long.parseLong(args.get(++i));
                case "--sub" -> sub = args.get(++i);
                case "--iss" -> iss = args.get(++i);
                default -> roles.add(args.get(i));
            }
        }
        if (roles.isEmpty()) {
            roles.add("admin");
        }
        if (sub == null) {
            sub = String.join("-", roles) + "-user";
        }
        String b64 = Files.readString(dir.resolve("private.pem")).replaceAll("-----[A-Z ]+-----", "")
                .replaceAll("\\s", "");
        PrivateKey key = KeyFactory.getInstance("RSA")
                .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(b64)));
        long now = System.currentTimeMillis() / 1000;
        StringBuilder groups = new StringBuilder();
        for (String role : roles) {
            groups.append(groups.isEmpty() ? "" : ",").append('"').append(role).append('"');
        }
        String header = "{\"alg\":\"RS256\",\"typ\":\"JWT\"}";
        String claims = "{\"iss\":\"" + iss + "\",\"aud\":\"" + AUDIENCE + "\",\"sub\":\"" + sub + "\",\"upn\":\""
                + sub + "\",\"groups\":[" + groups + "],\"iat\":" + now + ",\"exp\":" + (now + ttl) + ",\"jti\":\""
                + UUID.randomUUID() + "\"}";
        String signingInput = url(header.getBytes(StandardCharsets.UTF_8)) + "."
                + url(claims.getBytes(StandardCharsets.UTF_8));
        Signature signature = Signature.getInstance("SHA256withRSA");
        signature.initSign(key);
        signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
        System.out.println(signingInput + "." + url(signature.sign()));
    }

    static String url(byte[] bytes) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }
}
