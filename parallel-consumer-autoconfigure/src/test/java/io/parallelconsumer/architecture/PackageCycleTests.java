package io.parallelconsumer.architecture;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The Spring packages depend on each other one way: the auto-configuration wires the rest, the annotation processing
 * registers endpoints with the listener infrastructure, and the endpoint, health and meters read from it.
 */
class PackageCycleTests {

    /** This module's classes only: the core and the test fixtures on the class path share the package prefix. */
    private static final JavaClasses STARTER = new ClassFileImporter().importPath(Path.of("target", "classes"));

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
