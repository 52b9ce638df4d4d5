#!/usr/bin/env python3
"""User-facing literals are marked for translation (src/core/translate.hpp: tr, trf, tr_later).

Flags a string literal that is not inside a marker when it is
  - the message of an Error: Error(Stage::X, "…"), also through fmt::format("…") or std::string("…");
  - text (with a space) where a finding is made (Finding{…}, finding(…), log.add(…)): the check
    code and field names have none;
  - in src/cli/, words printed with << or made with fmt::format("…") (with a space or a newline,
    so a file name pattern is not taken for a message): the summary and the messages.
Run by CTest ("message-markers") on the folders listed in ENFORCED; a folder joins the list when
its messages are marked and translated (docs/architecture.md, "Messages and their translations").
"""
import pathlib
import re
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
ENFORCED = [
    "src/cli",
    "src/pipeline",
    "src/run",
    "src/core",
    "src/plugins",
    "src/geo",
    "src/io",
    "src/publish",
    "src/ledger",
    "plugins",
    "include/landquota",
]
MARKERS = ("tr(", "trf(", "tr_later(", "plugin_message(")
ERROR_CALL = re.compile(r"Error\(\s*Stage::\w+\s*,\s*(fmt::format\(\s*|std::string\(\s*)?$")
# A plugin's user error (landquota/message.hpp): PluginError(plugin_message("…")), never plain text.
PLUGIN_ERROR_CALL = re.compile(r"(invalid_argument|PluginError)\(\s*(std::string\(\s*)?$")
# A job-file error (pipeline/job_table.hpp): fail("…") or fail(fmt::format("…")).
JOB_FAIL_CALL = re.compile(r"\bfail\(\s*(fmt::format\(\s*|std::string\(\s*)?$")
PRINT_CALL = re.compile(r"(<<|fmt::format\()\s*$")


def literals(text):
    """(start, end, value, code_before) of each string literal; comments and chars skipped."""
    out, code, i, n = [], [], 0, len(text)
    while i < n:
        c = text[i]
        if text.startswith("//", i):
            i = text.find("\n", i)
            i = n if i < 0 else i
        elif text.startswith("/*", i):
            i = text.find("*/", i) + 2
        elif c == "'":
            j = i + 1
            while text[j] != "'":
                j += 2 if text[j] == "\\" else 1
            i = j + 1
            code.append("'c'")
        elif c == '"' or (c == "R" and text.startswith('R"', i)):
            if c == "R":
                delim = text[i + 2 : text.index("(", i)]
                end = text.index(")" + delim + '"', i) + len(delim) + 2
                out.append((i, end, text[i:end], "".join(code)))
                i = end
            else:
                j = i + 1
                while text[j] != '"':
                    j += 2 if text[j] == "\\" else 1
                out.append((i, j + 1, text[i + 1 : j], "".join(code)))
                i = j + 1
            code.append('""')
        else:
            code.append(c)
            i += 1
    return out


def finding_spans(text):
    """Where findings and job problems are made: Finding{…}, finding(…), log.add(…), problems.add(…)…"""
    spans = []
    for m in re.finditer(r"\bFinding\{|\bfinding\(|\b(log|findings|problems)\.add\(|\bnotes\.push_back\(", text):
        depth, j = 1, m.end()
        while depth and j < len(text):
            depth += {"{": 1, "(": 1, "}": -1, ")": -1}.get(text[j], 0)
            j += 1
        spans.append((m.end(), j))
    return spans


def words(value):
    """Text with a space and a word in it, placeholders aside: "[{}] {}: {}" is no message."""
    return " " in value and re.search(r"[A-Za-z]{2}", re.sub(r"\{[^{}]*\}", "", value))


def check(path, in_cli):
    return check_text(path.read_text(encoding="utf-8"), str(path.relative_to(ROOT)), in_cli)


def check_text(text, name, in_cli):
    spans = finding_spans(text)
    problems, marked_prev = [], False
    for start, end, value, before in literals(text):
        tail = before.rstrip()
        if tail.endswith('""'):  # "a" "b": a continuation has its first part's status
            marked = marked_prev
        else:
            marked = tail.endswith(MARKERS)
        marked_prev = marked
        if marked or tail.endswith('""'):
            continue
        line = text.count("\n", 0, start) + 1
        why = None
        if ERROR_CALL.search(tail):
            # An internal error is a bug report for the developers: it stays English.
            statement = text[start : text.find(";", end) if text.find(";", end) >= 0 else len(text)]
            why = None if "Error::Kind::Internal" in statement else "Error message"
        elif PLUGIN_ERROR_CALL.search(tail):
            why = "Plugin error"
        elif JOB_FAIL_CALL.search(tail):
            why = "Job-file error"
        elif words(value) and any(a <= start < b for a, b in spans):
            why = "Finding text"
        elif in_cli and PRINT_CALL.search(tail) and re.search(r"[A-Za-z]{2}", value) and (
            " " in value or "\\n" in value
        ):
            why = "printed text"
        if why:
            problems.append(f"{name}:{line}: {why} not marked for translation: \"{value[:60]}\"")
    return problems


# The checker itself: each unmarked sample must be found, each marked or non-message one not.
SELF_TEST = [
    ('throw Error(Stage::Job, "no such key");', 1),
    ('throw Error(Stage::Job, fmt::format("{}: no such key", f));', 1),
    ('throw Error(Stage::Job, trf("{}: no such key", f));', 0),
    ('throw Error(Stage::Ledger, "session already committed", Error::Kind::Internal);', 0),
    ('log.add(Finding{S::Error, "duplicate_id", f, "", "BSM", "id is used twice"});', 1),
    ('log.add(Finding{S::Error, "duplicate_id", f, "", "BSM", tr("id is used twice")});', 0),
    ('log.add(Finding{S::Error, "duplicate_id", f, "", "BSM", fmt::format("[{}] {}", a, b)});', 0),
    ('std::cout << "allocated nothing\\n"; // "a comment with words"', 1),
    ('std::cout << tr("allocated nothing\\n") << fmt::format("{}-{}", a, b);', 0),
    ('std::cout << tr("first part "\n "second part");', 0),
    ('throw std::invalid_argument("option \'x\' must be above 0");', 1),
    ('throw PluginError(plugin_message("option \'{}\' must be above 0", name));', 0),
    ('r.notes.push_back("site " + id + " short of " + m2);', 2),
    ('r.notes.push_back(plugin_message("site {} short of {}", id, m2));', 0),
    ('r.fail(fmt::format("key \'{}\' must be a table", key));', 1),
    ('r.fail(trf("key \'{}\' must be a table", key));', 0),
]


def main():
    for sample, expected in SELF_TEST:
        found = len(check_text(sample, "self-test", True))
        if found != expected:
            print(f"check-messages.py is broken: {found} problems in {sample!r}, not {expected}")
            return 2
    problems = []
    for folder in ENFORCED:
        for path in sorted((ROOT / folder).rglob("*.[ch]pp")):
            problems += check(path, folder == "src/cli")
    for p in problems:
        print(p)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
