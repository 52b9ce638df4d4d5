#!/usr/bin/python3
"""The Jinhua sample's analysis layers in real QGIS (headless).

Usage: test_analysis_map.py <landquota binary> <job.toml> <artifact dir>

Runs the job, then checks that the analysis layers (index, pairs, regionalize) open valid and
styled from the GeoPackage's layer_styles with the renderer each needs, every field with a Chinese
alias, every feature in a class; that the project puts them in the 分析 group; and renders the
project to a PNG artifact (analysis-map.png) that must show a drawn map.
"""
import os
import shutil
import subprocess
import sys
import tempfile

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from qgis.core import (QgsApplication, QgsMapRendererSequentialJob, QgsMapSettings,
                       QgsProject, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor

failures = []


def check(condition, message):
    if not condition:
        failures.append(message)
        print("FAIL:", message)


EXPECTED = {"index": ("graduatedSymbol", "score"), "pairs": ("singleSymbol", None),
            "regionalize": ("categorizedSymbol", "cluster_id")}


def has_cjk(text):
    return any("\u4e00" <= c <= "\u9fff" for c in text)


def check_layers(gpkg):
    for name, (renderer_type, attribute) in EXPECTED.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        check(layer.isValid(), f"{name}: not valid in QGIS")
        if not layer.isValid():
            continue
        r = layer.renderer()
        check(r.type() == renderer_type, f"{name}: renderer {r.type()}, expected {renderer_type}")
        check(layer.featureCount() > 0, f"{name}: no features")
        for field in layer.fields():
            if field.name() == "fid":
                continue
            alias = layer.attributeAlias(layer.fields().indexOf(field.name()))
            check(has_cjk(alias), f"{name}.{field.name()}: no Chinese alias ({alias!r})")
        check(layer.labelsEnabled(), f"{name}: not labelled")
        if r.type() == "graduatedSymbol":
            check(r.classAttribute() == attribute, f"{name}: graduated on {r.classAttribute()}")
            for f in layer.getFeatures():
                v = f[attribute]
                check(any(x.lowerValue() <= v <= x.upperValue() for x in r.ranges()),
                      f"{name}: {attribute} {v} in no class")
        if r.type() == "categorizedSymbol":
            check(r.classAttribute() == attribute, f"{name}: categorised on {r.classAttribute()}")
            values = {c.value() for c in r.categories()}
            data = {f[attribute] for f in layer.getFeatures()}
            check(data <= values, f"{name}: values without a category: {data - values}")


def check_project(qgz, artifacts):
    project = QgsProject.instance()
    check(project.read(qgz), f"QGIS cannot read {qgz}")
    groups = [g.name() for g in project.layerTreeRoot().findGroups()]
    check(groups and groups[0] == "分析", f"project groups: {groups}")
    analysis = project.layerTreeRoot().findGroup("分析")
    names = sorted(n.layer().source().split("layername=")[-1] for n in analysis.findLayers())
    check(names == sorted(EXPECTED), f"分析 group holds {names}")
    visible = [n.layer() for n in project.layerTreeRoot().findLayers() if n.isVisible()]
    settings = QgsMapSettings()
    settings.setLayers(visible)
    settings.setDestinationCrs(project.crs())
    settings.setBackgroundColor(QColor(255, 255, 255))
    settings.setOutputSize(QSize(1400, 1000))
    settings.setExtent(project.viewSettings().defaultViewExtent())
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    png = os.path.join(artifacts, "analysis-map.png")
    check(image.save(png), f"cannot save {png}")
    drawn, colours = 0, set()
    for y in range(0, image.height(), 4):
        for x in range(0, image.width(), 4):
            c = image.pixel(x, y)
            colours.add(c)
            drawn += c != QColor(255, 255, 255).rgb()
    total = (image.height() // 4) * (image.width() // 4)
    check(drawn > total * 0.3, f"only {drawn}/{total} sampled pixels drawn")
    check(len(colours) > 20, f"only {len(colours)} colours in the map")
    print(f"rendered {png}: {drawn}/{total} pixels drawn, {len(colours)} colours")


def main():
    binary, job_file, artifacts = sys.argv[1:4]
    os.makedirs(artifacts, exist_ok=True)
    work = tempfile.mkdtemp(prefix="lq-qgis-analysis-")
    out = os.path.join(work, "out")
    subprocess.run([binary, "run", job_file, "--out", out], check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    app = QgsApplication([], False)
    app.initQgis()
    try:
        check_layers(os.path.join(out, "result.gpkg"))
        check_project(os.path.join(out, "project.qgz"), artifacts)
    finally:
        app.exitQgis()
    shutil.rmtree(work, ignore_errors=True)
    if failures:
        print(f"{len(failures)} failure(s)")
        sys.exit(1)
    print("ok")


if __name__ == "__main__":
    main()
