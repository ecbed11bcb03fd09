#!/usr/bin/env bash
# Builds a self-contained application image with jpackage (a Java runtime plus the app's jars):
#   target/dist/ClipWorkbench/bin/ClipWorkbench   the workbench window
#   target/dist/ClipWorkbench/bin/clipwb          the command line
# Run it on the operating system you build for (jpackage does not cross-build); the Maven profiles pick the matching
# libtorch native jar. Usage: packaging/build-app-image.sh [extra jpackage options, e.g. --type deb]
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version=$(mvn -B -ntp -q help:evaluate -Dexpression=project.version -DforceStdout | sed 's/-SNAPSHOT//')
mvn -B -ntp package -DskipTests
rm -rf target/jpackage-input target/dist
mkdir -p target/jpackage-input
cp target/clip-workbench.jar target/lib/*.jar target/jpackage-input/
jpackage --type app-image --name ClipWorkbench --app-version "$version" \
  --input target/jpackage-input --main-jar clip-workbench.jar --main-class org.clipwb.app.Launcher \
  --java-options "-Xmx6g -Dai.djl.offline=true" \
  --add-launcher clipwb=packaging/clipwb-launcher.properties \
  --dest target/dist "$@"
echo "Built target/dist/ClipWorkbench"
