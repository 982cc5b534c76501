package io.lading.http.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.core.digest.Digest;
import io.lading.core.error.RegistryException;
import io.lading.core.error.RegistryException.AccessDenied;
import io.lading.core.error.RegistryException.AuthenticationFailed;
import io.lading.core.error.RegistryException.BlobUnknown;
import io.lading.core.error.RegistryException.DigestInvalid;
import io.lading.core.error.RegistryException.ImageAlreadyExists;
import io.lading.core.error.RegistryException.LimitExceeded;
import io.lading.core.error.RegistryException.Throttled;
import io.lading.core.error.RegistryException.ManifestBlobUnknown;
import io.lading.core.error.RegistryException.ManifestInvalid;
import io.lading.core.error.RegistryException.ManifestUnknown;
import io.lading.core.error.RegistryException.ManifestUnsupported;
import io.lading.core.error.RegistryException.NameInvalid;
import io.lading.core.error.RegistryException.ParameterInvalid;
import io.lading.core.error.RegistryException.PolicyNotFound;
import io.lading.core.error.RegistryException.RangeInvalid;
import io.lading.core.error.RegistryException.RangeNotSatisfiable;
import io.lading.core.error.RegistryException.ReferencedByIndex;
import io.lading.core.error.RegistryException.RepositoryAlreadyExists;
import io.lading.core.error.RegistryException.RepositoryNotEmpty;
import io.lading.core.error.RegistryException.RepositoryNotFound;
import io.lading.core.error.RegistryException.SizeInvalid;
import io.lading.core.error.RegistryException.StorageFailure;
import io.lading.core.error.RegistryException.TagImmutable;
import io.lading.core.error.RegistryException.TagInvalid;
import io.lading.core.error.RegistryException.Unsupported;
import io.lading.core.error.RegistryException.UploadCollected;
import io.lading.core.error.RegistryException.UploadInvalid;
import io.lading.core.error.RegistryException.UploadUnknown;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrErrors;
import io.lading.http.ecr.EcrException;
import io.lading.http.oci.OciError;
import io.lading.http.oci.OciErrorCode;
import io.lading.http.oci.OciErrors;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Table tests for the /v2 and ECR error catalogues and the domain-error mappers. */
class ErrorMappingTest {

    static final Digest D1 = Digest.parse("sha256:" + "1".repeat(64));
    static final Digest D2 = Digest.parse("sha256:" + "2".repeat(64));
    static final Digest D3 = Digest.parse("sha256:" + "3".repeat(64));

    /** Error codes of the OCI distribution spec (code-1..code-14). */
    static final Set<String> OCI_SPEC_CODES = Set.of("BLOB_UNKNOWN", "BLOB_UPLOAD_INVALID", "BLOB_UPLOAD_UNKNOWN",
            "DIGEST_INVALID", "MANIFEST_BLOB_UNKNOWN", "MANIFEST_INVALID", "MANIFEST_UNKNOWN", "NAME_INVALID",
            "NAME_UNKNOWN", "SIZE_INVALID", "UNAUTHORIZED", "DENIED", "UNSUPPORTED", "TOOMANYREQUESTS");
    /**
     * Codes Docker's distribution registry also sends and clients know: TAG_INVALID (ECR sends it,
     * ecr-behaviour.md 10) and PAGINATION_NUMBER_INVALID; UNKNOWN for internal failures.
     */
    static final Set<String> ALLOWED_CODES = union(OCI_SPEC_CODES, Set.of("TAG_INVALID", "PAGINATION_NUMBER_INVALID", "UNKNOWN"));

    static Set<String> union(Set<String> a, Set<String> b) {
        Set<String> out = new HashSet<>(a);
        out.addAll(b);
        return out;
    }

    // ---------------------------------------------------------------- one sample of every domain error

    /** One instance of {@code type}; a new subtype fails here until it is given a sample (and a mapping below). */
    static List<RegistryException> samples(Class<?> type) {
        return switch (type.getSimpleName()) {
            case "NameInvalid" -> List.of(new NameInvalid("A", "bad name"), new NameInvalid(null, "bad name"));
            case "RepositoryNotFound" -> List.of(new RepositoryNotFound("a/b"));
            case "RepositoryAlreadyExists" -> List.of(new RepositoryAlreadyExists("a/b"));
            case "RepositoryNotEmpty" -> List.of(new RepositoryNotEmpty("a/b"));
            case "TagImmutable" -> List.of(new TagImmutable("latest", "a/b"));
            case "ImageAlreadyExists" -> List.of(new ImageAlreadyExists(D1.toString(), "latest", "a/b"));
            case "PolicyNotFound" -> Arrays.stream(PolicyNotFound.Kind.values())
                    .map(k -> (RegistryException) new PolicyNotFound(k, "no policy")).toList();
            case "BlobUnknown" -> List.of(new BlobUnknown(D1, "a/b"));
            case "UploadUnknown" -> List.of(new UploadUnknown("3f1e2d4c-0000-4000-8000-000000000000"));
            case "UploadInvalid" -> List.of(new UploadInvalid("malformed Content-Range"));
            case "UploadCollected" -> List.of(new UploadCollected("sha256:" + "0".repeat(64)));
            case "RangeInvalid" -> List.of(new RangeInvalid("not at offset", 0), new RangeInvalid("not at offset", 42));
            case "RangeNotSatisfiable" -> List.of(new RangeNotSatisfiable(100));
            case "DigestInvalid" -> List.of(new DigestInvalid("mismatch"));
            case "SizeInvalid" -> List.of(new SizeInvalid("mismatch"));
            case "TagInvalid" -> List.of(new TagInvalid("bad tag"));
            case "ManifestUnknown" -> List.of(new ManifestUnknown("latest"));
            case "ManifestInvalid" -> List.of(new ManifestInvalid("bad"));
            case "ManifestUnsupported" -> List.of(new ManifestUnsupported("Invalid JSON syntax"));
            case "ManifestBlobUnknown" -> List.of(new ManifestBlobUnknown(List.of(D1)),
                    new ManifestBlobUnknown(List.of(D1, D2, D3)));
            case "ReferencedByIndex" -> List.of(new ReferencedByIndex(D1, D2));
            case "Unsupported" -> List.of(new Unsupported("no"));
            case "ParameterInvalid" -> List.of(new ParameterInvalid("n", "n must be a non-negative integer"));
            case "LimitExceeded" -> List.of(new LimitExceeded("quota"), LimitExceeded.tagsPerImage("t", "a/b", 1000));
            case "Throttled" -> List.of(new Throttled("Rate exceeded", java.time.Duration.ofMillis(1500)));
            case "AuthenticationFailed" -> Arrays.stream(AuthenticationFailed.Kind.values())
                    .map(k -> (RegistryException) new AuthenticationFailed(k, "auth " + k)).toList();
            case "AccessDenied" -> List.of(new AccessDenied("User: x is not authorized"));
            case "StorageFailure" -> List.of(new StorageFailure("disk", new IOException("boom")));
            default -> throw new AssertionError("no sample for new RegistryException subtype " + type.getName());
        };
    }

    static Stream<RegistryException> everyDomainError() {
        return Arrays.stream(RegistryException.class.getPermittedSubclasses()).flatMap(c -> samples(c).stream());
    }

    @Test
    void samplesCoverEveryPermittedSubtype() {
        Class<?>[] permitted = RegistryException.class.getPermittedSubclasses();
        assertNotNull(permitted);
        assertTrue(permitted.length > 0);
        Set<Class<?>> covered = everyDomainError().map(Object::getClass).collect(Collectors.toSet());
        assertEquals(Set.of(permitted), covered);
    }

    // ---------------------------------------------------------------- /v2

    @ParameterizedTest
    @EnumSource(OciErrorCode.class)
    void everyOciErrorCodeHasAnErrorStatusAndAKnownCode(OciErrorCode c) {
        assertTrue(c.status() >= 400 && c.status() <= 599, c + " status " + c.status());
        assertNotNull(c.code());
        assertFalse(c.code().isBlank(), c.toString());
        assertTrue(ALLOWED_CODES.contains(c.code()), c + " code " + c.code());
        assertNotNull(c.defaultMessage());
        assertFalse(c.defaultMessage().isBlank(), c.toString());
        OciError e = c.error();
        assertEquals(c, e.code());
        assertEquals(c.status(), e.status());
        assertEquals(c.defaultMessage(), e.message());
        assertEquals(c.defaultMessage(), c.error(null, null).message(), "null message falls back to the default");
        assertEquals(List.of(), e.more());
    }

    @Test
    void everyOciSpecCodeIsUsedByAtLeastOneConstant() {
        Set<String> used = Arrays.stream(OciErrorCode.values()).map(OciErrorCode::code).collect(Collectors.toSet());
        Set<String> missing = new HashSet<>(OCI_SPEC_CODES);
        missing.removeAll(used);
        assertEquals(Set.of(), missing);
    }

    /** Expected /v2 code constant for a domain error (ecr-behaviour.md 3.4 and 10). */
    static OciErrorCode expectedOci(RegistryException e) {
        return switch (e) {
            case NameInvalid x -> OciErrorCode.NAME_INVALID;
            case RepositoryNotFound x -> OciErrorCode.NAME_UNKNOWN;
            case BlobUnknown x -> OciErrorCode.BLOB_UNKNOWN;
            case UploadUnknown x -> OciErrorCode.BLOB_UPLOAD_UNKNOWN;
            case UploadInvalid x -> OciErrorCode.BLOB_UPLOAD_INVALID;
            case UploadCollected x -> OciErrorCode.BLOB_UPLOAD_INVALID;
            case RangeInvalid x -> OciErrorCode.BLOB_UPLOAD_RANGE_INVALID;
            case RangeNotSatisfiable x -> OciErrorCode.RANGE_NOT_SATISFIABLE;
            case DigestInvalid x -> OciErrorCode.DIGEST_INVALID;
            case SizeInvalid x -> OciErrorCode.SIZE_INVALID;
            case TagInvalid x -> OciErrorCode.TAG_INVALID;
            case TagImmutable x -> OciErrorCode.TAG_INVALID;
            case ManifestUnknown x -> OciErrorCode.MANIFEST_UNKNOWN;
            case ManifestInvalid x -> OciErrorCode.MANIFEST_INVALID;
            case ManifestUnsupported x -> OciErrorCode.MANIFEST_UNSUPPORTED;
            case ManifestBlobUnknown x -> OciErrorCode.MANIFEST_BLOB_UNKNOWN;
            case ReferencedByIndex x -> OciErrorCode.REFERENCED_BY_INDEX;
            case Unsupported x -> OciErrorCode.UNSUPPORTED;
            case ParameterInvalid x -> OciErrorCode.PAGINATION_NUMBER_INVALID;
            case LimitExceeded x -> OciErrorCode.DENIED;
            case Throttled x -> OciErrorCode.TOO_MANY_REQUESTS;
            case AccessDenied x -> OciErrorCode.DENIED;
            case StorageFailure x -> OciErrorCode.STORAGE_UNAVAILABLE;
            case AuthenticationFailed a -> switch (a.kind()) {
                case TOKEN_EXPIRED, TOKEN_INVALID -> OciErrorCode.DENIED;
                default -> OciErrorCode.UNAUTHORIZED;
            };
            // control-plane only: /v2 never triggers them, but they must still render as a client error
            case RepositoryAlreadyExists x -> OciErrorCode.UNSUPPORTED;
            case RepositoryNotEmpty x -> OciErrorCode.UNSUPPORTED;
            case ImageAlreadyExists x -> OciErrorCode.UNSUPPORTED;
            case PolicyNotFound x -> OciErrorCode.UNSUPPORTED;
        };
    }

    /** Expected HTTP status on /v2, independently of the constant chosen. */
    static int expectedOciStatus(RegistryException e) {
        return switch (e) {
            case NameInvalid x -> 400;
            case RepositoryNotFound x -> 404;
            case BlobUnknown x -> 404;
            case UploadUnknown x -> 404;
            case UploadInvalid x -> 400;
            case UploadCollected x -> 400;
            case RangeInvalid x -> 416;
            case RangeNotSatisfiable x -> 416;
            case DigestInvalid x -> 400;
            case SizeInvalid x -> 400;
            case TagInvalid x -> 400;
            case TagImmutable x -> 400;
            case ManifestUnknown x -> 404;
            case ManifestInvalid x -> 400;
            case ManifestUnsupported x -> 405;
            case ManifestBlobUnknown x -> 400;
            case ReferencedByIndex x -> 400;
            case Unsupported x -> 405;
            case ParameterInvalid x -> 400;
            case LimitExceeded x -> 403;
            case Throttled x -> 429;
            case AccessDenied x -> 403;
            case StorageFailure x -> 503;
            case AuthenticationFailed a -> switch (a.kind()) {
                case TOKEN_EXPIRED, TOKEN_INVALID -> 403;
                default -> 401;
            };
            case RepositoryAlreadyExists x -> 405;
            case RepositoryNotEmpty x -> 405;
            case ImageAlreadyExists x -> 405;
            case PolicyNotFound x -> 405;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDomainError")
    void ociErrorsMapsEveryDomainError(RegistryException e) {
        OciError err = oci(e);
        assertNotNull(err);
        assertEquals(expectedOci(e), err.code(), e.getClass().getSimpleName());
        assertEquals(expectedOciStatus(e), err.status(), e.getClass().getSimpleName());
        assertNotNull(err.message());
        assertFalse(err.message().isBlank());
        for (OciError more : err.more()) {
            assertEquals(err.status(), more.status(), "all entries share one status");
        }
    }

    @Test
    void manifestBlobUnknownListsEveryMissingDigest() {
        OciError err = oci(new ManifestBlobUnknown(List.of(D1, D2, D3)));
        List<Object> details = new ArrayList<>();
        details.add(err.detail());
        err.more().forEach(m -> details.add(m.detail()));
        assertEquals(List.of(Map.of("digest", D1.toString()), Map.of("digest", D2.toString()),
                Map.of("digest", D3.toString())), details);
        assertTrue(err.more().stream().allMatch(m -> m.code() == OciErrorCode.MANIFEST_BLOB_UNKNOWN));
    }

    @Test
    void ociErrorDetailsCarryTheUsefulValue() {
        assertEquals(Map.of("size", 42L), oci(new RangeInvalid("x", 42)).detail());
        assertEquals(Map.of("size", 100L), oci(new RangeNotSatisfiable(100)).detail());
        assertEquals(Map.of("digest", D1.toString()), oci(new BlobUnknown(D1, "a/b")).detail());
        assertEquals(Map.of("name", "a/b"), oci(new RepositoryNotFound("a/b")).detail());
        assertEquals(Map.of("reference", "latest"), oci(new ManifestUnknown("latest")).detail());
        assertEquals(Map.of("name", "null"), oci(new NameInvalid(null, "x")).detail());
    }

    @Test
    void ociStorageFailureDoesNotLeakInternals() {
        OciError err = oci(new StorageFailure("/var/lib/lading/secret path", new IOException("boom")));
        assertFalse(err.message().contains("/var/lib"), err.message());
    }

    @Test
    void ociAuthenticationFailureUsesEcrWording() {
        for (AuthenticationFailed.Kind k : AuthenticationFailed.Kind.values()) {
            OciError err = oci(new AuthenticationFailed(k, "detail " + k));
            if (err.status() == 401) {
                assertEquals("Not Authorized", err.message());
            }
        }
    }

    // ---------------------------------------------------------------- ECR

    @ParameterizedTest
    @EnumSource(EcrErrorType.class)
    void everyEcrErrorTypeHasTheAwsStatusAndShapeName(EcrErrorType t) {
        int expected = switch (t.type()) {
            case "ServerException" -> 500;
            case "ServiceUnavailableException" -> 503;
            default -> 400;
        };
        assertEquals(expected, t.status(), t.type());
        assertTrue(t.type().endsWith("Exception"), t.type());
        assertTrue(t.type().matches("[A-Z][A-Za-z]+Exception"), t.type());
        EcrException e = t.error("m");
        assertEquals(t, e.type());
        assertEquals("m", e.getMessage());
    }

    @Test
    void ecrShapeNamesAreUnique() {
        Set<String> seen = new HashSet<>();
        for (EcrErrorType t : EcrErrorType.values()) {
            assertTrue(seen.add(t.type()), "duplicate " + t.type());
        }
        assertTrue(seen.contains("ServerException"));
        assertTrue(seen.contains("ServiceUnavailableException"));
    }

    /** Expected ECR error type for a domain error (ecr-api.md 2.5, 2.9 and the operations' exception lists). */
    static EcrErrorType expectedEcr(RegistryException e) {
        return switch (e) {
            case NameInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case RepositoryNotFound x -> EcrErrorType.REPOSITORY_NOT_FOUND;
            case RepositoryAlreadyExists x -> EcrErrorType.REPOSITORY_ALREADY_EXISTS;
            case RepositoryNotEmpty x -> EcrErrorType.REPOSITORY_NOT_EMPTY;
            case BlobUnknown x -> EcrErrorType.LAYERS_NOT_FOUND;
            case UploadUnknown x -> EcrErrorType.UPLOAD_NOT_FOUND;
            case UploadInvalid x -> EcrErrorType.LIMIT_EXCEEDED;
            case UploadCollected x -> EcrErrorType.INVALID_LAYER;
            case RangeInvalid x -> EcrErrorType.INVALID_LAYER_PART;
            case RangeNotSatisfiable x -> EcrErrorType.INVALID_PARAMETER;
            case DigestInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case SizeInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case TagInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case TagImmutable x -> EcrErrorType.IMAGE_TAG_ALREADY_EXISTS;
            case ImageAlreadyExists x -> EcrErrorType.IMAGE_ALREADY_EXISTS;
            case ManifestUnknown x -> EcrErrorType.IMAGE_NOT_FOUND;
            case ManifestInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case ManifestUnsupported x -> EcrErrorType.INVALID_PARAMETER;
            case ManifestBlobUnknown x -> EcrErrorType.LAYERS_NOT_FOUND;
            case ReferencedByIndex x -> EcrErrorType.INVALID_PARAMETER;
            case Unsupported x -> EcrErrorType.VALIDATION;
            case ParameterInvalid x -> EcrErrorType.INVALID_PARAMETER;
            case LimitExceeded x -> EcrErrorType.LIMIT_EXCEEDED;
            case Throttled x -> EcrErrorType.THROTTLING;
            case PolicyNotFound p -> switch (p.kind()) {
                case REPOSITORY -> EcrErrorType.REPOSITORY_POLICY_NOT_FOUND;
                case LIFECYCLE -> EcrErrorType.LIFECYCLE_POLICY_NOT_FOUND;
                case REGISTRY -> EcrErrorType.REGISTRY_POLICY_NOT_FOUND;
            };
            case AuthenticationFailed a -> switch (a.kind()) {
                case MISSING -> EcrErrorType.MISSING_AUTHENTICATION_TOKEN;
                case MALFORMED -> EcrErrorType.INCOMPLETE_SIGNATURE;
                case UNKNOWN_CREDENTIAL, TOKEN_INVALID -> EcrErrorType.UNRECOGNIZED_CLIENT;
                case SIGNATURE_MISMATCH, SIGNATURE_EXPIRED -> EcrErrorType.INVALID_SIGNATURE;
                case TOKEN_EXPIRED -> EcrErrorType.EXPIRED_TOKEN;
            };
            case AccessDenied x -> EcrErrorType.ACCESS_DENIED;
            case StorageFailure x -> EcrErrorType.SERVER;
        };
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyDomainError")
    void ecrErrorsMapsEveryDomainError(RegistryException e) {
        EcrException err = EcrErrors.of(e, "012345678910");
        assertNotNull(err);
        assertEquals(expectedEcr(e), err.type(), e.getClass().getSimpleName());
        int status = e instanceof StorageFailure ? 500 : 400;
        assertEquals(status, err.type().status(), e.getClass().getSimpleName());
        assertNotNull(err.getMessage());
        assertFalse(err.getMessage().isBlank());
    }

    static Stream<Arguments> ecrMessagesNamingTheRegistry() {
        return Stream.of(
                Arguments.of(new RepositoryNotFound("web"),
                        "The repository with name 'web' does not exist in the registry with id '012345678910'"),
                Arguments.of(new RepositoryAlreadyExists("web"),
                        "The repository with name 'web' already exists in the registry with id '012345678910'"));
    }

    @ParameterizedTest
    @MethodSource("ecrMessagesNamingTheRegistry")
    void ecrMessagesUseAwsWordingAndKeepLeadingZerosOfTheRegistryId(RegistryException e, String message) {
        assertEquals(message, EcrErrors.of(e, "012345678910").getMessage());
    }

    @Test
    void ecrInvalidLayerPartCarriesLastValidByte() {
        assertEquals(Map.of("lastValidByteReceived", 41L), EcrErrors.of(new RangeInvalid("x", 42), "1").extra());
        assertEquals(Map.of(), EcrErrors.of(new RangeInvalid("x", 0), "1").extra(), "nothing received yet");
    }

    @Test
    void ecrServerErrorDoesNotLeakInternals() {
        EcrException err = EcrErrors.of(new StorageFailure("/var/lib/lading/x", new IOException("boom")), "1");
        assertFalse(err.getMessage().contains("/var/lib"), err.getMessage());
    }

    @Test
    void theTagQuotaNamesTheRegistryOnBothPlanesAndOtherQuotasAreUnchanged() {
        String expected = "Adding tag 't' to an image in the repository with name 'a/b' in registry with id "
                + "'123456789012' exceeds the maximum allowed number of tags per image which is '1000'";
        LimitExceeded tags = LimitExceeded.tagsPerImage("t", "a/b", 1000);
        assertEquals(expected, oci(tags).message());
        assertEquals(expected, EcrErrors.of(tags, "123456789012").getMessage());
        assertEquals("quota", oci(new LimitExceeded("quota")).message());
        assertEquals("quota", EcrErrors.of(new LimitExceeded("quota"), "123456789012").getMessage());
    }

    private static OciError oci(RegistryException e) {
        return OciErrors.of(e, "123456789012");
    }
}
