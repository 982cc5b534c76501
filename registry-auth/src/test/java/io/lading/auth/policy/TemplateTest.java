package io.lading.auth.policy;

import static io.lading.auth.policy.Fixtures.alice;
import static io.lading.auth.policy.Fixtures.carol;
import static io.lading.auth.policy.Fixtures.ci;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Policy variables (spec §4). */
class TemplateTest {

    private final RequestContext alice = alice().action("ecr:PutImage").build();
    private final RequestContext carol = carol().action("ecr:PutImage").build();

    @Test
    void substitutesUsernameCaseInsensitiveKey() {
        assertEquals("home/alice", Template.of("home/${AWS:UserName}", true).resolveText(alice));
    }

    @Test
    void literalWhenVariablesDisabled() {
        Template t = Template.of("home/${aws:username}", false);
        assertFalse(t.hasVariables());
        assertEquals("home/${aws:username}", t.resolveText(alice));
    }

    @Test
    void missingKeyWithoutDefaultIsUnresolved() {
        assertNull(Template.of("${aws:username}", true).resolveText(ci().action("a").build()));
        assertNull(Template.of("x/${aws:PrincipalTag/team}/*", true).resolveGlob(carol));
    }

    @Test
    void defaultUsedForMissingKey() {
        assertEquals("shared", Template.of("${aws:PrincipalTag/team, 'shared'}", true).resolveText(carol));
        assertEquals("payments", Template.of("${aws:PrincipalTag/team, 'shared'}", true).resolveText(alice));
        assertEquals("", Template.of("${aws:PrincipalTag/team, ''}", true).resolveText(carol));
    }

    @Test
    void multiValuedKeyNeverResolves() {
        RequestContext ctx = alice().action("a").putMulti("aws:TagKeys", List.of("env")).build();
        assertNull(Template.of("${aws:TagKeys}", true).resolveText(ctx));
        assertEquals("d", Template.of("${aws:TagKeys, 'd'}", true).resolveText(ctx));
    }

    @Test
    void specialTokensAreLiteral() {
        Template t = Template.of("a${*}b${?}c${$}", true);
        assertEquals("a*b?c$", t.resolveText(alice));
        Glob g = t.resolveGlob(alice);
        assertTrue(g.matches("a*b?c$"));
        assertFalse(g.matches("aXbYc$"));
    }

    @Test
    void substitutedValueIsNotAWildcard() {
        RequestContext star = alice().action("a").username("*").build();
        Glob g = Template.of("repo/${aws:username}", true).resolveGlob(star);
        assertTrue(g.matches("repo/*"));
        assertFalse(g.matches("repo/alice"));
    }

    @Test
    void wildcardsOutsideVariablesStillWork() {
        Glob g = Template.of("${aws:username}/*", true).resolveGlob(alice);
        assertTrue(g.matches("alice/tools/x"));
        assertFalse(g.matches("bob/tools"));
    }

    @Test
    void malformedVariableIsLiteralText() {
        assertEquals("${aws:username", Template.of("${aws:username", true).resolveText(alice));
        assertEquals("${}", Template.of("${}", true).resolveText(alice));
        assertEquals("${aws:username, shared}", Template.of("${aws:username, shared}", true).resolveText(alice));
    }

    @Test
    void variablesOnlyAfterTheFifthColonInResources() throws Exception {
        Template t = PolicyParser.resource("arn:aws:ecr:${aws:username}:123456789012:repository/${aws:username}", true);
        assertEquals("arn:aws:ecr:${aws:username}:123456789012:repository/alice", t.resolveText(alice));
    }

    @Test
    void fixedTemplatesAreCompiledOnce() {
        Template t = Template.of("repository/*", true);
        assertSame(t.resolveGlob(alice), t.resolveGlob(carol));
    }

    @Test
    void typedValuesHaveTheirStringForm() {
        assertEquals("2025-06-01T12:00:00Z", Template.of("${aws:CurrentTime}", true).resolveText(alice));
        assertEquals("1748779200", Template.of("${aws:EpochTime}", true).resolveText(alice));
        assertEquals("true", Template.of("${aws:SecureTransport}", true).resolveText(alice));
        assertEquals("arn:aws:iam::123456789012:role/ci-builder",
                Template.of("${aws:PrincipalArn}", true).resolveText(ci().action("a").build()));
    }
}
