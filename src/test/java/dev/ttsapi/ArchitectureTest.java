package dev.ttsapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the seams of ARCHITECTURE.md's module map honest. */
class ArchitectureTest {

  private static final JavaClasses CLASSES =
      new ClassFileImporter()
          .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
          .importPackages("dev.ttsapi");

  @Test
  void engines_know_nothing_of_the_service_around_them() {
    noClasses()
        .that()
        .resideInAPackage("dev.ttsapi.engine..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ttsapi.api..",
            "dev.ttsapi.queue..",
            "dev.ttsapi.request..",
            "dev.ttsapi.worker..",
            "dev.ttsapi.auth..")
        .check(CLASSES);
  }

  @Test
  void audio_and_text_depend_on_no_other_feature() {
    noClasses()
        .that()
        .resideInAnyPackage("dev.ttsapi.audio..", "dev.ttsapi.text..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ttsapi.api..",
            "dev.ttsapi.queue..",
            "dev.ttsapi.request..",
            "dev.ttsapi.worker..",
            "dev.ttsapi.engine..",
            "dev.ttsapi.auth..")
        .check(CLASSES);
  }

  @Test
  void read_routing_knows_no_feature_it_serves() {
    // The database router is plumbing under the repositories; it may know connections and Redis,
    // never what the rows mean.
    noClasses()
        .that()
        .resideInAPackage("dev.ttsapi.database..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ttsapi.api..",
            "dev.ttsapi.request..",
            "dev.ttsapi.queue..",
            "dev.ttsapi.worker..",
            "dev.ttsapi.auth..",
            "dev.ttsapi.engine..")
        .check(CLASSES);
  }

  @Test
  void the_queue_knows_nothing_of_requests_workers_or_the_api() {
    noClasses()
        .that()
        .resideInAPackage("dev.ttsapi.queue..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage("dev.ttsapi.request..", "dev.ttsapi.worker..", "dev.ttsapi.api..")
        .check(CLASSES);
  }

  @Test
  void only_request_touches_the_requests_repository() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ttsapi.request..")
        .should()
        .dependOnClassesThat()
        .haveSimpleName("RequestRepository")
        .check(CLASSES);
  }

  @Test
  void nothing_but_the_api_depends_on_the_api() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ttsapi.api..")
        .should()
        .dependOnClassesThat()
        .resideInAPackage("dev.ttsapi.api..")
        .check(CLASSES);
  }

  @Test
  void observability_is_a_leaf_the_rest_may_report_to() {
    noClasses()
        .that()
        .resideInAPackage("dev.ttsapi.observability..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ttsapi.api..",
            "dev.ttsapi.worker..",
            "dev.ttsapi.request..",
            "dev.ttsapi.maintenance..")
        .check(CLASSES);
  }
}
