#!/usr/bin/python3
"""The Jinhua sample's analysis layers in real QGIS (headless).

Usage: test_analysis_map.py <landquota binary> <job.toml> <artifact dir>

Runs the job, then checks that the analysis layers (index, pairs, regionalize) open valid and
styled from the GeoPackage's layer_styles with the renderer each needs, every field with a Chinese
alias, every feature in a class; that the project puts them in the 分析 group; and renders the
project to a PNG artifact (analysis-map.png) that must show a drawn map.
"""
import os

from common import check, check_aliases, drawn_and_colours, main_with_qgis, render, run_job
from qgis.core import QgsProject, QgsVectorLayer

EXPECTED = {"index": ("graduatedSymbol", "score"), "pairs": ("singleSymbol", None),
            "regionalize": ("categorizedSymbol", "cluster_id")}


def check_layers(gpkg):
    for name, (renderer_type, attribute) in EXPECTED.items():
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        check(layer.isValid(), f"{name}: not valid in QGIS")
        if not layer.isValid():
            continue
        r = layer.renderer()
        check(r.type() == renderer_type, f"{name}: renderer {r.type()}, expected {renderer_type}")
        check(layer.featureCount() > 0, f"{name}: no features")
        check_aliases(layer)
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
    png = os.path.join(artifacts, "analysis-map.png")
    drawn, colours, total = drawn_and_colours(render(project, visible, png))
    check(drawn > total * 0.3, f"only {drawn}/{total} sampled pixels drawn")
    check(colours > 20, f"only {colours} colours in the map")
    print(f"rendered {png}: {drawn}/{total} pixels drawn, {colours} colours")


def body(binary, job_file, artifacts, work):
    out = run_job(binary, job_file, work)
    check_layers(os.path.join(out, "result.gpkg"))
    check_project(os.path.join(out, "project.qgz"), artifacts)


if __name__ == "__main__":
    main_with_qgis("lq-qgis-analysis-", body)
