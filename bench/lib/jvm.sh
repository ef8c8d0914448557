# shellcheck shell=bash
# Sets $jvm: the JVM options the launcher runs bucketload with (app/jvm-options and huge pages where
# Linux offers them, by the launcher's own app/jvm-options.sh), or BUCKETLOAD_JAVA_OPTS when set, as
# the launcher does. Needs $repo.
jvm="${BUCKETLOAD_JAVA_OPTS:-}"
if [ -z "$jvm" ]; then
  # shellcheck source=../../app/jvm-options.sh
  source "$repo/app/jvm-options.sh"
  read_jvm_options "$repo/app/jvm-options"
  jvm="${jvm_options[*]} "
  unset jvm_options
fi
