#!/usr/bin/env bash
# What a release publishes, checked: builds the published modules with the release profile (sources and javadoc
# jars; signing stays off), deploys them into a file repository under target/ instead of Central, and inspects it
# with CheckArtifacts.java (every module's pom, jar, sources and javadoc jars, Central's required pom elements, the
# agent's dependency-reduced pom and its relocated ASM). examples stands for the modules that are not published:
# nothing of it may reach the repository. maven.install.skip keeps ~/.m2 untouched.
set -euo pipefail
cd "$(dirname "$0")/.."
staging="$PWD/target/staging"
rm -rf "$staging"
mvn -B -q -Prelease -DskipTests -Dinvoker.skip=true -Dmaven.install.skip=true \
  -DaltDeploymentRepository=staging::file:"$staging" \
  -pl defer-runtime,defer-instrument,defer-agent,defer-maven-plugin,examples -am deploy
java .ci/CheckArtifacts.java "$staging"
