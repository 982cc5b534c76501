package io.lading.auth.credential;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.auth.sigv4.Credential;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StaticCredentialsTest {

    private static final UserConfig ALICE =
            new UserConfig("alice", "123456789012", "AKIAALICE0000000", "alice-secret-key-0000");
    private static final UserConfig BOB =
            new UserConfig("bob", "123456789012", "AKIABOB000000000", "bob-secret-key-000000");

    @Test
    void findsUsersByAccessKeyId() {
        StaticCredentials credentials = new StaticCredentials(List.of(ALICE, BOB));
        Credential alice = credentials.find("AKIAALICE0000000").orElseThrow();
        assertEquals("alice-secret-key-0000", alice.secretAccessKey());
        assertEquals("arn:aws:iam::123456789012:user/alice", alice.principal().arn());
        assertEquals("AKIAALICE0000000", alice.principal().accessKeyId());
        assertEquals(2, credentials.size());
    }

    @Test
    void findsNothingForUnknownOrNullKey() {
        StaticCredentials credentials = new StaticCredentials(List.of(ALICE));
        assertEquals(Optional.empty(), credentials.find("AKIAUNKNOWN00000"));
        assertEquals(Optional.empty(), credentials.find("akiaalice0000000"));
        assertEquals(Optional.empty(), credentials.find(null));
    }

    @Test
    void acceptsNoUsers() {
        assertEquals(0, new StaticCredentials(List.of()).size());
    }

    @ParameterizedTest(name = "{0}/{1}/{2} -> {4}")
    @CsvSource({
        "carol, 12345678901, AKIACAROL0000000, carol-secret-key-0000, accountId",
        "carol, 1234567890123, AKIACAROL0000000, carol-secret-key-0000, accountId",
        "carol, 12345678901a, AKIACAROL0000000, carol-secret-key-0000, accountId",
        "carol, , AKIACAROL0000000, carol-secret-key-0000, accountId",
        "carol, 123456789012, AKIACAROL000000, carol-secret-key-0000, accessKeyId",
        "carol, 123456789012, akiacarol0000000, carol-secret-key-0000, accessKeyId",
        "carol, 123456789012, AKIA-CAROL-00000, carol-secret-key-0000, accessKeyId",
        "carol, 123456789012, , carol-secret-key-0000, accessKeyId",
        "carol, 123456789012, AKIACAROL0000000, short-secret, secretAccessKey",
        "carol, 123456789012, AKIACAROL0000000, , secretAccessKey",
    })
    void rejectsInvalidUserNamingIt(String name, String account, String keyId, String secret, String field) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UserConfig(name, account, keyId, secret));
        assertTrue(e.getMessage().startsWith("user 'carol': " + field), e.getMessage());
    }

    @Test
    void acceptsLongestAccessKeyId() {
        new UserConfig("carol", "123456789012", "A".repeat(128), "carol-secret-key-0000");
        assertThrows(IllegalArgumentException.class,
                () -> new UserConfig("carol", "123456789012", "A".repeat(129), "carol-secret-key-0000"));
    }

    @Test
    void rejectsInvalidUserName() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new UserConfig("carol/admin", "123456789012", "AKIACAROL0000000", "carol-secret-key-0000"));
        assertTrue(e.getMessage().contains("'carol/admin'"), e.getMessage());
    }

    @Test
    void rejectsDuplicateAccessKeyIdNamingBothUsers() {
        UserConfig copy = new UserConfig("mallory", "123456789012", ALICE.accessKeyId(), "mallory-secret-key-00");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StaticCredentials(List.of(ALICE, copy)));
        assertTrue(e.getMessage().contains("'mallory'") && e.getMessage().contains("'alice'"), e.getMessage());
    }

    @Test
    void rejectsDuplicateNameInOneAccount() {
        UserConfig twin = new UserConfig("alice", "123456789012", "AKIAALICE0000001", "alice-secret-key-0001");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> new StaticCredentials(List.of(ALICE, twin)));
        assertTrue(e.getMessage().startsWith("user 'alice'"), e.getMessage());
    }

    @Test
    void allowsSameNameInAnotherAccount() {
        UserConfig other = new UserConfig("alice", "210987654321", "AKIAALICE0000001", "alice-secret-key-0001");
        assertEquals(2, new StaticCredentials(List.of(ALICE, other)).size());
    }

    @Test
    void neverPrintsSecrets() {
        assertFalse(ALICE.toString().contains(ALICE.secretAccessKey()));
        assertFalse(ALICE.credential().toString().contains(ALICE.secretAccessKey()));
    }
}
