package dev.kinetic.cli;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The modules around the core use only its API ({@code dev.kinetic}) and its SPI ({@code dev.kinetic.spi}): what is
 * under {@code dev.kinetic.internal} may change in any release. kinetic-bench is exempt (it measures internals).
 * This module sees every other module on its classpath, so the rule is checked here for all of them.
 */
class ModuleBoundariesTest {
    private static final JavaClasses MODULES = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            // test jars of other modules (kinetic-image's) hold tests, which may use internals
            .withImportOption(location -> !location.contains("-tests.jar") && !location.contains("/test-classes/"))
            .importPackages(
                    "dev.kinetic.cli",
                    "dev.kinetic.ui",
                    "dev.kinetic.backend.kubernetes",
                    "dev.kinetic.store.s3",
                    "dev.kinetic.store.gcs",
                    "dev.kinetic.image");

    @Test
    void cliUiKubernetesStoresAndImageDoNotReachIntoTheCoresInternals() {
        noClasses()
                .that()
                .resideInAnyPackage(
                        "dev.kinetic.cli..",
                        "dev.kinetic.ui..",
                        "dev.kinetic.backend.kubernetes..",
                        "dev.kinetic.store.s3..",
                        "dev.kinetic.store.gcs..",
                        "dev.kinetic.image..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kinetic.internal..")
                .because("only dev.kinetic (the API) and dev.kinetic.spi are supported for other modules")
                .check(MODULES);
    }
}
