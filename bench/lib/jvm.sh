# shellcheck shell=bash
# Sets $jvm: the JVM options the launcher runs bucketload with (app/jvm-options, read by the same
# rule: one per line, blank lines and lines starting with # left out), or BUCKETLOAD_JAVA_OPTS when
# set, as the launcher does. Needs $repo.
jvm="${BUCKETLOAD_JAVA_OPTS:-}"
if [ -z "$jvm" ]; then
  while IFS= read -r option; do
    case "$option" in '' | '#'*) ;; *) jvm+="$option " ;; esac
  done <"$repo/app/jvm-options"
fi
