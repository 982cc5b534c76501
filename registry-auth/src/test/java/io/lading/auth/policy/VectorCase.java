package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;

/** One evaluation vector of spec §16 as a dynamic test named after its id. */
final class VectorCase {

    private VectorCase() {
    }

    static DynamicNode of(String id, String what, RequestContext ctx, AttachedPolicies policies, Decision expected) {
        String name = id + " " + what + " -> " + expected.outcome()
                + (expected.reason() == null ? "" : " (" + expected.reason() + ")");
        return named(id, DynamicTest.dynamicTest(name, () -> {
            Decision actual = PolicyEvaluator.decide(ctx, policies);
            assertEquals(expected, actual, id + ": " + ctx.callerArn() + " " + ctx.action() + " " + ctx.resource());
        }));
    }

    /**
     * Wraps {@code test} in a container named {@code id}, so that reports (which prefix the
     * parent's name) also start with the vector id.
     */
    static DynamicNode named(String id, DynamicTest test) {
        return DynamicContainer.dynamicContainer(id, java.util.stream.Stream.of(test));
    }
}
