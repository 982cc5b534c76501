package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.lading.http.testing.LadingServer;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.ecr.EcrClient;
import software.amazon.awssdk.services.ecr.model.DescribeRegistryResponse;
import software.amazon.awssdk.services.ecr.model.GetRegistryScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.InvalidParameterException;
import software.amazon.awssdk.services.ecr.model.PutRegistryScanningConfigurationResponse;
import software.amazon.awssdk.services.ecr.model.RegistryScanningConfiguration;
import software.amazon.awssdk.services.ecr.model.RegistryScanningRule;
import software.amazon.awssdk.services.ecr.model.ScanFrequency;
import software.amazon.awssdk.services.ecr.model.ScanType;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilter;
import software.amazon.awssdk.services.ecr.model.ScanningRepositoryFilterType;
import software.amazon.awssdk.services.ecr.model.ValidationException;

/** DescribeRegistry and the registry scanning configuration through the AWS SDK for Java v2. */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class EcrRegistryOperationsTest {

    @RegisterExtension
    static LadingServer server = EcrTestSupport.server();

    static EcrClient ecr;

    @BeforeAll
    static void client() {
        ecr = EcrTestSupport.client(server);
    }

    @AfterAll
    static void close() {
        ecr.close();
    }

    private static RegistryScanningRule rule(ScanFrequency frequency, String... filters) {
        return RegistryScanningRule.builder().scanFrequency(frequency)
                .repositoryFilters(java.util.Arrays.stream(filters).map(f -> ScanningRepositoryFilter.builder()
                        .filter(f).filterType(ScanningRepositoryFilterType.WILDCARD).build()).toList())
                .build();
    }

    @Test
    @Order(1)
    void describesTheCallersRegistryWithoutReplication() {
        DescribeRegistryResponse r = ecr.describeRegistry(b -> { });
        assertEquals(EcrTestSupport.ACCOUNT, r.registryId());
        assertTrue(r.replicationConfiguration().hasRules());
        assertEquals(List.of(), r.replicationConfiguration().rules());
    }

    @Test
    @Order(2)
    void defaultScanningConfigurationIsBasicWithoutRules() {
        GetRegistryScanningConfigurationResponse r = ecr.getRegistryScanningConfiguration(b -> { });
        assertEquals(EcrTestSupport.ACCOUNT, r.registryId());
        assertEquals(ScanType.BASIC, r.scanningConfiguration().scanType());
        assertTrue(r.scanningConfiguration().hasRules());
        assertEquals(List.of(), r.scanningConfiguration().rules());
    }

    @Test
    @Order(3)
    void storesAndReturnsTheScanningConfiguration() {
        List<RegistryScanningRule> rules = List.of(rule(ScanFrequency.CONTINUOUS_SCAN, "prod/*", "team-a/app"),
                rule(ScanFrequency.SCAN_ON_PUSH, "*"));
        PutRegistryScanningConfigurationResponse put = ecr.putRegistryScanningConfiguration(b -> b
                .scanType(ScanType.ENHANCED).rules(rules));
        RegistryScanningConfiguration expected = RegistryScanningConfiguration.builder()
                .scanType(ScanType.ENHANCED).rules(rules).build();
        assertEquals(expected, put.registryScanningConfiguration());
        RegistryScanningRule first = put.registryScanningConfiguration().rules().get(0);
        assertEquals(ScanFrequency.CONTINUOUS_SCAN, first.scanFrequency());
        assertEquals("prod/*", first.repositoryFilters().get(0).filter());
        assertEquals(ScanningRepositoryFilterType.WILDCARD, first.repositoryFilters().get(0).filterType());
        assertEquals("team-a/app", first.repositoryFilters().get(1).filter());

        GetRegistryScanningConfigurationResponse got = ecr.getRegistryScanningConfiguration(b -> { });
        assertEquals(EcrTestSupport.ACCOUNT, got.registryId());
        assertEquals(expected, got.scanningConfiguration());

        // a rule with no filters, BASIC with MANUAL
        List<RegistryScanningRule> basic = List.of(rule(ScanFrequency.MANUAL), rule(ScanFrequency.SCAN_ON_PUSH, "a*b"));
        assertEquals(RegistryScanningConfiguration.builder().scanType(ScanType.BASIC).rules(basic).build(),
                ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC).rules(basic))
                        .registryScanningConfiguration());
    }

    @Test
    @Order(4)
    void refusesInvalidScanningConfigurations() {
        RegistryScanningConfiguration before = ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration();

        assertEquals("Invalid parameter at 'rules' failed to satisfy constraint: 'Member must have length less than "
                + "or equal to 2'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(rule(ScanFrequency.MANUAL),
                        rule(ScanFrequency.SCAN_ON_PUSH), rule(ScanFrequency.MANUAL)))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'scanType' failed to satisfy constraint: 'Member must satisfy enum value "
                + "set: [BASIC, ENHANCED]'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.scanType("FULL"))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'scanFrequency' failed to satisfy constraint: 'Member must satisfy enum "
                + "value set: [SCAN_ON_PUSH, CONTINUOUS_SCAN, MANUAL]'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(r -> r.scanFrequency("DAILY")
                        .repositoryFilters(List.of())))).awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'rules.member.scanFrequency' failed to satisfy constraint: 'Member must "
                + "not be null'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(r -> r.repositoryFilters(List.of()))))
                .awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'rules.member.repositoryFilters' failed to satisfy constraint: 'Member "
                + "must not be null'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(r -> r.scanFrequency(ScanFrequency.MANUAL))))
                .awsErrorDetails().errorMessage());
        String regex = "Invalid parameter at 'filter' failed to satisfy constraint: 'must satisfy regular expression "
                + "'^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$''";
        for (String filter : List.of("Prod/*", "prod/", "/prod", "a..b", "a b")) {
            assertEquals(regex, assertThrows(InvalidParameterException.class,
                    () -> ecr.putRegistryScanningConfiguration(b -> b.rules(rule(ScanFrequency.SCAN_ON_PUSH, filter))))
                    .awsErrorDetails().errorMessage(), filter);
        }
        // the model's pattern backtracks exponentially on this; ours must not
        String pathological = "a".repeat(200) + "!";
        assertTimeoutPreemptively(Duration.ofSeconds(10), () -> assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(rule(ScanFrequency.SCAN_ON_PUSH, pathological)))));
        assertEquals("Invalid parameter at 'filter' failed to satisfy constraint: 'Member must have length less than "
                + "or equal to 255'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(rule(ScanFrequency.SCAN_ON_PUSH, "a".repeat(256)))))
                .awsErrorDetails().errorMessage());
        assertEquals("Invalid parameter at 'filterType' failed to satisfy constraint: 'Member must satisfy enum value "
                + "set: [WILDCARD]'", assertThrows(InvalidParameterException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.rules(r -> r.scanFrequency(ScanFrequency.MANUAL)
                        .repositoryFilters(f -> f.filter("x").filterType("REGEX"))))).awsErrorDetails().errorMessage());

        ValidationException basicContinuous = assertThrows(ValidationException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.BASIC)
                        .rules(rule(ScanFrequency.CONTINUOUS_SCAN, "*"))));
        assertEquals("1 validation error detected: Value 'CONTINUOUS_SCAN' at 'rules.1.member.scanFrequency' failed "
                + "to satisfy constraint: Member must be one of [SCAN_ON_PUSH, MANUAL] when scanType is BASIC",
                basicContinuous.awsErrorDetails().errorMessage());
        // scanType omitted means BASIC
        assertThrows(ValidationException.class, () -> ecr.putRegistryScanningConfiguration(b -> b
                .rules(rule(ScanFrequency.CONTINUOUS_SCAN, "*"))));
        ValidationException enhancedManual = assertThrows(ValidationException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED)
                        .rules(rule(ScanFrequency.SCAN_ON_PUSH, "*"), rule(ScanFrequency.MANUAL, "x*"))));
        assertEquals("1 validation error detected: Value 'MANUAL' at 'rules.2.member.scanFrequency' failed to satisfy "
                + "constraint: Member must be one of [SCAN_ON_PUSH, CONTINUOUS_SCAN] when scanType is ENHANCED",
                enhancedManual.awsErrorDetails().errorMessage());
        ValidationException duplicate = assertThrows(ValidationException.class,
                () -> ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED)
                        .rules(rule(ScanFrequency.SCAN_ON_PUSH, "a*"), rule(ScanFrequency.SCAN_ON_PUSH, "b*"))));
        assertEquals("1 validation error detected: Value 'SCAN_ON_PUSH' at 'rules.2.member.scanFrequency' failed to "
                + "satisfy constraint: Member must be unique among the rules", duplicate.awsErrorDetails().errorMessage());

        assertEquals(before, ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration());
    }

    @Test
    @Order(5)
    void emptyPutResetsToBasicWithoutRules() {
        PutRegistryScanningConfigurationResponse r = ecr.putRegistryScanningConfiguration(b -> { });
        assertEquals(ScanType.BASIC, r.registryScanningConfiguration().scanType());
        assertEquals(List.of(), r.registryScanningConfiguration().rules());
        assertEquals(r.registryScanningConfiguration(),
                ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration());
    }

    @Test
    @Order(6)
    void registrySettingsSurviveARestart() throws Exception {
        List<RegistryScanningRule> rules = List.of(rule(ScanFrequency.SCAN_ON_PUSH, "keep/*"));
        ecr.putRegistryScanningConfiguration(b -> b.scanType(ScanType.ENHANCED).rules(rules));
        String policy = "{\"Statement\":{\"Effect\":\"Allow\",\"Principal\":{\"AWS\":\"210987654321\"},"
                + "\"Action\":\"ecr:ReplicateImage\",\"Resource\":\"*\"}}";
        ecr.putRegistryPolicy(b -> b.policyText(policy));

        server.stop();
        server.start();
        ecr.close();
        ecr = EcrTestSupport.client(server);

        assertEquals(RegistryScanningConfiguration.builder().scanType(ScanType.ENHANCED).rules(rules).build(),
                ecr.getRegistryScanningConfiguration(b -> { }).scanningConfiguration());
        assertEquals(policy, ecr.getRegistryPolicy(b -> { }).policyText());
        assertTrue(io.lading.http.testing.StoredMetadata.accounts(server.dataDir()).contains(EcrTestSupport.ACCOUNT),
                "kept in the account_settings table");
    }
}
