#!/usr/bin/env bash
# The dependency rules of docs/architecture.md, checked on every #include:
#  1. a file under src/<folder>/ includes engine headers only from its own folder or from folders
#     earlier in the stage order (core, geo, io, ledger, plugins, pipeline, publish, run, cli);
#  2. a plugin includes only the public API (landquota/...) and files of its own folder;
#  3. the public API (include/landquota/) includes nothing of src/.
set -euo pipefail
cd "$(dirname "$0")/.."

order=(core geo io ledger plugins pipeline publish run cli)
rank() {
    local i
    for i in "${!order[@]}"; do
        [[ ${order[$i]} == "$1" ]] && { echo "$i"; return; }
    done
    echo -1
}

bad=0
while IFS= read -r file; do
    folder=$(cut -d/ -f2 <<<"$file")
    mine=$(rank "$folder")
    if [[ $mine -lt 0 ]]; then
        echo "$file: folder src/$folder is not in the stage order of docs/architecture.md"
        bad=1
        continue
    fi
    while IFS= read -r inc; do
        target=${inc%%/*}
        [[ $inc == */* ]] || continue
        [[ $target == landquota ]] && continue # the public API
        theirs=$(rank "$target")
        if [[ $theirs -lt 0 || $theirs -gt $mine ]]; then
            echo "$file: includes \"$inc\", from a folder after src/$folder in the stage order"
            bad=1
        fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(find src -name '*.hpp' -o -name '*.cpp' -o -name '*.def' | sort)

while IFS= read -r file; do
    dir=$(dirname "$file")
    while IFS= read -r inc; do
        [[ $inc == landquota/* ]] && continue
        if [[ $inc == */* || ! -f $dir/$inc ]]; then
            echo "$file: includes \"$inc\": a plugin includes only landquota/... and its own files"
            bad=1
        fi
    done < <(sed -n 's/^#include "\([^"]*\)".*/\1/p' "$file")
done < <(find plugins -name '*.hpp' -o -name '*.cpp' | sort)

if grep -rn '^#include "' include/landquota | grep -v '#include "landquota/'; then
    echo "include/landquota: the public API includes only itself"
    bad=1
fi

if [[ $bad -ne 0 ]]; then
    exit 1
fi
echo "check-layers: every include follows the stage order"
