package io.lading.auth.policy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** CIDR containment for IpAddress / NotIpAddress (spec §5.2). */
class IpRangeTest {

    @ParameterizedTest(name = "{0} contains {1} -> {2}")
    @CsvSource(delimiter = '|', value = {
        "10.0.0.0/8|10.20.30.40|true",
        "10.0.0.0/8|11.0.0.1|false",
        "203.0.113.0/24|203.0.113.255|true",
        "203.0.113.0/25|203.0.113.128|false",
        "198.51.100.7|198.51.100.7|true",
        "198.51.100.7|198.51.100.8|false",
        "0.0.0.0/0|1.2.3.4|true",
        "10.1.2.3/8|10.9.9.9|true",
        "192.168.1.0/23|192.168.0.5|true",
        "192.168.1.0/23|192.168.2.5|false",
        "2001:db8::/32|2001:db8:1::1|true",
        "2001:db8::/32|2001:db9::1|false",
        "2001:db8::1|2001:0db8:0000:0000:0000:0000:0000:0001|true",
        "::/0|::1|true",
        "::/0|1.2.3.4|false",
        "0.0.0.0/0|::ffff:1.2.3.4|false",
        "::ffff:0:0/96|::ffff:1.2.3.4|true",
        "fe80::/10|FE80::abcd|true",
        "2001:db8::/127|2001:db8::1|true",
        "2001:db8::/128|2001:db8::1|false",
    })
    void containment(String cidr, String address, boolean expected) {
        assertEquals(expected, IpRange.parse(cidr).contains(IpRange.parseAddress(address)));
    }

    @ParameterizedTest(name = "rejects {0}")
    @ValueSource(strings = {"", "10.0.0", "10.0.0.256", "10.0.0.0/33", "10.0.0.0/", "10.0.0.0/-1", "1.2.3.4.5",
        "01234.1.1.1", "a.b.c.d", "2001:db8::/129", "2001:db8:::1", "1::2::3", "12345::", "1:2:3:4:5:6:7:8:9",
        "1:2:3:4:5:6:7", "::g", "example.com", "10.0.0.0/8x", " 10.0.0.1", "1.2.3.4::", "١.٢.٣.٤"})
    void rejectsMalformed(String text) {
        assertNull(IpRange.parse(text));
    }
}
