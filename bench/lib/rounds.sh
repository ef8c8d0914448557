# Sourced by the benchmarks: measures whole commands in interleaved rounds (rounds), and gives the
# median and spread of a list of figures (spread, median_of, figure).
#
# rounds REPEAT NAME...: runs run_NAME (a shell function, exported, that execs the command) once per
# round for every NAME, REPEAT rounds, so that a machine that slows down or speeds up during the
# benchmark affects every command alike. Before each run it calls `before_run NAME`, after it
# `check_run NAME OUTPUT_FILE` (both defined by the caller; check_run exits on a wrong result).
# Each run is timed wall-clock with its peak RSS (/usr/bin/time). Needs $work.
# Then stats[NAME] holds "median min max rss": the median, lowest and highest wall time in seconds
# and the median peak RSS in MB.
declare -A stats
rounds() {
  local repeat="$1"; shift
  local -A times=() rss=()
  local name seconds rss_kb
  for _ in $(seq "$repeat"); do
    for name in "$@"; do
      before_run "$name"
      /usr/bin/time -f "%e %M" -o "$work/time.txt" bash -c "run_$name" >"$work/$name.out" 2>&1 || {
        cat "$work/$name.out" >&2; echo "$name failed" >&2; exit 1; }
      check_run "$name" "$work/$name.out"
      read -r seconds rss_kb <"$work/time.txt"
      times[$name]+="$seconds "; rss[$name]+="$((rss_kb / 1024)) "
    done
  done
  for name in "$@"; do
    # shellcheck disable=SC2086 # the lists are words
    stats[$name]="$(spread ${times[$name]}) $(median_of ${rss[$name]})"
  done
}

# spread VALUES...: "median lowest highest" of the values.
spread() {
  local sorted
  sorted=$(printf "%s\n" "$@" | sort -g)
  echo "$(echo "$sorted" | sed -n "$(( ($# + 1) / 2 ))p") $(echo "$sorted" | head -1) $(echo "$sorted" | tail -1)"
}

# median_of VALUES...: the median of the values.
median_of() {
  local median
  read -r median _ <<<"$(spread "$@")"
  echo "$median"
}

# figure VALUES...: the value alone for one run, else "median (lowest-highest)".
figure() {
  local median lo hi
  if [ "$#" = 1 ]; then echo "$1"; return; fi
  read -r median lo hi <<<"$(spread "$@")"
  echo "$median ($lo-$hi)"
}

# row LABEL NAME: prints one measured command's line.
row() {
  local median lo hi mb
  read -r median lo hi mb <<<"${stats[$2]}"
  printf "%-40s %7s s  (%s-%s)  %5s MB peak RSS\n" "$1" "$median" "$lo" "$hi" "$mb"
}

# median NAME: the median wall time of a measured command.
median() {
  local m
  read -r m _ <<<"${stats[$1]}"
  echo "$m"
}
