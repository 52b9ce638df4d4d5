#!/usr/bin/python3
"""The Quzhou sample's corridor layers in real QGIS (headless).

Usage: test_corridor_map.py <landquota binary> <job.toml> <artifact dir>

Runs the job, then checks that corridor_belts and corridor_routes open valid and styled from the
GeoPackage's layer_styles (belts categorised by corridor with a class for every feature, routes a
line symbol), every field with a Chinese alias; that the project puts them in the 约束 group; and
renders the project to a PNG artifact (corridor-map.png) in which the belt's orange shows.
"""
import os

from common import check, check_aliases, main_with_qgis, render, run_job
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtGui import QColor


def check_layers(gpkg):
    belts = QgsVectorLayer(f"{gpkg}|layername=corridor_belts", "belts", "ogr")
    routes = QgsVectorLayer(f"{gpkg}|layername=corridor_routes", "routes", "ogr")
    for layer in (belts, routes):
        check(layer.isValid(), f"{layer.name()}: not valid in QGIS")
        if not layer.isValid():
            return
        check(layer.featureCount() > 0, f"{layer.name()}: no features")
        check_aliases(layer)
    r = belts.renderer()
    check(r.type() == "categorizedSymbol", f"belts: renderer {r.type()}")
    if r.type() == "categorizedSymbol":
        check(r.classAttribute() == "corridor", f"belts: categorised on {r.classAttribute()}")
        values = {c.value() for c in r.categories()}
        data = {f["corridor"] for f in belts.getFeatures()}
        check(data <= values, f"belts: corridors without a category: {data - values}")
    check(belts.labelsEnabled(), "belts: not labelled")
    check(routes.renderer().type() == "singleSymbol", f"routes: {routes.renderer().type()}")
    check(routes.geometryType() == 1, "routes: not lines")  # QgsWkbTypes.LineGeometry


def check_project(qgz, artifacts):
    project = QgsProject.instance()
    check(project.read(qgz), f"QGIS cannot read {qgz}")
    group = project.layerTreeRoot().findGroup("约束")
    check(group is not None, "no 约束 group")
    if group is None:
        return
    names = {n.layer().source().split("layername=")[-1] for n in group.findLayers()}
    check({"corridor_belts", "corridor_routes"} <= names, f"约束 group holds {sorted(names)}")
    visible = [n.layer() for n in project.layerTreeRoot().findLayers() if n.isVisible()]
    png = os.path.join(artifacts, "corridor-map.png")
    image = render(project, visible, png)
    # The route's orange (200, 110, 20) must be drawn somewhere.
    orange = 0
    for y in range(0, image.height(), 2):
        for x in range(0, image.width(), 2):
            c = QColor(image.pixel(x, y))
            orange += abs(c.red() - 200) < 30 and abs(c.green() - 110) < 30 and c.blue() < 60
    check(orange > 100, f"only {orange} sampled pixels of the route's orange")
    print(f"rendered {png}: {orange} orange pixels sampled")


def body(binary, job_file, artifacts, work):
    out = run_job(binary, job_file, work)
    check_layers(os.path.join(out, "result.gpkg"))
    check_project(os.path.join(out, "project.qgz"), artifacts)


if __name__ == "__main__":
    main_with_qgis("lq-qgis-corridor-", body)
