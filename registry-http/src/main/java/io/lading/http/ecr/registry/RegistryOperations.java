package io.lading.http.ecr.registry;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.lading.core.account.AccountSettings.ScanningConfiguration;
import io.lading.core.account.AccountSettings.ScanningRule;
import io.lading.core.account.AccountSettingsService;
import io.lading.http.ecr.EcrCall;
import io.lading.http.ecr.EcrErrorType;
import io.lading.http.ecr.EcrException;
import io.lading.http.ecr.EcrInput;
import io.lading.http.ecr.EcrJson;
import io.lading.http.ecr.EcrOperation;
import io.lading.http.ecr.EcrOperations;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Registry-level settings: DescribeRegistry, GetRegistryScanningConfiguration and
 * PutRegistryScanningConfiguration. These operations have no {@code registryId} member and always act
 * on the caller's registry. Replication is not configurable yet, so DescribeRegistry reports no rules.
 */
public final class RegistryOperations {

    static final List<String> SCAN_TYPES = List.of("BASIC", "ENHANCED");
    static final List<String> FREQUENCIES = List.of("SCAN_ON_PUSH", "CONTINUOUS_SCAN", "MANUAL");
    /** The model's pattern of ScanningRepositoryFilterValue, as error messages quote it. */
    static final String FILTER_PATTERN_TEXT = "^[a-z0-9*](?:[._\\-/a-z0-9*]?[a-z0-9*]+)*$";
    /**
     * The same language without nested quantifiers (the model's form backtracks exponentially): runs
     * of {@code [a-z0-9*]} separated by single {@code . _ - /}.
     */
    private static final Pattern FILTER = Pattern.compile("[a-z0-9*]+(?:[._\\-/][a-z0-9*]+)*");

    private final AccountSettingsService accounts;

    public RegistryOperations(AccountSettingsService accounts) {
        this.accounts = accounts;
    }

    public void register(EcrOperations table) {
        table.register(EcrOperation.DescribeRegistry, this::describeRegistry)
                .register(EcrOperation.GetRegistryScanningConfiguration, this::getScanningConfiguration)
                .register(EcrOperation.PutRegistryScanningConfiguration, this::putScanningConfiguration);
    }

    private ObjectNode describeRegistry(EcrCall call) {
        ObjectNode out = EcrJson.object();
        out.put("registryId", call.identity().account());
        out.putObject("replicationConfiguration").putArray("rules");
        return out;
    }

    private ObjectNode getScanningConfiguration(EcrCall call) {
        String registryId = call.identity().account();
        ObjectNode out = EcrJson.object();
        out.put("registryId", registryId);
        out.set("scanningConfiguration", json(accounts.get(registryId).scanning()));
        return out;
    }

    private ObjectNode putScanningConfiguration(EcrCall call) {
        String registryId = call.identity().account();
        EcrInput in = call.input();
        String scanType = in.enumValue("scanType", SCAN_TYPES);
        if (scanType == null) {
            scanType = "BASIC";
        }
        List<EcrInput> ruleInputs = in.objects("rules", 0, 2);
        List<ScanningRule> rules = new ArrayList<>();
        Set<String> frequencies = new HashSet<>();
        if (ruleInputs != null) {
            for (int i = 0; i < ruleInputs.size(); i++) {
                ScanningRule rule = rule(ruleInputs.get(i));
                String at = "rules." + (i + 1) + ".member.scanFrequency";
                List<String> allowed = scanType.equals("BASIC") ? List.of("SCAN_ON_PUSH", "MANUAL")
                        : List.of("SCAN_ON_PUSH", "CONTINUOUS_SCAN");
                if (!allowed.contains(rule.scanFrequency())) {
                    throw validation(rule.scanFrequency(), at, "Member must be one of " + allowed
                            + " when scanType is " + scanType);
                }
                if (!frequencies.add(rule.scanFrequency())) {
                    throw validation(rule.scanFrequency(), at, "Member must be unique among the rules");
                }
                rules.add(rule);
            }
        }
        ScanningConfiguration configuration = new ScanningConfiguration(scanType, rules);
        ScanningConfiguration stored = accounts.update(registryId, a -> a.withScanning(configuration)).scanning();
        ObjectNode out = EcrJson.object();
        out.set("registryScanningConfiguration", json(stored));
        return out;
    }

    private static ScanningRule rule(EcrInput r) {
        String frequency = r.enumValue("scanFrequency", FREQUENCIES);
        if (frequency == null) {
            throw EcrInput.notNull("rules.member.scanFrequency");
        }
        List<EcrInput> filterInputs = r.objects("repositoryFilters", 0, 100);
        if (filterInputs == null) {
            throw EcrInput.notNull("rules.member.repositoryFilters");
        }
        List<String> filters = new ArrayList<>();
        for (EcrInput f : filterInputs) {
            String value = f.string("filter");
            if (value == null) {
                throw EcrInput.notNull("rules.member.repositoryFilters.member.filter");
            }
            EcrInput.checkLength("filter", value, 1, 255);
            if (!FILTER.matcher(value).matches()) {
                throw EcrInput.regex("filter", FILTER_PATTERN_TEXT);
            }
            if (f.enumValue("filterType", List.of("WILDCARD")) == null) {
                throw EcrInput.notNull("rules.member.repositoryFilters.member.filterType");
            }
            filters.add(value);
        }
        return new ScanningRule(frequency, filters);
    }

    private static ObjectNode json(ScanningConfiguration c) {
        ObjectNode o = EcrJson.object();
        o.put("scanType", c.scanType());
        ArrayNode rules = o.putArray("rules");
        for (ScanningRule r : c.rules()) {
            ObjectNode rule = rules.addObject();
            rule.put("scanFrequency", r.scanFrequency());
            ArrayNode filters = rule.putArray("repositoryFilters");
            r.repositoryFilters().forEach(f -> filters.addObject().put("filter", f).put("filterType", "WILDCARD"));
        }
        return o;
    }

    private static EcrException validation(String value, String member, String constraint) {
        return EcrErrorType.VALIDATION.error("1 validation error detected: Value '" + value + "' at '" + member
                + "' failed to satisfy constraint: " + constraint);
    }
}
