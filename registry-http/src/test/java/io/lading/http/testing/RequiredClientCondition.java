package io.lading.http.testing;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ConditionEvaluationResult;
import org.junit.jupiter.api.extension.ExecutionCondition;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.platform.commons.support.AnnotationSupport;
import org.opentest4j.AssertionFailedError;

/**
 * Backs {@link RequiresClient}. Outside CI a missing client disables the annotated class or method, so
 * the build reports each of its tests as skipped with the reason. With {@code CI=true} in the
 * environment the tests are enabled and fail before they start (in {@code beforeAll} for a class, in
 * {@code beforeEach} for a method) with the same reason.
 */
public final class RequiredClientCondition implements ExecutionCondition, BeforeAllCallback, BeforeEachCallback {

    private final boolean ci;
    private final List<String> path;
    private final boolean root;

    /** Reads {@code CI}, {@code PATH} and the user id of this process. */
    public RequiredClientCondition() {
        this(System.getenv(), isRoot());
    }

    RequiredClientCondition(Map<String, String> env, boolean root) {
        this.ci = "true".equalsIgnoreCase(env.getOrDefault("CI", ""));
        this.path = List.of(env.getOrDefault("PATH", "").split(File.pathSeparator));
        this.root = root;
    }

    @Override
    public ConditionEvaluationResult evaluateExecutionCondition(ExtensionContext context) {
        return evaluate(required(context));
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        failUnderCi(required(context));
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        failUnderCi(required(context));
    }

    /** Disabled with the reason when a client is missing, unless under CI. */
    ConditionEvaluationResult evaluate(Client... clients) {
        Optional<String> missing = missing(clients);
        if (missing.isEmpty()) {
            return ConditionEvaluationResult.enabled("every required client is present");
        }
        return ci ? ConditionEvaluationResult.enabled("CI=true: fails instead of skipping")
                : ConditionEvaluationResult.disabled(missing.get());
    }

    /** Under CI, throws the reason when a client is missing. */
    void failUnderCi(Client... clients) {
        Optional<String> missing = missing(clients);
        if (ci && missing.isPresent()) {
            throw new AssertionFailedError(missing.get() + " (CI=true: a missing client fails the build)");
        }
    }

    /** The clients that {@code context}'s own class or method requires (those of its class were checked before it). */
    private static Client[] required(ExtensionContext context) {
        return context.getElement()
                .flatMap(element -> AnnotationSupport.findAnnotation(element, RequiresClient.class))
                .map(RequiresClient::value)
                .orElse(new Client[0]);
    }

    /** A message naming each missing client and the Debian packages to install, or empty when all are there. */
    Optional<String> missing(Client... clients) {
        List<String> problems = new ArrayList<>();
        Set<String> packages = new LinkedHashSet<>();
        for (Client client : clients) {
            for (String command : client.commands()) {
                if (!onPath(command)) {
                    problems.add(command + " is not on PATH (Debian package " + client.debianPackage() + ")");
                    packages.add(client.debianPackage());
                }
            }
            if (client.needsRoot() && !root) {
                problems.add(client.debianPackage() + " needs the tests to run as root");
            }
        }
        if (problems.isEmpty()) {
            return Optional.empty();
        }
        String install = packages.isEmpty() ? "" : ": apt-get install " + String.join(" ", packages);
        return Optional.of(String.join("; ", problems) + install);
    }

    private boolean onPath(String command) {
        return path.stream().filter(dir -> !dir.isEmpty()).anyMatch(dir -> Files.isExecutable(Path.of(dir, command)));
    }

    private static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return false;
        }
    }
}
