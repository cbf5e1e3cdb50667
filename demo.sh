#!/bin/sh
# The README demo: builds Kinetic, submits a detached ~20 s job from one JVM that exits at once,
# then attaches to it by id from a second JVM, follows its log and prints the result.
set -eu
cd "$(dirname "$0")"
mvn -q -B install -DskipTests -pl kinetic-core,kinetic-examples -am
CP="kinetic-examples/target/classes:kinetic-examples/target/lib/*"
ID_FILE=$(mktemp)
java -cp "$CP" dev.kinetic.examples.DetachedDemo submit "$ID_FILE"
echo "(the submitting JVM has exited; the job runs on in its own session)"
sleep 3
java -cp "$CP" dev.kinetic.examples.DetachedDemo attach "$(cat "$ID_FILE")"
rm -f "$ID_FILE"
