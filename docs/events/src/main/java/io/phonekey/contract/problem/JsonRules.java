package io.phonekey.contract.problem;

import jakarta.inject.Singleton;

import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.ObjectMapper;

import io.quarkus.jackson.ObjectMapperCustomizer;

/**
 * The JSON every PhoneKey service reads: a field given twice is an error, not "the last one wins" (two readers of the
 * same body must not see two different requests), and nesting is capped well below Jackson's default of 1,000, so a
 * hostile body costs little to refuse. Both failures become a 400 problem through {@link ProblemMapper}.
 */
@Singleton
public class JsonRules implements ObjectMapperCustomizer {

    /** Deeper than any PhoneKey body or event (metadata included) needs. */
    public static final int MAX_NESTING = 64;

    @Override
    public void customize(ObjectMapper mapper) {
        mapper.getFactory().enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION.mappedFeature());
        mapper.getFactory().setStreamReadConstraints(
                StreamReadConstraints.builder().maxNestingDepth(MAX_NESTING).build());
    }
}
