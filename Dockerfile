# The tts-api image: one jar for every role (api, worker, maintenance; pick with --roles=...), on
# a JRE cut down by jlink to the modules the service uses, with espeak-ng from Debian.
#
#   docker build -t tts-api .                                  # compiles with the Maven wrapper
#   docker build --build-arg APP_JAR=target/tts-api-0.1.0-SNAPSHOT.jar -t tts-api .
#                                                              # packs a jar ./mvnw already built
#
# Base images are build arguments, so machines that reach no registry can bring their own
# (deploy/image/build-base.sh makes both from Debian's packages; deploy/image/ci-image-test.sh
# builds and runs this image that way).

# A JDK 21+ with jlink whose JRE runs on the runtime base (glibc).
ARG BUILD_BASE=eclipse-temurin:25-jdk
ARG RUNTIME_BASE=debian:bookworm-slim

FROM ${BUILD_BASE} AS build
WORKDIR /src
# Empty: build the jar here with the wrapper. A path in the build context: use that jar (CI has
# just built and tested it; compiling it again would only cost minutes).
ARG APP_JAR=
# The JRE's modules: what jdeps finds reachable from the service's classes
# (jdeps --recursive --print-module-deps --multi-release 25 --ignore-missing-deps on the extracted
# jar's classes and lib/*), plus jdk.zipfs, a file system provider found through ServiceLoader
# that jdeps cannot see. deploy/image/ci-image-test.sh proves the service starts, warms up every
# engine, speaks, profiles and reports health on exactly this list.
ARG JRE_MODULES=java.base,java.compiler,java.desktop,java.instrument,java.management.rmi,java.net.http,java.prefs,java.scripting,java.security.jgss,java.sql.rowset,jdk.jfr,jdk.management,jdk.net,jdk.unsupported,jdk.zipfs
COPY . .
RUN --mount=type=cache,target=/root/.m2 \
    if [ -n "$APP_JAR" ]; then cp "$APP_JAR" /tmp/app.jar; \
    else ./mvnw -B -ntp -Dmaven.test.skip=true package && cp target/tts-api-*.jar /tmp/app.jar; fi
# Spring Boot's layers (dependencies change less often than the application), so a new version
# of the service ships as a small layer.
RUN java -Djarmode=tools -jar /tmp/app.jar extract --layers --destination /layers
RUN jlink --add-modules "$JRE_MODULES" --strip-debug --no-man-pages --no-header-files \
      --compress=zip-6 --output /jre
# JNA's native half (the espeak engine calls libespeak-ng through JNA), taken out of its jar now:
# at run time JNA would write it to /tmp and load it from there, which fails where /tmp is
# mounted noexec (podman's and Docker's --tmpfs). The entry point points JNA here.
RUN arch="$(uname -m | sed 's/x86_64/x86-64/')" && mkdir -p /jna && cd /jna \
 && jar xf /layers/dependencies/lib/jna-[0-9]*.jar "com/sun/jna/linux-$arch/libjnidispatch.so" \
 && mv "com/sun/jna/linux-$arch/libjnidispatch.so" . && rm -rf com

FROM ${RUNTIME_BASE} AS runtime
# espeak-ng: the espeak engine (Vietnamese and 100+ other languages) drives its library,
# libespeak-ng1 (a dependency of the package), and falls back to the program.
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends espeak-ng \
 && rm -rf /var/lib/apt/lists/*
# A fixed numeric uid, so Kubernetes' runAsNonRoot can verify it without reading /etc/passwd.
RUN groupadd --system --gid 10001 tts \
 && useradd --system --uid 10001 --gid tts --home-dir /app --no-create-home --shell /usr/sbin/nologin tts \
 && mkdir -p /data && chown tts:tts /data
COPY --from=build /jre /opt/jre
COPY --from=build /jna /opt/jna
COPY --from=build /layers/dependencies/ /app/
COPY --from=build /layers/spring-boot-loader/ /app/
COPY --from=build /layers/snapshot-dependencies/ /app/
COPY --from=build /layers/application/ /app/
COPY deploy/image/tts-healthcheck /usr/local/bin/tts-healthcheck
ENV PATH=/opt/jre/bin:$PATH \
    TTS_DATA_DIR=/data \
    PORT=8000
WORKDIR /app
RUN mkdir /app/aot && chown 10001:10001 /app/aot
USER 10001:10001
EXPOSE 8000
# The orchestrator's readiness probe, for Docker and podman: ready after warm-up while
# PostgreSQL and Redis answer. start-period covers the warm-up (one synthesis per engine).
HEALTHCHECK --interval=10s --timeout=3s --start-period=120s --retries=3 CMD ["/usr/local/bin/tts-healthcheck"]
# Heap from the container's memory limit; an OutOfMemoryError ends the process, so the
# orchestrator restarts it and the queue hands its jobs to another worker.
# The AOT cache made by the aot-training stage below (a JVM that cannot use it says so and
# starts without it).
# JNA loads its native half from /opt/jna and may (no warning for loading it).
ENTRYPOINT ["java", "-XX:AOTCache=/app/aot/tts-api.aot", \
            "-XX:MaxRAMPercentage=75", "-XX:+ExitOnOutOfMemoryError", \
            "-Djna.boot.library.path=/opt/jna", "--enable-native-access=ALL-UNNAMED", \
            "-jar", "/app/app.jar"]

# The JDK's AOT cache (JEP 483/514/515: the classes loaded and linked, and method profiles, of a
# training run), made in a stage of its own on top of the runtime stage, because a cache works
# only with the JVM and class path that made it: this image's JRE and /app, unchanged below. The
# training run is the service on Debian's Redis (installed in this stage only) and embedded
# PostgreSQL in a throwaway directory, stopped once its Spring context is refreshed
# (spring.context.exit=onRefresh: every bean made, the engines loaded, nothing served), with the
# entry point's JVM options. bench/startup.sh measures what the cache gives;
# deploy/image/ci-image-test.sh checks the service maps it.
FROM runtime AS aot-training
USER root
RUN apt-get update \
 && DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends redis-server \
 && rm -rf /var/lib/apt/lists/*
USER 10001:10001
RUN bash -c 'port=$((20000 + RANDOM % 20000)) \
 && redis-server --port "$port" --bind 127.0.0.1 --daemonize yes --save "" --appendonly no \
      --dir /tmp --pidfile /tmp/redis.pid \
 && TTS_DATA_DIR=/tmp/aot-training REDIS_URL="redis://127.0.0.1:$port" \
      java -XX:AOTCacheOutput=/tmp/tts-api.aot -Dspring.context.exit=onRefresh \
      -XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError \
      -Djna.boot.library.path=/opt/jna --enable-native-access=ALL-UNNAMED \
      -jar /app/app.jar >/tmp/aot-training.log 2>&1; \
    trained=$?; kill "$(cat /tmp/redis.pid)"; \
    [ "$trained" = 0 ] && test -s /tmp/tts-api.aot \
      || { grep -v "Skipping\|cannot be archived" /tmp/aot-training.log | tail -n 60; exit 1; }'

FROM runtime
COPY --from=aot-training /tmp/tts-api.aot /app/aot/tts-api.aot
