package io.parallelconsumer.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The Spring packages depend on each other one way: the auto-configuration wires the rest, the annotation processing
 * registers endpoints with the listener infrastructure, and the endpoint, health and meters read from it.
 */
class PackageCycleTests {

    private static final JavaClasses STARTER = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(location -> !location.contains("parallel-consumer-core"))
            .importPackages("io.parallelconsumer");

    @Test
    void packagesAreFreeOfCycles() {
        slices().matching("io.parallelconsumer.(**)").should().beFreeOfCycles().check(STARTER);
    }

    @Test
    void theSpringPackagesNeedNothingOfTheAutoConfiguration() {
        noClasses().that().resideInAnyPackage("io.parallelconsumer.spring..", "io.parallelconsumer.annotation..",
                "io.parallelconsumer.admin..").should().dependOnClassesThat()
                .resideInAPackage("io.parallelconsumer.autoconfigure..").check(STARTER);
    }
}
