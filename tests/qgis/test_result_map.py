#!/usr/bin/python3
"""The demo's result.gpkg and project.qgz in real QGIS (headless).

Usage: test_result_map.py <landquota binary> <job.toml> <artifact dir>

Runs the job into a temporary folder, then checks what a planner sees when opening the output
in QGIS: every layer valid and styled from the GeoPackage's layer_styles (not QGIS's default
single symbol), the renderer each layer needs, Chinese aliases for every field, labels, an SLD
that matches the QML, the project opening with every layer valid from a copy of the folder
(relative paths), and a rendering of the project kept as a PNG artifact.
"""
import os
import shutil
import sqlite3
import tomllib
import xml.etree.ElementTree as ET
import zipfile

from common import check, drawn_and_colours, has_cjk, main_with_qgis, render, run_job
from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtCore import Qt


def body(binary, job_file, artifacts, work):
    out = run_job(binary, job_file, work)
    with open(job_file, "rb") as f:
        job = tomllib.load(f)
    zone_names = [e["name"] for e in job["inputs"]["exclusions"]]
    check_layers(os.path.join(out, "result.gpkg"), zone_names)
    # The project must work from wherever the folder is copied to.
    moved = os.path.join(work, "moved")
    shutil.copytree(out, moved)
    shutil.rmtree(out)
    check_project(os.path.join(moved, "project.qgz"), artifacts)


def layer_names(gpkg):
    with sqlite3.connect(gpkg) as db:
        return [r[0] for r in db.execute(
            "SELECT table_name FROM gpkg_contents WHERE data_type = 'features' ORDER BY rowid")]


EXPECTED_RENDERER = {
    "parcels": "categorizedSymbol", "reclaimed": "singleSymbol", "sites": "graduatedSymbol",
    "flows": "singleSymbol", "villages": "graduatedSymbol", "townships": "singleSymbol",
    "zones": "singleSymbol", "regions": "singleSymbol", "exclusions": "categorizedSymbol",
    "resettlement": "singleSymbol",
}
OUTLINED = {"townships", "zones", "regions"}  # labelled boundaries, never opaque fills
LABELLED = {"townships", "zones", "regions", "sites", "flows", "villages"}


def check_layers(gpkg, zone_names):
    names = layer_names(gpkg)
    check(set(names) == set(EXPECTED_RENDERER), f"layers of result.gpkg: {names}")
    with sqlite3.connect(gpkg) as db:
        slds = dict(db.execute("SELECT f_table_name, styleSLD FROM layer_styles "
                               "WHERE useAsDefault = 1"))
        data_columns = {(t, c): n for t, c, n in db.execute(
            "SELECT table_name, column_name, name FROM gpkg_data_columns")}
    for name in names:
        layer = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
        check(layer.isValid(), f"{name}: not valid in QGIS")
        if not layer.isValid():
            continue
        # Without the stored style QGIS would draw a random single symbol: compare with that.
        options = QgsVectorLayer.LayerOptions()
        options.loadDefaultStyle = False
        plain = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr", options)
        check(plain.renderer().type() == "singleSymbol",
              f"{name}: plain renderer is {plain.renderer().type()}")
        renderer = layer.renderer()
        check(renderer.type() == EXPECTED_RENDERER[name],
              f"{name}: renderer {renderer.type()}, expected {EXPECTED_RENDERER[name]}")
        for field in layer.fields():
            if field.name() == "fid":
                continue
            alias = layer.attributeAlias(layer.fields().indexOf(field.name()))
            check(has_cjk(alias), f"{name}.{field.name()}: no Chinese alias (got {alias!r})")
            check(data_columns.get((name, field.name())) == alias,
                  f"{name}.{field.name()}: gpkg_data_columns disagrees with the style")
        check(layer.labelsEnabled() == (name in LABELLED), f"{name}: labels enabled?")
        check_renderer(name, layer, zone_names)
        check_sld(name, slds.get(name), renderer)


def check_renderer(name, layer, zone_names):
    renderer = layer.renderer()
    if name == "parcels":
        values = {c.value() for c in renderer.categories()}
        check(values == {"reclaimable", "excluded", "not_eligible", "outside"},
              f"parcels categories: {values}")
        check(renderer.classAttribute() == "status", "parcels classified by status")
        # Every parcel status in the data has a category (none falls through unstyled).
        statuses = {f["status"] for f in layer.getFeatures()}
        check(statuses <= values, f"parcel statuses without a category: {statuses - values}")
    if name == "villages":
        check(renderer.classAttribute() == "freed_mu", "villages graduated by freed_mu")
        top = max(r.upperValue() for r in renderer.ranges())
        biggest = max(f["freed_mu"] for f in layer.getFeatures())
        check(top >= biggest, f"villages: largest class ends at {top} < {biggest}")
        # Every village falls in a class.
        for f in layer.getFeatures():
            v = f["freed_mu"]
            check(any(r.lowerValue() <= v <= r.upperValue() for r in renderer.ranges()),
                  f"village {f['village_id']}: freed_mu {v} in no class")
        ranges = renderer.ranges()  # held: the symbols belong to these copies
        props = ranges[-1].symbol().symbolLayer(0).dataDefinedProperties()
        check("relocating" in props.property(4).expressionString(),
              "relocating villages are not marked by their outline")
    if name == "sites":
        check(renderer.classAttribute() == "fulfilment", "sites coloured by fulfilment")
        ranges = renderer.ranges()
        marker = ranges[0].symbol().symbolLayer(1)
        check(marker.layerType() == "CentroidFill", "sites have no marker")
        size = marker.subSymbol().symbolLayer(0).dataDefinedProperties().property(0)
        check(size.isActive() and "demand_mu" in size.expressionString(),
              "site markers are not sized by demand")
    if name == "flows":
        sl = renderer.symbol().symbolLayer(0)
        check(sl.layerType() == "ArrowLine", f"flows drawn as {sl.layerType()}, not arrows")
        width = sl.dataDefinedProperties().property(45)  # PropertyArrowWidth
        check(width.isActive() and "allocated_mu" in width.expressionString(),
              "flow width does not follow mu")
        check("allocated_mu" in layer.labeling().settings().fieldName, "flows not labelled in mu")
    if name in OUTLINED:
        brush = renderer.symbol().symbolLayer(0).brushStyle()
        check(brush == Qt.NoBrush, f"{name}: filled, would hide the layers below")
        check(layer.labeling().settings().fieldName == "name", f"{name}: not labelled by name")
    if name == "exclusions":
        values = [c.value() for c in renderer.categories()]
        check(values == zone_names, f"exclusion categories {values} != job's {zone_names}")
        zones = {f["zone"] for f in layer.getFeatures()}
        check(zones == set(zone_names), f"exclusion zones in the layer: {zones}")


def check_sld(name, sld, renderer):
    check(sld is not None, f"{name}: no SLD")
    if sld is None:
        return
    root = ET.fromstring(sld)
    se = "{http://www.opengis.net/se}"
    rules = [r for r in root.iter(se + "Rule") if r.find(se + "TextSymbolizer") is None]
    classes = (len(renderer.categories()) if renderer.type() == "categorizedSymbol" else
               len(renderer.ranges()) if renderer.type() == "graduatedSymbol" else 1)
    check(len(rules) == classes, f"{name}: SLD has {len(rules)} rules for {classes} classes")


def check_project(qgz, artifacts):
    with zipfile.ZipFile(qgz) as z:
        qgs = z.read("project.qgs").decode("utf-8")
    check("./result.gpkg|layername=" in qgs, "project paths are not relative")
    check(os.path.dirname(qgz) not in qgs, "project holds an absolute path")
    project = QgsProject.instance()
    check(project.read(qgz), f"QGIS cannot read {qgz}")
    layers = list(project.mapLayers().values())
    check(len(layers) == len(EXPECTED_RENDERER), f"project holds {len(layers)} layers")
    for layer in layers:
        check(layer.isValid(), f"project layer {layer.name()} is not valid")
    groups = [g.name() for g in project.layerTreeRoot().findGroups()]
    check(groups == ["分配", "约束", "结果"], f"project groups: {groups}")
    by_source = {l.source().split("layername=")[-1]: l for l in layers}
    for name, expected in EXPECTED_RENDERER.items():
        if name in by_source:
            check(by_source[name].renderer().type() == expected,
                  f"project layer {name}: renderer {by_source[name].renderer().type()}")

    # Render what the project shows (visible layers, in tree order) to a PNG.
    root = project.layerTreeRoot()
    visible = [n.layer() for n in root.findLayers() if n.isVisible()]
    check(len(visible) >= 8, f"only {len(visible)} layers visible")
    extent = project.viewSettings().defaultViewExtent()
    check(not extent.isEmpty(), "the project has no default view")
    villages = next(l for l in layers if l.source().endswith("layername=villages"))
    check(extent.contains(villages.extent()), "the default view does not show the county")
    png = os.path.join(artifacts, "result-map.png")
    # A map, not a blank page: a good share of the page is drawn, in many colours.
    drawn, colours, total = drawn_and_colours(render(project, visible, png, (1400, 1600), extent))
    check(drawn > total * 0.3, f"only {drawn}/{total} sampled pixels drawn")
    check(colours > 50, f"only {colours} colours in the map")
    print(f"rendered {png}: {drawn}/{total} pixels drawn, {colours} colours")


if __name__ == "__main__":
    main_with_qgis("lq-qgis-", body)
