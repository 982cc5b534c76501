package io.lading.http.testing;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The test class or method runs the given external clients. When one is missing (not on {@code PATH},
 * or the tests do not run as root for a client that needs it), every test it covers is reported as
 * skipped with a reason naming the client and the Debian package to install; under the environment
 * variable {@code CI=true} the same is a test failure instead, so CI never passes without running them.
 * See {@link RequiredClientCondition}.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
@ExtendWith(RequiredClientCondition.class)
public @interface RequiresClient {

    /** Every client the tests run. */
    Client[] value();
}
