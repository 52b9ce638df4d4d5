#!/usr/bin/env bash
# Benchmark: `landquota run` on a generated county of N parcels (default 250,000) against GDAL's
# own copy of the same parcels layer (`ogr2ogr`), in one script, on the same machine and files.
# Prints wall time, CPU time (user + system: steadier than wall time when the machine is shared),
# peak memory and the ratios. Usage: bench/run_benchmark.sh [PARCELS]
set -euo pipefail
cd "$(dirname "$0")/.."
N=${1:-250000}
BUILD=${BUILD:-build}
WORK=bench/work
mkdir -p "$WORK"
COUNTY="$WORK/county-$N.gpkg"

[ -f "$COUNTY" ] || "$BUILD/landquota-gen" --out "$COUNTY" --parcels "$N" >/dev/null
sed -e "s|path = \"wuyi.gpkg\"|path = \"county-$N.gpkg\"|" -e "s|name = \"wuyi\"|name = \"bench-$N\"|" \
    sample_maps/wuyi/job.toml > "$WORK/job-$N.toml"
PARCELS=$(ogrinfo -so -ro "$COUNTY" parcels | sed -n 's/^Feature Count: //p')

measure() { # label, command...: prints "seconds peak_kib cpu_seconds"
    local label=$1; shift
    /usr/bin/time -f "%e %M %U %S" -o "$WORK/time.txt" "$@" >/dev/null 2>"$WORK/$label.err" || {
        cat "$WORK/$label.err" >&2; exit 1; }
    awk '{ printf "%s %s %.2f\n", $1, $2, $3 + $4 }' "$WORK/time.txt"
}

rm -rf "$WORK/copy.gpkg" "$WORK/out-$N" "$WORK/ledger-$N.sqlite"
read -r gdal_s gdal_kib gdal_cpu < <(measure ogr2ogr ogr2ogr -f GPKG "$WORK/copy.gpkg" "$COUNTY" parcels)
read -r lq_s lq_kib lq_cpu < <(measure landquota "$BUILD/landquota" run "$WORK/job-$N.toml" --out "$WORK/out-$N" --ledger "$WORK/ledger-$N.sqlite" --quiet)

ratio=$(awk -v a="$lq_s" -v b="$gdal_s" 'BEGIN { printf "%.2f", a / b }')
cpu_ratio=$(awk -v a="$lq_cpu" -v b="$gdal_cpu" 'BEGIN { printf "%.2f", a / b }')
printf 'parcels            %s\n' "$PARCELS"
printf 'ogr2ogr copy       %6.2f s  %6.2f s CPU  %7.1f MiB peak\n' "$gdal_s" "$gdal_cpu" "$(awk -v k="$gdal_kib" 'BEGIN{print k/1024}')"
printf 'landquota run      %6.2f s  %6.2f s CPU  %7.1f MiB peak\n' "$lq_s" "$lq_cpu" "$(awk -v k="$lq_kib" 'BEGIN{print k/1024}')"
printf 'ratio run/copy     %s (CPU %s)\n' "$ratio" "$cpu_ratio"
printf 'load average       %s\n' "$(cut -d' ' -f1-3 /proc/loadavg)"
printf 'parcels per second %.0f\n' "$(awk -v n="$PARCELS" -v s="$lq_s" 'BEGIN{print n/s}')"
