# shellcheck shell=bash
# Sourced by ./bucketload and bench/lib/jvm.sh: the JVM options every command runs with.
#
# read_jvm_options FILE sets the array jvm_options to the options of FILE (app/jvm-options: one per
# line, blank lines and lines starting with # left out) and, where Linux offers transparent huge
# pages, -XX:+UseTransparentHugePages: the Java heap and the JIT's code on 2 MB pages the JVM asks
# for with madvise, fewer page faults when the JVM first touches its memory (0.12 s of a
# 1,000,000-row load into PostgreSQL and 0.06 s of a 2-row run into DuckDB on a virtual machine
# where a fault is dear), for 7 to 11 MB more resident memory (docs/performance.md#huge-pages). Not
# in app/jvm-options: a JVM on macOS or Windows rejects the option. A kernel set to never use huge
# pages, or without them, gets no option. Uses the shell's own reading only: every program started
# costs each command's start a few milliseconds.
read_jvm_options() {
  local option thp_mode=""
  jvm_options=()
  while IFS= read -r option; do
    case "$option" in '' | '#'*) ;; *) jvm_options+=("$option") ;; esac
  done <"$1"
  if [ -r /sys/kernel/mm/transparent_hugepage/enabled ]; then
    read -r thp_mode </sys/kernel/mm/transparent_hugepage/enabled || true
  fi
  case "$thp_mode" in '' | *'[never]'*) ;; *) jvm_options+=(-XX:+UseTransparentHugePages) ;; esac
}
