package io.lading.http.ecr;

import com.fasterxml.jackson.databind.node.ObjectNode;

/** One ECR operation: validates its input, calls the services, and returns the output object. */
@FunctionalInterface
public interface EcrHandler {

    ObjectNode handle(EcrCall call) throws Exception;
}
