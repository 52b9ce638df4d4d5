#!/usr/bin/env bash
# Fails when a C++ file differs from the repository's .clang-format (run by `make test` as the
# CTest test "clang-format"). Fix with: scripts/check-format.sh --fix
set -euo pipefail
cd "$(dirname "$0")/.."
cf=$(command -v clang-format-14 || command -v clang-format || true)
[ -n "$cf" ] || { echo "check-format: clang-format is not installed (make setup installs it)" >&2; exit 1; }
mapfile -t files < <(find include src plugins tests bench \( -name '*.cpp' -o -name '*.hpp' -o -name '*.hpp.in' \) | sort)
if [ "${1:-}" = "--fix" ]; then
  "$cf" -i "${files[@]}"
  exit 0
fi
bad=()
for f in "${files[@]}"; do
  "$cf" --dry-run --Werror "$f" >/dev/null 2>&1 || bad+=("$f")
done
if [ ${#bad[@]} -gt 0 ]; then
  printf 'check-format: %s differs from .clang-format\n' "${bad[@]}" >&2
  echo "check-format: ${#bad[@]} of ${#files[@]} files differ; run scripts/check-format.sh --fix" >&2
  exit 1
fi
echo "check-format: ${#files[@]} files follow .clang-format"
