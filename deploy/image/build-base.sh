#!/usr/bin/env bash
# Builds the image's base images from Debian's packages, for machines that reach no image
# registry (CI's): debootstrap makes a minimal Debian bookworm from the machine's configured apt
# mirror and podman imports it as localhost/debian-base:bookworm (the runtime stage's base); the
# same with this machine's JDK 21+ under /opt/java/openjdk (the layout of the eclipse-temurin
# images, so the Dockerfile needs no change) is localhost/temurin-jdk:25 (the build stage's).
# Existing images are kept unless REBUILD=1. About a minute.
# Usage: deploy/image/build-base.sh        (root; needs debootstrap and podman)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export CONTAINERS_CONF="${CONTAINERS_CONF:-$here/containers.conf}"
base=localhost/debian-base:bookworm
jdk_image=localhost/temurin-jdk:25
java_home="${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}"

# The first Debian mirror apt is configured with (deb822 or one-line form), else Debian's own.
mirror() {
  local found
  found=$(grep -hs -E '^URIs:' /etc/apt/sources.list.d/*.sources | awk '{print $2}' \
    | grep -v -- '-security' | head -n1 || true)
  [ -n "$found" ] || found=$(grep -hs -E '^deb ' /etc/apt/sources.list /etc/apt/sources.list.d/*.list \
    | awk '$3 ~ /^bookworm$/ {print $2}' | head -n1 || true)
  echo "${found:-http://deb.debian.org/debian}"
}

if [ "${REBUILD:-}" = 1 ] || ! podman image exists "$base"; then
  work="$(mktemp -d)"
  trap 'rm -rf "$work"' EXIT
  url="$(mirror)"
  echo "debootstrap bookworm from $url"
  debootstrap --variant=minbase bookworm "$work/rootfs" "$url" >"$work/debootstrap.log" 2>&1 \
    || { tail -n 30 "$work/debootstrap.log" >&2; exit 1; }
  cat > "$work/rootfs/etc/apt/sources.list" <<SOURCES
deb $url bookworm main
deb $url bookworm-updates main
deb ${url%/debian}/debian-security bookworm-security main
SOURCES
  # As Docker's debian images: no documentation, no package caches kept in layers.
  rm -rf "$work/rootfs/var/cache/apt/archives/"*.deb "$work/rootfs/var/lib/apt/lists/"*
  tar -C "$work/rootfs" -c . | podman import --change 'CMD ["/bin/bash"]' - "$base"
  rm -rf "$work"
  trap - EXIT
fi

if [ "${REBUILD:-}" = 1 ] || ! podman image exists "$jdk_image"; then
  # binutils for jlink --strip-debug (objcopy), as in eclipse-temurin. No curl: the Maven wrapper
  # then fetches Maven with the JDK itself, trusting what this JDK trusts.
  # A copy with symlinks resolved: Debian-installed JDKs link lib/security/cacerts to the host's
  # /etc/ssl/certs/java/cacerts, which the image would not have.
  ctx="$(mktemp -d)"
  trap 'rm -rf "$ctx"' EXIT
  cp -rL "$java_home" "$ctx/jdk"
  podman build --network=host -t "$jdk_image" -f - "$ctx/jdk" <<CONTAINERFILE
FROM $base
RUN apt-get update -qq && apt-get install -y -qq --no-install-recommends binutils \
 && rm -rf /var/lib/apt/lists/*
COPY . /opt/java/openjdk
ENV JAVA_HOME=/opt/java/openjdk PATH=/opt/java/openjdk/bin:/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin
CONTAINERFILE
  rm -rf "$ctx"
  trap - EXIT
fi
podman images --format '{{.Repository}}:{{.Tag}} {{.Size}}' | grep -E "debian-base|temurin-jdk"
