package io.lading.auth.policy;

import java.util.List;

/**
 * A parsed, validated and precompiled policy document (spec §2) of one {@link PolicyKind}.
 *
 * <p>Parse each stored policy once ({@link PolicyCache} helps) and reuse it for every request: the
 * document is immutable and thread-safe, and evaluating it ({@link PolicyEvaluator}) compiles
 * nothing. The original text is kept verbatim for Get operations.
 *
 * <pre>{@code
 * PolicyDocument repoPolicy = PolicyDocument.parse(policyText, PolicyKind.REPOSITORY);
 * }</pre>
 *
 * @see "spec iam-policy.md §2, §15"
 */
public final class PolicyDocument {

    /** The {@code Version} that enables policy variables. */
    public static final String VERSION_2012 = "2012-10-17";
    /** The legacy {@code Version} (also the meaning of an absent Version). */
    public static final String VERSION_2008 = "2008-10-17";

    private final String text;
    private final PolicyKind kind;
    private final String version;
    private final String id;
    private final List<Statement> statements;

    PolicyDocument(String text, PolicyKind kind, String version, String id, List<Statement> statements) {
        this.text = text;
        this.kind = kind;
        this.version = version;
        this.id = id;
        this.statements = List.copyOf(statements);
    }

    /**
     * Parses and validates {@code json} with the structural rules of {@code kind} (§2, §15: the
     * checks that need no outside knowledge, including the length limit). Checks that need
     * context (principal existence, lock-out, registry scope) are in
     * {@link RepositoryPolicyValidation} and {@link RegistryPolicyValidation}.
     *
     * @throws PolicyInvalid with the exact API message of {@code kind}
     */
    public static PolicyDocument parse(String json, PolicyKind kind) {
        return PolicyParser.parse(json, kind);
    }

    /** The policy text exactly as given. */
    public String text() {
        return text;
    }

    /** The kind this document was validated as. */
    public PolicyKind kind() {
        return kind;
    }

    /** The {@code Version} element, or null when absent. */
    public String version() {
        return version;
    }

    /** The {@code Id} element, or null. */
    public String id() {
        return id;
    }

    /** Whether policy variables are substituted ({@code Version} is {@code 2012-10-17}). */
    public boolean variablesEnabled() {
        return VERSION_2012.equals(version);
    }

    /** The number of statements. */
    public int statementCount() {
        return statements.size();
    }

    List<Statement> statements() {
        return statements;
    }

    @Override
    public String toString() {
        return kind + " policy " + statements;
    }
}
