package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.EcrException;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.InvalidTagParameterException;
import software.amazon.awssdk.services.ecr.model.ListTagsForResourceResponse;
import software.amazon.awssdk.services.ecr.model.RepositoryNotFoundException;
import software.amazon.awssdk.services.ecr.model.Tag;
import software.amazon.awssdk.services.ecr.model.TagResourceResponse;
import software.amazon.awssdk.services.ecr.model.TooManyTagsException;
import software.amazon.awssdk.services.ecr.model.UntagResourceResponse;

/** TagResource, UntagResource and ListTagsForResource through the AWS SDK for Java v2. */
class EcrTagOperationsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    static EcrClient ecr;
    static final String PREFIX = "arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/";
    static final String INVALID_ARN = "Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Invalid ARN'";

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    private static Tag tag(String key, String value) {
        return Tag.builder().key(key).value(value).build();
    }

    private static List<Tag> tags(String arn) {
        ListTagsForResourceResponse r = ecr.listTagsForResource(b -> b.resourceArn(arn));
        assertTrue(r.hasTags());
        return r.tags();
    }

    @Test
    void tagsListsAndUntagsARepository() {
        String arn = ecr.createRepository(b -> b.repositoryName("tags/app").tags(tag("owner", "web"), tag("cost", "1")))
                .repository().repositoryArn();
        assertEquals(PREFIX + "tags/app", arn);
        assertEquals(List.of(tag("owner", "web"), tag("cost", "1")), tags(arn));

        TagResourceResponse tagged = ecr.tagResource(b -> b.resourceArn(arn)
                .tags(tag("env", "prod"), tag("owner", "platform"), tag("Owner", ""), tag("empty", "")));
        assertTrue(tagged.sdkHttpResponse().isSuccessful());
        // existing keys keep their place and take the new value; keys are case-sensitive
        assertEquals(List.of(tag("owner", "platform"), tag("cost", "1"), tag("env", "prod"), tag("Owner", ""),
                tag("empty", "")), tags(arn));

        UntagResourceResponse untagged = ecr.untagResource(b -> b.resourceArn(arn).tagKeys("cost", "Owner", "absent"));
        assertTrue(untagged.sdkHttpResponse().isSuccessful());
        assertEquals(List.of(tag("owner", "platform"), tag("env", "prod"), tag("empty", "")), tags(arn));

        ecr.untagResource(b -> b.resourceArn(arn).tagKeys("owner", "env", "empty"));
        assertEquals(List.of(), tags(arn));
    }

    @Test
    void listsNoTagsAsAnEmptyList() {
        String arn = ecr.createRepository(b -> b.repositoryName("tags/none")).repository().repositoryArn();
        assertEquals(List.of(), tags(arn));
        ecr.tagResource(b -> b.resourceArn(arn).tags(List.of()));
        assertEquals(List.of(), tags(arn));
    }

    @Test
    void refusesInvalidArns() {
        ecr.createRepository(b -> b.repositoryName("tags/arn"));
        List<String> bad = List.of(
                "",
                "tags/arn",
                "arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":tags/arn",
                "arn:aws-cn:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/tags/arn",
                "arn:aws:ecr:us-west-2:" + EcrTestSupport.ACCOUNT + ":repository/tags/arn",
                "arn:aws:s3:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/tags/arn",
                "arn:aws:ecr:us-east-1:12345678901:repository/tags/arn",
                "arn:aws:ecr:us-east-1:1234567890123:repository/tags/arn",
                "arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/",
                "arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/Tags/Arn",
                "arn:aws:ecr:us-east-1:" + EcrTestSupport.ACCOUNT + ":repository/tags//arn",
                " " + PREFIX + "tags/arn");
        for (String arn : bad) {
            assertEquals(INVALID_ARN, assertThrows(InvalidParameterException.class,
                    () -> ecr.listTagsForResource(b -> b.resourceArn(arn)), arn).awsErrorDetails().errorMessage());
            assertEquals(INVALID_ARN, assertThrows(InvalidParameterException.class,
                    () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("k", "v"))), arn).awsErrorDetails().errorMessage());
            assertEquals(INVALID_ARN, assertThrows(InvalidParameterException.class,
                    () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys("k")), arn).awsErrorDetails().errorMessage());
        }
        assertEquals("Invalid parameter at 'resourceArn' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class, () -> ecr.listTagsForResource(b -> { }))
                        .awsErrorDetails().errorMessage());
        assertEquals(List.of(), tags(PREFIX + "tags/arn"));
    }

    @Test
    void reportsAMissingRepositoryAndRefusesOtherAccounts() {
        String notFound = "The repository with name 'tags/ghost' does not exist in the registry with id '"
                + EcrTestSupport.ACCOUNT + "'";
        String arn = PREFIX + "tags/ghost";
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.listTagsForResource(b -> b.resourceArn(arn))).awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("k", "v")))).awsErrorDetails().errorMessage());
        assertEquals(notFound, assertThrows(RepositoryNotFoundException.class,
                () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys("k"))).awsErrorDetails().errorMessage());

        String foreign = "arn:aws:ecr:us-east-1:210987654321:repository/tags/app";
        EcrException denied = assertThrows(EcrException.class, () -> ecr.listTagsForResource(b -> b.resourceArn(foreign)));
        assertEquals("AccessDeniedException", denied.awsErrorDetails().errorCode());
        assertTrue(denied.awsErrorDetails().errorMessage().contains(
                "is not authorized to perform: ecr:ListTagsForResource on resource: " + foreign));
    }

    @Test
    void enforcesTheFiftyTagLimit() {
        String arn = ecr.createRepository(b -> b.repositoryName("tags/many")).repository().repositoryArn();
        List<Tag> fortyNine = IntStream.range(0, 49).mapToObj(i -> tag("k" + i, "v" + i)).toList();
        ecr.tagResource(b -> b.resourceArn(arn).tags(fortyNine));
        assertEquals(fortyNine, tags(arn));

        TooManyTagsException tooMany = assertThrows(TooManyTagsException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("x1", ""), tag("x2", ""))));
        assertEquals("TooManyTagsException", tooMany.awsErrorDetails().errorCode());
        assertEquals("A repository may carry at most 50 tags", tooMany.awsErrorDetails().errorMessage());
        assertEquals(fortyNine, tags(arn)); // nothing stored

        // overwriting existing keys does not count twice; the fiftieth tag fits
        ecr.tagResource(b -> b.resourceArn(arn).tags(tag("k0", "new"), tag("x1", "")));
        assertEquals(50, tags(arn).size());
        assertEquals(tag("k0", "new"), tags(arn).get(0));

        List<Tag> fiftyOne = new ArrayList<>();
        IntStream.range(0, 51).forEach(i -> fiftyOne.add(tag("n" + i, "")));
        assertThrows(TooManyTagsException.class,
                () -> ecr.createRepository(b -> b.repositoryName("tags/toomany").tags(fiftyOne)));
        String fresh = ecr.createRepository(b -> b.repositoryName("tags/fresh")).repository().repositoryArn();
        assertThrows(TooManyTagsException.class, () -> ecr.tagResource(b -> b.resourceArn(fresh).tags(fiftyOne)));
        assertEquals(List.of(), tags(fresh));
    }

    @Test
    void refusesMalformedTags() {
        String arn = ecr.createRepository(b -> b.repositoryName("tags/bad")).repository().repositoryArn();
        InvalidTagParameterException reserved = assertThrows(InvalidTagParameterException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("ok", "1"), tag("aws:team", "x"))));
        assertEquals("InvalidTagParameterException", reserved.awsErrorDetails().errorCode());
        assertEquals("Tag keys may not start with the reserved prefix 'aws:'", reserved.awsErrorDetails().errorMessage());
        assertEquals("Tag keys must be 1 to 128 characters long", assertThrows(InvalidTagParameterException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("", "x")))).awsErrorDetails().errorMessage());
        assertEquals("Tag keys must be 1 to 128 characters long", assertThrows(InvalidTagParameterException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("k".repeat(129), "x"))))
                .awsErrorDetails().errorMessage());
        assertEquals("Tag values may be at most 256 characters long", assertThrows(InvalidTagParameterException.class,
                () -> ecr.tagResource(b -> b.resourceArn(arn).tags(tag("k", "v".repeat(257)))))
                .awsErrorDetails().errorMessage());
        assertEquals("Tag keys must be 1 to 128 characters long", assertThrows(InvalidTagParameterException.class,
                () -> ecr.untagResource(b -> b.resourceArn(arn).tagKeys(""))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'tags' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class, () -> ecr.tagResource(b -> b.resourceArn(arn)))
                        .awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'tagKeys' failed to satisfy constraint: 'Member must not be null'",
                assertThrows(InvalidParameterException.class, () -> ecr.untagResource(b -> b.resourceArn(arn)))
                        .awsErrorDetails().errorMessage());
        assertEquals(List.of(), tags(arn)); // the valid tag before the reserved one was not stored either

        // the limits themselves are accepted
        Tag longest = tag("k".repeat(128), "v".repeat(256));
        ecr.tagResource(b -> b.resourceArn(arn).tags(longest));
        assertEquals(List.of(longest), tags(arn));
    }
}
