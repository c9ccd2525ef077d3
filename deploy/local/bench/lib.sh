# Sourced by the benchmarks of this directory (". lib.sh"): the CPU of every process of a run, read from /proc.
# Needs DIR, the directory of the benchmark.

# One line per process kind and its CPU ticks so far (user + system): the stack's services and broker (their pid
# files), Redis, every PostgreSQL backend, and the load generators and stand-ins that are running.
cpu_ticks() {
  local f p
  for f in "$DIR/../../../.stack/pids/"*.pid; do
    p=$(cat "$f"); [ -r "/proc/$p/stat" ] && echo "$(basename "$f" .pid) $(awk '{print $14 + $15}' "/proc/$p/stat")"
  done
  for p in $(pgrep -x redis-server); do echo "redis $(awk '{print $14 + $15}' "/proc/$p/stat")"; done
  for p in $(pgrep -u postgres); do echo "postgresql $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done
  for p in $(pgrep -x wrk); do echo "wrk $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done
  for p in $(pgrep -f 'OpenLoop'); do echo "generator $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done
  for p in $(pgrep -f 'twilio-standin'); do echo "stand-in $(awk '{print $14 + $15}' "/proc/$p/stat" 2>/dev/null || echo 0)"; done
}

# cpu_report BEFORE AFTER SECONDS: each kind's share of one core between two cpu_ticks files, busiest first.
cpu_report() {
  awk -v secs="$3" -v hz="$(getconf CLK_TCK)" 'NR == FNR { b[$1] += $2; next } { a[$1] += $2 }
    END { for (k in a) printf "   %-18s %4.0f %% of one core\n", k, 100 * (a[k] - b[k]) / hz / secs }' "$1" "$2" | sort -k2 -rn
}
