package dev.kinetic.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What kinetic-core's packages may be: {@code dev.kinetic} is what users type and nothing more, {@code dev.kinetic.spi}
 * holds the plug-in contracts, {@code dev.kinetic.internal} the rest, layered without cycles. Adding a type to the API
 * means adding it to {@link #API} here, on purpose.
 */
class ArchitectureTest {
    /** Every public top-level type of {@code dev.kinetic}: entry points, handles, options, status, data, exceptions. */
    static final Set<String> API = Set.of(
            "Kinetic",
            "KineticSession",
            "RemoteCallable",
            "RemoteFunction",
            "RemoteJob",
            "RemoteFunctionJob",
            "JobHandle",
            "BatchHandle",
            "JobOptions",
            "BatchOptions",
            "JobStatus",
            "JobInfo",
            "Data",
            "Cleanup",
            "KineticException",
            "JobFailedException",
            "JobNotFoundException",
            "JobTimeoutException",
            "JobCancelledException",
            "BatchFailedException");

    private static final JavaClasses CORE = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.kinetic");

    @Test
    void theApiIsAtMostTwentyPublicTypesAndEachIsListedHere() {
        assertThat(API).hasSizeLessThanOrEqualTo(20);
        Set<String> actual = new TreeSet<>();
        for (JavaClass c : CORE) {
            if (c.getPackageName().equals("dev.kinetic")
                    && c.isTopLevelClass()
                    && c.getModifiers().contains(JavaModifier.PUBLIC)) {
                actual.add(c.getSimpleName());
            }
        }
        assertThat(actual)
                .as("public top-level types of dev.kinetic; a new one must be added to API on purpose")
                .containsExactlyInAnyOrderElementsOf(API);
    }

    @Test
    void everyOtherPackageIsSpiOrInternal() {
        Set<String> others = new TreeSet<>();
        for (JavaClass c : CORE) {
            String p = c.getPackageName();
            if (!p.equals("dev.kinetic")
                    && !p.startsWith("dev.kinetic.spi")
                    && !p.startsWith("dev.kinetic.internal.")) {
                others.add(p);
            }
        }
        assertThat(others).isEmpty();
    }

    @Test
    void internalPackagesDoNotImportEachOtherInACycle() {
        slices().matching("dev.kinetic.internal.(*)..")
                .should()
                .beFreeOfCycles()
                .check(CORE);
    }

    @Test
    void theSpiDoesNotDependOnInternals() {
        noClasses()
                .that()
                .resideInAPackage("dev.kinetic.spi..")
                .should()
                .dependOnClassesThat()
                .resideInAPackage("dev.kinetic.internal..")
                .because("plug-ins build against the SPI, which must stand on its own")
                .check(CORE);
    }

    @Test
    void spiPackagesDoNotImportEachOtherInACycle() {
        slices().matching("dev.kinetic.spi.(*)..").should().beFreeOfCycles().check(CORE);
    }
}
