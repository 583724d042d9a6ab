package dev.ttsapi;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/** Keeps the seams of docs/architecture.md's module map honest. */
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
            "dev.ttsapi.auth..",
            "dev.ttsapi.web..",
            "dev.ttsapi.speech..",
            "dev.ttsapi.redis..")
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

  @Test
  void problem_details_are_made_in_the_web_layer_only() {
    // Handlers throw web.Problem or a domain exception; web.ProblemType builds the answer.
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ttsapi.web..")
        .should()
        .dependOnClassesThat()
        .areAssignableTo(org.springframework.http.ProblemDetail.class)
        .check(CLASSES);
  }

  @Test
  void who_may_call_a_handler_is_decided_in_the_web_layer_only() {
    classes()
        .that()
        .implement(org.springframework.web.servlet.HandlerInterceptor.class)
        .should()
        .resideInAPackage("dev.ttsapi.web..")
        .check(CLASSES);
    classes()
        .that()
        .areAssignableTo(jakarta.servlet.Filter.class)
        .should()
        .resideInAnyPackage("dev.ttsapi.web..", "dev.ttsapi.observability..")
        .check(CLASSES);
  }

  @Test
  void the_web_layer_knows_no_controller() {
    // Controllers depend on web (its annotations, Problem, the caller); never the other way.
    noClasses()
        .that()
        .resideInAPackage("dev.ttsapi.web..")
        .should()
        .dependOnClassesThat()
        .resideInAnyPackage(
            "dev.ttsapi.api..",
            "dev.ttsapi.console..",
            "dev.ttsapi.speech..",
            "dev.ttsapi.usage..",
            "dev.ttsapi.observability..")
        .check(CLASSES);
  }

  @Test
  void redis_connections_are_made_by_the_redis_seam_only() {
    // Everyone else holds the commands a standalone server and a Cluster share, never a client or
    // a connection of one kind.
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ttsapi.redis..")
        .should()
        .dependOnClassesThat()
        .belongToAnyOf(
            io.lettuce.core.RedisClient.class,
            io.lettuce.core.RedisURI.class,
            io.lettuce.core.api.StatefulRedisConnection.class,
            io.lettuce.core.api.sync.RedisCommands.class,
            io.lettuce.core.api.async.RedisAsyncCommands.class,
            io.lettuce.core.cluster.RedisClusterClient.class,
            io.lettuce.core.resource.ClientResources.class)
        .check(CLASSES);
  }

  @Test
  void lua_scripts_are_run_by_the_redis_seam_only() {
    noClasses()
        .that()
        .resideOutsideOfPackage("dev.ttsapi.redis..")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.base.DescribedPredicate.describe(
                    "Lettuce's EVAL, EVALSHA or SCRIPT LOAD (Redis.eval(RedisScript, ..) is the way)",
                    target ->
                        target.getOwner().getPackageName().startsWith("io.lettuce")
                            && target
                                .getName()
                                .matches("eval|evalsha|evalReadOnly|evalshaReadOnly|scriptLoad"))))
        .check(CLASSES);
  }

  @Test
  void no_package_but_the_queue_touches_streams() {
    noClasses()
        .that()
        .resideOutsideOfPackages("dev.ttsapi.queue..", "dev.ttsapi.redis..")
        .should()
        .callMethodWhere(
            com.tngtech.archunit.core.domain.JavaCall.Predicates.target(
                com.tngtech.archunit.base.DescribedPredicate.describe(
                    "a Redis stream command",
                    target ->
                        target.getOwner().getPackageName().startsWith("io.lettuce")
                            && target
                                .getName()
                                .matches(
                                    "x(add|read|readgroup|ack|del|len|range|revrange|pending"
                                        + "|claim|autoclaim|trim|group.*|info.*)"))))
        .check(CLASSES);
  }
}
