package dev.kinetic.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class ImageTagTest {
    private static final ImageTag TAG =
            new ImageTag("sha256:" + "a".repeat(64), List.of("11 core.jar"), List.of(), "0.1.0-SNAPSHOT");

    @Test
    void theSameInputsGiveTheSameValidTag() {
        String tag = TAG.value();
        assertThat(new ImageTag(TAG.baseDigest(), List.of("11 core.jar"), List.of(), "0.1.0-SNAPSHOT").value())
                .isEqualTo(tag);
        assertThat(tag).matches("0\\.1\\.0-snapshot-[0-9a-f]{20}");
        assertThat(com.google.cloud.tools.jib.api.ImageReference.isValidTag(tag))
                .isTrue();
    }

    @Test
    void everyInputChangesTheTag() {
        assertThat(List.of(
                        new ImageTag(
                                "sha256:" + "b".repeat(64), TAG.agentLayer(), TAG.bundleLayer(), TAG.kineticVersion()),
                        new ImageTag(TAG.baseDigest(), List.of("12 core.jar"), TAG.bundleLayer(), TAG.kineticVersion()),
                        new ImageTag(TAG.baseDigest(), TAG.agentLayer(), List.of("33"), TAG.kineticVersion()),
                        new ImageTag(TAG.baseDigest(), TAG.agentLayer(), TAG.bundleLayer(), "0.2.0")))
                .extracting(ImageTag::value)
                .doesNotContain(TAG.value())
                .doesNotHaveDuplicates();
    }

    @Test
    void anOddVersionStillMakesAValidTag() {
        String tag = new ImageTag(TAG.baseDigest(), TAG.agentLayer(), TAG.bundleLayer(), "1.0+build/7").value();
        assertThat(com.google.cloud.tools.jib.api.ImageReference.isValidTag(tag))
                .as(tag)
                .isTrue();
    }
}
