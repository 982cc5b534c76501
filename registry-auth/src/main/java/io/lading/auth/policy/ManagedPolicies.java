package io.lading.auth.policy;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The AWS managed policies for ECR (spec §14), shipped as built-in identity policies. Texts keep
 * the non-{@code ecr} actions so exported and imported policies round-trip; those actions never
 * match a request here.
 *
 * <p>All documents are parsed once at class initialization. Immutable and thread-safe.
 */
public final class ManagedPolicies {

    /** Read-only access: pull, describe, list. */
    public static final String READ_ONLY = "AmazonEC2ContainerRegistryReadOnly";
    /** Read-only plus push. */
    public static final String POWER_USER = "AmazonEC2ContainerRegistryPowerUser";
    /** Every {@code ecr:} action. */
    public static final String FULL_ACCESS = "AmazonEC2ContainerRegistryFullAccess";
    /** Pull, including pull-through-cache imports (2024). */
    public static final String PULL_ONLY = "AmazonEC2ContainerRegistryPullOnly";

    private static final List<String> READ_ONLY_ACTIONS = List.of("ecr:GetAuthorizationToken",
            "ecr:BatchCheckLayerAvailability", "ecr:GetDownloadUrlForLayer", "ecr:GetRepositoryPolicy",
            "ecr:DescribeRepositories", "ecr:ListImages", "ecr:DescribeImages", "ecr:BatchGetImage",
            "ecr:GetLifecyclePolicy", "ecr:GetLifecyclePolicyPreview", "ecr:ListTagsForResource",
            "ecr:DescribeImageScanFindings");
    private static final List<String> PUSH_ACTIONS = List.of("ecr:InitiateLayerUpload", "ecr:UploadLayerPart",
            "ecr:CompleteLayerUpload", "ecr:PutImage");
    private static final List<String> PULL_ONLY_ACTIONS = List.of("ecr:GetAuthorizationToken", "ecr:BatchGetImage",
            "ecr:GetDownloadUrlForLayer", "ecr:BatchImportUpstreamImage");

    private static final Map<String, PolicyDocument> POLICIES = build();

    private ManagedPolicies() {
    }

    private static Map<String, PolicyDocument> build() {
        Map<String, String> texts = new LinkedHashMap<>();
        texts.put(READ_ONLY, allowAll(READ_ONLY_ACTIONS));
        List<String> power = new java.util.ArrayList<>(READ_ONLY_ACTIONS);
        power.addAll(PUSH_ACTIONS);
        texts.put(POWER_USER, allowAll(power));
        texts.put(FULL_ACCESS, "{\"Version\":\"2012-10-17\",\"Statement\":["
                + "{\"Effect\":\"Allow\",\"Action\":[\"ecr:*\",\"cloudtrail:LookupEvents\"],\"Resource\":\"*\"},"
                + "{\"Effect\":\"Allow\",\"Action\":[\"iam:CreateServiceLinkedRole\"],\"Resource\":\"*\","
                + "\"Condition\":{\"StringEquals\":{\"iam:AWSServiceName\":[\"replication.ecr.amazonaws.com\"]}}}]}");
        texts.put(PULL_ONLY, allowAll(PULL_ONLY_ACTIONS));
        Map<String, PolicyDocument> out = new LinkedHashMap<>();
        texts.forEach((name, text) -> out.put(name, PolicyDocument.parse(text, PolicyKind.IDENTITY)));
        return Map.copyOf(out);
    }

    private static String allowAll(List<String> actions) {
        return "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Action\":[\""
                + String.join("\",\"", actions) + "\"],\"Resource\":\"*\"}]}";
    }

    /** The managed policy with this exact name. */
    public static Optional<PolicyDocument> byName(String name) {
        return Optional.ofNullable(POLICIES.get(name));
    }

    /**
     * The managed policy with this exact name.
     *
     * @throws IllegalArgumentException for an unknown name
     */
    public static PolicyDocument get(String name) {
        return byName(name).orElseThrow(() -> new IllegalArgumentException("no managed policy " + name));
    }

    /** The names of all managed policies. */
    public static Set<String> names() {
        return POLICIES.keySet();
    }
}
