#!/bin/sh
# The README demos.
#   ./demo.sh      builds Kinetic, submits a detached ~20 s job from one JVM that exits at once,
#                  then attaches to it by id from a second JVM, follows its log and prints the result.
#   ./demo.sh ml   trains a real model (DJL with PyTorch on the CPU, offline) on Iris as jobs: one run is
#                  cancelled after a checkpoint and resumed by a second job, then 4 learning rates are swept;
#                  it ends with the line `best learning rate: <value>`.
set -eu
cd "$(dirname "$0")"
mvn -q -B install -DskipTests -pl kinetic-core,kinetic-examples -am
CP="kinetic-examples/target/classes:kinetic-examples/target/lib/*"
if [ "${1:-}" = "ml" ]; then
    # PyTorch's native library comes from a jar on the classpath and is unpacked once (about 430 MB) into
    # DJL_CACHE_DIR; ai.djl.offline keeps DJL from downloading anything.
    exec java -Dai.djl.offline=true -DDJL_CACHE_DIR="$PWD/kinetic-examples/target/djl-cache" \
        -cp "$CP" dev.kinetic.examples.ml.MlDemo kinetic-examples/data/iris.csv
fi
ID_FILE=$(mktemp)
java -cp "$CP" dev.kinetic.examples.DetachedDemo submit "$ID_FILE"
echo "(the submitting JVM has exited; the job runs on in its own session)"
sleep 3
java -cp "$CP" dev.kinetic.examples.DetachedDemo attach "$(cat "$ID_FILE")"
rm -f "$ID_FILE"
