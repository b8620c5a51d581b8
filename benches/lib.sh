# What the bench scripts share; source it after `cd` to the repository.
#
#   kehu_bin        sets K: $KEHU_BIN when given (to time another build), else
#                   the release build, built first, wherever cargo puts it
#   now_us          microseconds since the epoch
#   ratio A B       A / B with two decimals
#   many NAME N CMD...
#                   N timed runs of CMD: a Markdown row with the median and max

kehu_bin() {
  if [[ -n "${KEHU_BIN:-}" ]]; then
    K=$KEHU_BIN
  else
    cargo build --release --quiet
    K=$(cd "${CARGO_TARGET_DIR:-target}" && pwd)/release/kehu
  fi
}

now_us() { local t=${EPOCHREALTIME/[.,]/}; echo "${t#0}"; }

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }

many() {
  local name=$1 n=$2; shift 2
  local runs=() t0 t1
  for _ in $(seq "$n"); do
    t0=$(now_us); "$@" >/dev/null; t1=$(now_us)
    runs+=($((t1 - t0)))
  done
  printf '%s\n' "${runs[@]}" | sort -n | awk -v name="$name" -v r="$n" '
    { a[NR] = $1 }
    END { printf "| %s | %d | %.1f ms | %.1f ms |\n", name, r, a[int((NR + 1) / 2)] / 1000, a[NR] / 1000 }'
}
