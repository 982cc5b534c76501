import io.lading.auth.policy.AttachedPolicies;
import io.lading.auth.policy.ManagedPolicies;
import io.lading.auth.policy.PolicyDocument;
import io.lading.auth.policy.PolicyEvaluator;
import io.lading.auth.policy.PolicyKind;
import io.lading.auth.policy.RegistryPolicyScope;
import io.lading.auth.policy.RequestContext;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Policy evaluation cost: one request decided against 10 attached policies (9 identity policies with
 * conditions, wildcards and a policy variable, plus a repository policy), as bench/run.sh reports it.
 * Run: java -cp registry-http/target/lading.jar bench/PolicyEvalBench.java
 */
public class PolicyEvalBench {
    public static void main(String[] args) {
        List<PolicyDocument> identity = new ArrayList<>();
        identity.add(ManagedPolicies.get(ManagedPolicies.POWER_USER));
        for (int i = 0; i < 8; i++) {
            identity.add(PolicyDocument.parse("""
                {"Version":"2012-10-17","Statement":[
                 {"Effect":"Allow","Action":["ecr:Describe*","ecr:List*"],
                  "Resource":"arn:aws:ecr:*:123456789012:repository/p%d/*",
                  "Condition":{"StringEquals":{"aws:ResourceTag/env":"prod"},"IpAddress":{"aws:SourceIp":"10.0.0.0/8"}}},
                 {"Effect":"Deny","Action":"ecr:Delete*",
                  "Resource":"arn:aws:ecr:us-east-1:123456789012:repository/${aws:username}/*"}]}""".formatted(i),
                    PolicyKind.IDENTITY));
        }
        PolicyDocument repository = PolicyDocument.parse("""
            {"Version":"2012-10-17","Statement":[{"Sid":"pull","Effect":"Allow",
             "Principal":{"AWS":"arn:aws:iam::123456789012:user/alice"},
             "Action":["ecr:BatchGetImage","ecr:GetDownloadUrlForLayer"]}]}""", PolicyKind.REPOSITORY);
        AttachedPolicies attached = new AttachedPolicies(identity, repository, null, RegistryPolicyScope.V2, "123456789012");
        RequestContext ctx = RequestContext.user("arn:aws:iam::123456789012:user/alice").username("alice")
                .sourceIp("127.0.0.1").currentTime(Instant.now()).secureTransport(false)
                .action("ecr:BatchGetImage").resource("arn:aws:ecr:us-east-1:123456789012:repository/team/app")
                .resourceTags(Map.of("env", "prod")).build();
        int allowed = 0;
        for (int round = 0; round < 5; round++) {
            int n = 1_000_000;
            long start = System.nanoTime();
            for (int i = 0; i < n; i++) {
                allowed += PolicyEvaluator.decide(ctx, attached).allowed() ? 1 : 0;
            }
            System.out.printf("policy decision, 10 policies: %.2f us%n", (System.nanoTime() - start) / 1000.0 / n);
        }
        if (allowed == 0) {
            throw new IllegalStateException("expected allow");
        }
    }
}
