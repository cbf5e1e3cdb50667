package dev.kinetic.internal.submit;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kinetic.RemoteCallable;
import org.junit.jupiter.api.Test;

class FunctionNamesTest {
    @Test
    void functionNamesComeFromTheLambdaOrMethodReference() {
        RemoteCallable<Integer> ref = FunctionNamesTest::trainModel;
        assertThat(FunctionNames.of(ref).shortName()).isEqualTo("train-model");
        RemoteCallable<Integer> lambda = () -> 1;
        assertThat(FunctionNames.of(lambda).shortName())
                .isEqualTo("function-names-come-from-the-lambda-or-method-reference");
    }

    static Integer trainModel() {
        return 1;
    }
}
