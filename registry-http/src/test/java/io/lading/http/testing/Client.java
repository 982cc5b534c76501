package io.lading.http.testing;

import java.util.List;

/**
 * An external program that end-to-end tests run, with the Debian 12 package that provides it (what
 * {@code .ci/run} installs). {@code tools/make-images.sh} also runs {@code tar}, {@code gzip} and
 * {@code sha256sum}, which come with every Debian system (essential packages), so they are not listed.
 */
public enum Client {
    SKOPEO("skopeo", false, "skopeo"),
    /** A private containerd and its {@code ctr} (started by {@code tools/containerd.sh}); mounting snapshots needs root. */
    CONTAINERD("containerd", true, "containerd", "ctr"),
    /** The aws CLI; Debian 12's {@code awscli} is version 2 at {@code /usr/bin/aws}. */
    AWS_CLI("awscli", false, "aws"),
    /** Used by {@code tools/make-images.sh} to write image manifests and indexes. */
    JQ("jq", false, "jq"),
    /** Used by {@code tools/make-images.sh} for deterministic incompressible layer data. */
    OPENSSL("openssl", false, "openssl");

    private final String debianPackage;
    private final boolean needsRoot;
    private final List<String> commands;

    Client(String debianPackage, boolean needsRoot, String... commands) {
        this.debianPackage = debianPackage;
        this.needsRoot = needsRoot;
        this.commands = List.of(commands);
    }

    /** The Debian package that installs {@link #commands()}. */
    public String debianPackage() {
        return debianPackage;
    }

    /** Whether the client only works when the tests run as root. */
    public boolean needsRoot() {
        return needsRoot;
    }

    /** The programs the tests run, each looked up on {@code PATH}. */
    public List<String> commands() {
        return commands;
    }
}
