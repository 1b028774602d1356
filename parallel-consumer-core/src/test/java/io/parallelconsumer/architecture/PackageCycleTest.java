package io.parallelconsumer.architecture;

import java.nio.file.Path;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * The core's packages depend on each other one way: the assembly in {@code internal} uses the poller, the work
 * manager, the engines and the offset tracker; the poller and the engines use the work manager; nothing below uses
 * what is above it. The public API sits outside the check: its builder constructs the implementation, which in
 * turn implements the API.
 */
class PackageCycleTest {

    /** This module's classes only: the test fixtures on the test class path share the package prefix. */
    private static final JavaClasses CORE = new ClassFileImporter().importPath(Path.of("target", "classes"));

    @Test
    void internalPackagesAreFreeOfCycles() {
        slices().matching("io.parallelconsumer.(**)").should().beFreeOfCycles().check(CORE);
    }

    @Test
    void theCoreNeedsNothingOfSpring() {
        noClasses().should().dependOnClassesThat().resideInAPackage("org.springframework..").check(CORE);
    }
}
