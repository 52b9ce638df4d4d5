#!/usr/bin/env bash
# The message catalogues are complete: regenerates the template from the sources with xgettext
# (the markers of src/core/translate.hpp: tr, trf, tr_later; and plugin_message of
# include/landquota/message.hpp for the built-in plugins) and fails when a message of the
# sources has no translation in a po/*.po (missing, empty or fuzzy), when a .po keeps a message
# the sources no longer have, when the .po does not compile, or when a translation's {}
# placeholders differ from the English, in kind or order (fmt fills them in order and would throw
# at run time on a mismatched format spec).
#   scripts/check-catalogue.sh            check (CTest "message-catalogue")
#   scripts/check-catalogue.sh --update   rewrite po/landquota.pot and merge it into po/*.po
set -euo pipefail
cd "$(dirname "$0")/.."

pot=$(mktemp --suffix=.pot)
log=$(mktemp)
trap 'rm -f "$pot" "$log"' EXIT
export LC_ALL=C.UTF-8 # xgettext reads and writes UTF-8 (m², ±, …) only in a UTF-8 locale
find src plugins include -name '*.cpp' -o -name '*.hpp' | LC_ALL=C sort |
    xgettext --files-from=- --language=C++ --from-code=UTF-8 --keyword= --keyword=tr \
        --keyword=trf --keyword=tr_later --keyword=plugin_message \
        --flag=tr:1:no-c-format --flag=trf:1:no-c-format --flag=tr_later:1:no-c-format --flag=plugin_message:1:no-c-format --add-comments=TRANSLATORS: --package-name=landquota \
        --no-wrap --sort-by-file --add-location=file -o "$pot" 2>"$log" ||
    { cat "$log" >&2; exit 1; } # its warnings about non-ASCII text (m², ±) are expected
if [[ ${1:-} == --update ]]; then
    cp "$pot" po/landquota.pot
    for po in po/*.po; do
        msgmerge --quiet --no-wrap --no-fuzzy-matching --update --backup=none "$po" "$pot"
        msgattrib --no-obsolete --no-wrap -o "$po" "$po"
    done
    exit 0
fi

bad=0
for po in po/*.po; do
    msgfmt --check -o /dev/null "$po" || bad=1
    /usr/bin/python3 - "$po" "$pot" <<'PY' || bad=1
import re, sys

def entries(path):
    """(msgid, msgstr, fuzzy, obsolete) per entry of a .po file; entries end at a blank line."""
    out, cur, key, fuzzy, obsolete = [], {}, None, False, False
    def flush():
        if cur.get("msgid"):
            out.append((cur["msgid"], cur.get("msgstr", ""), fuzzy, obsolete))
    for line in open(path, encoding="utf-8"):
        line = line.rstrip("\n")
        if not line.strip():
            flush()
            cur, key, fuzzy, obsolete = {}, None, False, False
            continue
        if line.startswith("#~"):
            obsolete, line = True, line[2:].lstrip()
        if line.startswith("#,") and "fuzzy" in line:
            fuzzy = True
        m = re.match(r'(msgid|msgstr)\s+"(.*)"$', line)
        if m:
            key = m.group(1)
            cur[key] = m.group(2)
        elif line.startswith('"') and key:
            cur[key] += line[1:-1]
    flush()
    return out

po, pot = sys.argv[1], sys.argv[2]
have = {e[0]: e for e in entries(po)}
wanted = [e[0] for e in entries(pot)]
bad = False
for msgid in wanted:
    e = have.get(msgid)
    if e is None or not e[1] or e[2] or e[3]:
        why = "missing" if e is None else "obsolete" if e[3] else "fuzzy" if e[2] else "empty"
        print(f"{po}: no translation ({why}) for: {msgid}")
        bad = True
placeholder = re.compile(r"\{[^{}]*\}")
for msgid, msgstr, fuzzy, obsolete in have.values():
    if obsolete or msgid not in wanted:
        print(f"{po}: obsolete entry, no longer in the sources: {msgid}")
        bad = True
    elif msgstr and placeholder.findall(msgid) != placeholder.findall(msgstr):
        print(f"{po}: placeholders differ from the English (in kind or order) in: {msgid}")
        bad = True
sys.exit(1 if bad else 0)
PY
done
exit $bad
