"""What the QGIS tests share: running the job, a headless QGIS, checks that collect failures, and
rendering a project to a PNG. Imported by the test_*.py beside it (run with /usr/bin/python3)."""
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

failures = []


def check(condition, message):
    """Records a failure and goes on, so one run lists every problem."""
    if not condition:
        failures.append(message)
        print("FAIL:", message)


def has_cjk(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def check_aliases(layer):
    """Every field but the key has a Chinese alias."""
    for field in layer.fields():
        if field.name() == "fid":
            continue
        alias = layer.attributeAlias(layer.fields().indexOf(field.name()))
        check(has_cjk(alias), f"{layer.name()}.{field.name()}: no Chinese alias ({alias!r})")


def run_job(binary, job_file, work):
    """Runs the job into work/out with its own ledger in work, so the sample's folder and its
    default ledger are never touched; returns the output folder."""
    out = os.path.join(work, "out")
    subprocess.run([binary, "run", job_file, "--out", out, "--ledger",
                    os.path.join(work, "ledger.sqlite")], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return out


def render(project, layers, png, size=(1400, 1000), extent=None):
    """Renders `layers` of the project (its CRS, its default view unless `extent`) to a PNG on
    white; returns the image."""
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(*size))
    settings.setExtent(extent if extent is not None else project.viewSettings().defaultViewExtent())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    check(image.save(png), f"cannot save {png}")
    return image


def drawn_and_colours(image, step=4):
    """Sampled pixels that are not white, the distinct colours sampled, and the pixels sampled."""
    drawn, colours = 0, set()
    white = QColor(255, 255, 255).rgb()
    for y in range(0, image.height(), step):
        for x in range(0, image.width(), step):
            c = image.pixel(x, y)
            colours.add(c)
            drawn += c != white
    return drawn, len(colours), (image.height() // step) * (image.width() // step)


def main_with_qgis(prefix, body):
    """The scripts' main: argv is <landquota binary> <job.toml> <artifact dir>; runs
    body(binary, job_file, artifacts, work) inside an initialised QGIS, then exits 1 on any
    failure."""
    binary, job_file, artifacts = sys.argv[1:4]
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix=prefix)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        body(binary, job_file, artifacts, work)
    finally:
        app.exitQgis()
        shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")
