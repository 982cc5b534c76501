package io.lading.storage.s3;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.ToIntFunction;
import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttribute;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpResponse;

/**
 * What an S3 client sends and receives, counted per operation and attempt, with hooks for tests: code
 * to run before a request or an attempt and after a request, and S3 errors in place of real responses
 * (the request still reached the server: a lost response).
 */
final class S3Traffic implements ExecutionInterceptor {

    /** Test code run at a point of a request; may block (the SDK's sync client calls it on the caller's thread). */
    interface Hook {
        void run(SdkRequest request) throws Exception;
    }

    private static final ExecutionAttribute<Boolean> REPLACED = new ExecutionAttribute<>("lading.test.replaced");
    private final Map<String, AtomicInteger> attempts = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> responses = new ConcurrentHashMap<>();
    private final Map<String, List<String>> encryption = new ConcurrentHashMap<>();
    private final Map<String, List<String>> signers = new ConcurrentHashMap<>();
    volatile Hook beforeRequest = r -> { };
    volatile Hook beforeAttempt = r -> { };
    /** Run once a request is done, whether it succeeded or failed. */
    volatile Hook afterRequest = r -> { };
    /** The status to answer an attempt with instead of the server's (503 comes as {@code SlowDown}), or 0. */
    volatile ToIntFunction<SdkRequest> replaceStatus = r -> 0;

    /** {@code PutObject} for a {@code PutObjectRequest}. */
    static String operation(SdkRequest request) {
        String name = request.getClass().getSimpleName();
        return name.endsWith("Request") ? name.substring(0, name.length() - "Request".length()) : name;
    }

    /** Attempts sent of {@code operation} (retries count). */
    int attempts(String operation) {
        AtomicInteger n = attempts.get(operation);
        return n == null ? 0 : n.get();
    }

    /** Attempts of {@code operation} answered with {@code status} (after any replacement). */
    int responses(String operation, int status) {
        AtomicInteger n = responses.get(operation + " " + status);
        return n == null ? 0 : n.get();
    }

    /** The encryption asked for by each attempt of {@code operation} that asked: {@code <mode>[ <kms key>]}. */
    List<String> encryption(String operation) {
        return encryption.getOrDefault(operation, List.of());
    }

    /** The access key id each attempt of {@code operation} was signed with (SigV4's {@code Credential=}). */
    List<String> signedBy(String operation) {
        return signers.getOrDefault(operation, List.of());
    }

    @Override
    public void beforeExecution(Context.BeforeExecution context, ExecutionAttributes attributes) {
        run(beforeRequest, context.request());
    }

    @Override
    public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
        String operation = operation(context.request());
        attempts.computeIfAbsent(operation, k -> new AtomicInteger()).incrementAndGet();
        context.httpRequest().firstMatchingHeader("Authorization").ifPresent(auth -> signers
                .computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>())
                .add(auth.replaceAll(".*Credential=([^/]*)/.*", "$1")));
        context.httpRequest().firstMatchingHeader("x-amz-server-side-encryption").ifPresent(sse -> encryption
                .computeIfAbsent(operation, k -> new CopyOnWriteArrayList<>())
                .add(sse + context.httpRequest().firstMatchingHeader("x-amz-server-side-encryption-aws-kms-key-id")
                        .map(key -> " " + key).orElse("")));
        run(beforeAttempt, context.request());
    }

    @Override
    public SdkHttpResponse modifyHttpResponse(Context.ModifyHttpResponse context, ExecutionAttributes attributes) {
        int status = replaceStatus.applyAsInt(context.request());
        attributes.putAttribute(REPLACED, status != 0);
        SdkHttpResponse response = status == 0 ? context.httpResponse()
                : context.httpResponse().toBuilder().statusCode(status).clearHeaders()
                        .putHeader("Content-Type", "application/xml").build();
        responses.computeIfAbsent(operation(context.request()) + " " + response.statusCode(), k -> new AtomicInteger())
                .incrementAndGet();
        return response;
    }

    @Override
    public Optional<InputStream> modifyHttpResponseContent(Context.ModifyHttpResponse context,
            ExecutionAttributes attributes) {
        if (!Boolean.TRUE.equals(attributes.getAttribute(REPLACED))) {
            return context.responseBody();
        }
        String code = context.httpResponse().statusCode() == 503 ? "SlowDown" : "InternalError";
        String xml = "<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>" + code
                + "</Code><Message>injected by the test</Message></Error>";
        return Optional.of(new ByteArrayInputStream(xml.getBytes(StandardCharsets.UTF_8)));
    }

    @Override
    public void afterExecution(Context.AfterExecution context, ExecutionAttributes attributes) {
        run(afterRequest, context.request());
    }

    @Override
    public void onExecutionFailure(Context.FailedExecution context, ExecutionAttributes attributes) {
        run(afterRequest, context.request());
    }

    private static void run(Hook hook, SdkRequest request) {
        try {
            hook.run(request);
        } catch (RuntimeException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
