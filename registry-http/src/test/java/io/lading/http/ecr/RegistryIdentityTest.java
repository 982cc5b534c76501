package io.lading.http.ecr;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class RegistryIdentityTest {

    private static final RegistryIdentity LOCAL =
            new RegistryIdentity("aws", "us-east-1", "127.0.0.1:5000", "http", "123456789012");

    @ParameterizedTest
    @CsvSource({
        "api.ecr.us-east-1.amazonaws.com, https://123456789012.dkr.ecr.us-east-1.amazonaws.com",
        "ECR.eu-west-2.amazonaws.com:443, https://123456789012.dkr.ecr.eu-west-2.amazonaws.com",
        "api.ecr-fips.us-east-1.amazonaws.com, https://123456789012.dkr.ecr-fips.us-east-1.amazonaws.com",
        "api.ecr.cn-north-1.amazonaws.com.cn, https://123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn",
        "registry.internal:5000, http://registry.internal:5000",
        "10.0.0.7, http://10.0.0.7",
        "'[::1]:5000', 'http://[::1]:5000'"})
    void theRequestsHostNamesTheRegistry(String host, String proxyEndpoint) {
        assertEquals(proxyEndpoint, LOCAL.withHost(host).proxyEndpoint());
    }

    @ParameterizedTest
    @ValueSource(strings = {"evil.example/path", "a b", "x@y", "host:99999999", "-x", "", "[zz]"})
    void aHostHeaderThatIsNoHostChangesNothing(String host) {
        assertEquals(LOCAL, LOCAL.withHost(host));
    }
}
