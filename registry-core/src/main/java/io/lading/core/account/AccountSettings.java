package io.lading.core.account;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import com.fasterxml.jackson.annotation.JsonInclude;
import java.util.List;

/**
 * The registry-level settings of one account (registry), persisted as one document and replaced by
 * compare-and-swap. Immutable.
 *
 * @param registryPolicy the registry policy text (stored verbatim), or null
 * @param scanning the registry scanning configuration (never null; defaults to BASIC without rules)
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@JsonIgnoreProperties(ignoreUnknown = true)
public record AccountSettings(String registryPolicy, ScanningConfiguration scanning) {

    public AccountSettings {
        scanning = scanning == null ? ScanningConfiguration.basic() : scanning;
    }

    /** A registry that nobody configured: no policy, BASIC scanning without rules. */
    public static AccountSettings defaults() {
        return new AccountSettings(null, ScanningConfiguration.basic());
    }

    public AccountSettings withRegistryPolicy(String policy) {
        return new AccountSettings(policy, scanning);
    }

    public AccountSettings withScanning(ScanningConfiguration configuration) {
        return new AccountSettings(registryPolicy, configuration);
    }

    /**
     * The registry scanning configuration (ECR's {@code RegistryScanningConfiguration}).
     *
     * @param scanType BASIC or ENHANCED
     * @param rules at most two rules, in the order given
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScanningConfiguration(String scanType, List<ScanningRule> rules) {

        public ScanningConfiguration {
            scanType = scanType == null ? "BASIC" : scanType;
            rules = rules == null ? List.of() : List.copyOf(rules);
        }

        public static ScanningConfiguration basic() {
            return new ScanningConfiguration("BASIC", List.of());
        }
    }

    /**
     * One scanning rule.
     *
     * @param scanFrequency SCAN_ON_PUSH, CONTINUOUS_SCAN or MANUAL
     * @param repositoryFilters WILDCARD patterns on repository names
     */
    @JsonIgnoreProperties(ignoreUnknown = true)
    public record ScanningRule(String scanFrequency, List<String> repositoryFilters) {

        public ScanningRule {
            repositoryFilters = repositoryFilters == null ? List.of() : List.copyOf(repositoryFilters);
        }
    }
}
