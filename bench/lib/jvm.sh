# shellcheck shell=bash
# Sets $jvm: the JVM options the launcher runs bucketload with (app/jvm-options), or
# BUCKETLOAD_JAVA_OPTS when set, as the launcher does. Needs $repo.
jvm="${BUCKETLOAD_JAVA_OPTS:-$(grep -v -e '^#' -e '^[[:space:]]*$' "$repo/app/jvm-options" | tr '\n' ' ')}"
