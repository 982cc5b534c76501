package io.lading.http.testing;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.io.TempDir;
import org.opentest4j.AssertionFailedError;

/** A missing client skips outside CI and fails under {@code CI=true}, naming the client and its Debian package. */
class RequiredClientConditionTest {

    @TempDir
    Path bin;

    private void install(String command) throws IOException {
        Files.createFile(bin.resolve(command), PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwxr-xr-x")));
    }

    private RequiredClientCondition condition(boolean ci, boolean root) {
        return new RequiredClientCondition(ci ? Map.of("PATH", bin.toString(), "CI", "true")
                : Map.of("PATH", bin.toString()), root);
    }

    @Test
    void aMissingClientSkipsWithTheCommandAndThePackage() {
        ConditionEvaluationResult result = condition(false, true).evaluate(Client.SKOPEO, Client.AWS_CLI);
        assertTrue(result.isDisabled());
        assertEquals("skopeo is not on PATH (Debian package skopeo); aws is not on PATH (Debian package awscli)"
                + ": apt-get install skopeo awscli", result.getReason().orElseThrow());
        assertDoesNotThrow(() -> condition(false, true).failUnderCi(Client.SKOPEO));
    }

    @Test
    void underCiAMissingClientFailsInsteadOfSkipping() {
        RequiredClientCondition ci = condition(true, true);
        assertFalse(ci.evaluate(Client.CONTAINERD).isDisabled(), "under CI the test runs, so that it can fail");
        AssertionFailedError failure = assertThrows(AssertionFailedError.class, () -> ci.failUnderCi(Client.CONTAINERD));
        assertTrue(failure.getMessage().startsWith("containerd is not on PATH (Debian package containerd); "
                + "ctr is not on PATH (Debian package containerd): apt-get install containerd"), failure.getMessage());
        assertTrue(failure.getMessage().contains("CI=true"), failure.getMessage());
    }

    @Test
    void aClientThatNeedsRootIsMissingForOtherUsers() throws IOException {
        install("containerd");
        install("ctr");
        assertFalse(condition(false, true).evaluate(Client.CONTAINERD).isDisabled());
        ConditionEvaluationResult notRoot = condition(false, false).evaluate(Client.CONTAINERD);
        assertTrue(notRoot.isDisabled());
        assertEquals("containerd needs the tests to run as root", notRoot.getReason().orElseThrow());
    }

    @Test
    void presentClientsRunEverywhere() throws IOException {
        install("skopeo");
        install("jq");
        Files.createFile(bin.resolve("openssl")); // not executable: not a client
        assertFalse(condition(false, false).evaluate(Client.SKOPEO, Client.JQ).isDisabled());
        assertDoesNotThrow(() -> condition(true, false).failUnderCi(Client.SKOPEO, Client.JQ));
        assertTrue(condition(false, false).evaluate(Client.OPENSSL).isDisabled());
    }
}
