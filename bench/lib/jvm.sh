# shellcheck shell=bash
# Sets $jvm: the JVM options the launcher runs bucketload with (app/jvm-options, read by the same
# rule: one per line, blank lines and lines starting with # left out, and huge pages where Linux
# offers them), or BUCKETLOAD_JAVA_OPTS when set, as the launcher does. Needs $repo.
jvm="${BUCKETLOAD_JAVA_OPTS:-}"
if [ -z "$jvm" ]; then
  while IFS= read -r option; do
    case "$option" in '' | '#'*) ;; *) jvm+="$option " ;; esac
  done <"$repo/app/jvm-options"
  # Huge pages for the heap where Linux offers them, as the launcher adds them.
  thp_mode=""
  if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
    read -r thp_mode </sys/kernel/mm/transparent_hugepage/enabled || true
  fi
  case "$thp_mode" in '' | *'[never]'*) ;; *) jvm+="-XX:+UseTransparentHugePages " ;; esac
  unset thp_mode
fi
