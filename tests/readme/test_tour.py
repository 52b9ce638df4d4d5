#!/usr/bin/env python3
"""The README's tour works literally (CTest "readme-tour").

In a scratch folder holding a copy of sample_maps/ and a link `build` to the build folder, runs
`make demo`'s recipe (read from the Makefile) and checks its output against the README's "It
prints" block (… matches anything); then runs every line of the tour's ```sh blocks in order,
each expected to exit 0 unless it ends with `# exit N`; then checks that every file the tour
names exists: `out/…`, `audit/`, `s01.geojson` in the scratch folder, `docs/…` and
`sample_maps/…` in the sources.
usage: test_tour.py SOURCE_DIR BUILD_DIR
"""
import glob
import os
import re
import shutil
import subprocess
import sys
import tempfile


def tour_section(readme):
    start = readme.index("## A five-minute tour")
    end = readme.index("\n## ", start + 1)
    return readme[start:end]


def sh_blocks(text):
    """The lines of each ```sh block, in order, unindented."""
    lines = []
    for m in re.finditer(r"^( *)```sh\n(.*?)^\1```", text, re.S | re.M):
        indent = len(m.group(1))
        lines += [l[indent:] for l in m.group(2).splitlines() if l.strip()]
    return lines


def printed_block(tour):
    m = re.search(r"It prints[^\n]*:\n\n```\n(.*?)```", tour, re.S)
    return m.group(1).splitlines()


def demo_commands(makefile):
    variables = dict(re.findall(r"^(\w+) *:= *(.*)$", makefile, re.M))
    recipe = re.search(r"^demo:.*\n((?:\t.*\n)+)", makefile, re.M).group(1)
    out = []
    for line in recipe.splitlines():
        line = line.strip().lstrip("@")
        out.append(re.sub(r"\$\((\w+)\)", lambda v: variables[v.group(1)], line))
    return out


def run(command, cwd):
    env = dict(os.environ, LANG="C.UTF-8", LC_ALL="C.UTF-8", LANDQUOTA_OPERATOR="tour")
    env.pop("LANGUAGE", None)
    return subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=900)


def main():
    source, build = sys.argv[1], sys.argv[2]
    readme = open(os.path.join(source, "README.md"), encoding="utf-8").read()
    tour = tour_section(readme)
    failures = []
    with tempfile.TemporaryDirectory(prefix="landquota-tour-") as scratch:
        # A copy: the job's ledger path (../../out) must land in the scratch folder.
        shutil.copytree(os.path.join(source, "sample_maps"), os.path.join(scratch, "sample_maps"))
        os.symlink(os.path.abspath(build), os.path.join(scratch, "build"))

        makefile = open(os.path.join(source, "Makefile"), encoding="utf-8").read()
        demo_out = ""
        for command in demo_commands(makefile):
            r = run(command, scratch)
            print(f"$ {command}  -> exit {r.returncode}")
            if r.returncode != 0:
                failures.append(f"make demo: `{command}` exited {r.returncode}: {r.stderr}")
            demo_out += r.stdout
        got = demo_out.splitlines()
        want = printed_block(tour)
        if len(got) != len(want):
            failures.append(f"make demo prints {len(got)} lines, the README shows {len(want)}")
        for g, w in zip(got, want):
            pattern = "^" + ".*".join(re.escape(part) for part in w.split("…")) + "$"
            if not re.match(pattern, g):
                failures.append(f"make demo prints\n  {g}\nthe README shows\n  {w}")

        steps = sh_blocks(tour)
        if len(steps) < 5:
            failures.append(f"the tour has only {len(steps)} commands in ```sh blocks")
        for line in steps:
            m = re.search(r"#\s*exit\s+(\d+)\s*$", line)
            expected = int(m.group(1)) if m else 0
            command = line[: m.start()].strip() if m else line
            r = run(command, scratch)
            print(f"$ {command}  -> exit {r.returncode} (README: {expected})")
            if r.returncode != expected:
                failures.append(f"`{command}` exited {r.returncode}, the README says "
                                f"{expected}:\n{r.stdout[-2000:]}{r.stderr[-2000:]}")

        named = set(re.findall(r"`((?:out|audit|docs|sample_maps)/[^`\s]*|s01\.geojson)`", tour))
        named |= set(re.findall(r"\]\((docs/[^)\s]+)\)", tour))
        for path in sorted(named):
            base = source if path.startswith(("docs/", "sample_maps/")) else scratch
            if not glob.glob(os.path.join(base, path)):
                failures.append(f"the tour names `{path}`, which does not exist")
        print(f"{len(steps)} commands, {len(named)} files named")

    for f in failures:
        print("FAIL:", f)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
