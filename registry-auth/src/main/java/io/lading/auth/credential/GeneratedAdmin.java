package io.lading.auth.credential;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The administrator a fresh installation starts with, so that it is usable before anyone writes a user
 * list. The first start generates the user and stores it at {@code <dataDir>/auth/admin-credentials.json}
 * (owner read/write only); later starts load that file, first restricting it (and {@code auth/}) to its
 * owner, with a warning, if others could read it. The caller prints the credentials once, when
 * {@link #created()} is true.
 *
 * <p>File content: {@code {"name":"admin","accountId":"123456789012","accessKeyId":"AKIA...",
 * "secretAccessKey":"..."}}. The key pair always comes from the file; the account is the configured
 * one, so changing the registry's account id moves the admin with it.
 *
 * <p>Immutable and thread-safe; {@link #toString()} never shows the secret.
 *
 * @param user the admin user
 * @param created whether this call generated the user (and wrote the file)
 */
public record GeneratedAdmin(UserConfig user, boolean created) {

    /** The admin's user name. */
    public static final String NAME = "admin";
    /** Where the file lives, relative to the data directory. */
    public static final String FILE = "auth/admin-credentials.json";

    private static final Logger LOG = LoggerFactory.getLogger(GeneratedAdmin.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final SecureRandom RANDOM = new SecureRandom();
    private static final String KEY_ID_ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
    private static final String SECRET_ALPHABET =
            "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    public GeneratedAdmin {
        Objects.requireNonNull(user, "user");
    }

    /**
     * Loads the admin from {@code <dataDir>/auth/admin-credentials.json}, or generates one and writes that
     * file (temporary file created {@code rw-------}, flushed, then atomically moved into place, so the
     * file is never seen half-written or with wider permissions). Thread-safe within one JVM. Processes
     * sharing a data directory should not start for the first time at the same instant: each re-reads the
     * file after its rename and reports {@code created} only if its own key is the one on disk, but a
     * process that renamed first can still be overwritten by a slower one.
     *
     * @throws IOException if the file cannot be read or written
     * @throws IllegalStateException if the file exists but does not hold valid credentials
     */
    public static synchronized GeneratedAdmin loadOrCreate(Path dataDir, String accountId) throws IOException {
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            return new GeneratedAdmin(read(file, accountId), false);
        }
        UserConfig fresh = new UserConfig(NAME, accountId, "AKIA" + random(KEY_ID_ALPHABET, 16),
                random(SECRET_ALPHABET, 40));
        write(file, fresh);
        UserConfig stored = read(file, accountId);
        if (!stored.accessKeyId().equals(fresh.accessKeyId())) {
            // another process created the file first: its key stands
            return new GeneratedAdmin(stored, false);
        }
        LOG.info("Generated admin credentials for account {} in {}", accountId, file);
        return new GeneratedAdmin(fresh, true);
    }

    private static UserConfig read(Path file, String accountId) throws IOException {
        restrictToOwner(file.getParent(), OWNER_ONLY_DIR);
        restrictToOwner(file, OWNER_ONLY_FILE);
        JsonNode doc;
        try {
            doc = JSON.readTree(Files.readAllBytes(file));
        } catch (IOException e) {
            throw new IllegalStateException(file + " is not valid JSON", e);
        }
        if (doc == null || !doc.isObject()) {
            throw new IllegalStateException(file + " does not hold a JSON object");
        }
        String storedAccount = doc.path("accountId").asText(null);
        if (storedAccount != null && !storedAccount.equals(accountId)) {
            LOG.info("{} was written for account {}; using it for the configured account {}", file, storedAccount,
                    accountId);
        }
        try {
            return new UserConfig(doc.path("name").asText(NAME), accountId, doc.path("accessKeyId").asText(null),
                    doc.path("secretAccessKey").asText(null));
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException(file + ": " + e.getMessage(), e);
        }
    }

    private static void write(Path file, UserConfig user) throws IOException {
        Path dir = file.getParent();
        boolean posix = Files.getFileStore(existingAncestor(dir)).supportsFileAttributeView("posix");
        if (!Files.isDirectory(dir)) {
            if (posix) {
                createDirectory(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            } else {
                Files.createDirectories(dir);
            }
        }
        FileAttribute<?>[] attrs = posix
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE)}
                : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, ".admin-credentials-", ".tmp", attrs);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer content = ByteBuffer.wrap(serialise(user));
                while (content.hasRemaining()) {
                    channel.write(content);
                }
                channel.force(true);
            }
            try {
                // a hard link creates the file atomically and only if it is absent: of nodes starting at
                // once on one shared root, the first one's key stands and every other reads it
                Files.createLink(file, temp);
            } catch (FileAlreadyExistsException e) {
                return;
            } catch (UnsupportedOperationException e) {
                throw new IOException("cannot write " + file + " atomically (the filesystem has no hard links)", e);
            }
            syncDirectory(dir);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    private static byte[] serialise(UserConfig user) throws IOException {
        ObjectNode doc = JSON.createObjectNode();
        doc.put("name", user.name());
        doc.put("accountId", user.accountId());
        doc.put("accessKeyId", user.accessKeyId());
        doc.put("secretAccessKey", user.secretAccessKey());
        return JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(doc);
    }

    /** Creates {@code dir} and any missing parents, each with {@code attr}. */
    private static void createDirectory(Path dir, FileAttribute<?> attr) throws IOException {
        if (dir.getParent() != null && !Files.isDirectory(dir.getParent())) {
            createDirectory(dir.getParent(), attr);
        }
        try {
            Files.createDirectory(dir, attr);
        } catch (FileAlreadyExistsException e) {
            if (!Files.isDirectory(dir)) {
                throw e;
            }
        }
    }

    private static Path existingAncestor(Path dir) {
        Path candidate = dir.toAbsolutePath();
        while (candidate != null && !Files.exists(candidate)) {
            candidate = candidate.getParent();
        }
        return candidate == null ? dir.toAbsolutePath().getRoot() : candidate;
    }

    /** Makes the rename durable. Some platforms cannot open a directory; there the rename is all we get. */
    private static void syncDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            LOG.debug("cannot fsync directory {}", dir, e);
        }
    }

    /** Removes every permission of group and others from a file or directory that has any, with a warning. */
    private static void restrictToOwner(Path path, Set<PosixFilePermission> ownerOnly) {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            if (!ownerOnly.containsAll(permissions)) {
                Set<PosixFilePermission> narrowed = EnumSet.noneOf(PosixFilePermission.class);
                narrowed.addAll(permissions);
                narrowed.retainAll(ownerOnly);
                Files.setPosixFilePermissions(path, narrowed);
                LOG.warn("{} holds a secret key but its permissions were {}; changed to {}", path,
                        PosixFilePermissions.toString(permissions), PosixFilePermissions.toString(narrowed));
            }
        } catch (UnsupportedOperationException e) {
            LOG.debug("no POSIX permissions for {}", path, e);
        } catch (IOException e) {
            LOG.warn("{} holds a secret key and its permissions cannot be checked or restricted: {}", path,
                    e.toString());
        }
    }

    private static String random(String alphabet, int length) {
        char[] out = new char[length];
        for (int i = 0; i < length; i++) {
            out[i] = alphabet.charAt(RANDOM.nextInt(alphabet.length()));
        }
        return new String(out);
    }

    @Override
    public String toString() {
        return "GeneratedAdmin[user=" + user + ", created=" + created + "]";
    }
}
