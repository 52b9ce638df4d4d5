#!/usr/bin/python3
"""Renders the Wuyi sample county (sample_maps/wuyi/wuyi.gpkg) to a PNG with headless QGIS.

    QT_QPA_PLATFORM=offscreen /usr/bin/python3 scripts/render-sample.py [GPKG] [PNG]

Defaults: sample_maps/wuyi/wuyi.gpkg -> docs/sample-wuyi.png. The left panel is the whole county,
the right one a close-up of a relocating village (its settlement, fields, roads, farmland, red
line and resettlement site), so that both the layout and the parcels can be seen.
"""
import os
import shutil
import sys
import tempfile

from qgis.core import (QgsApplication, QgsCategorizedSymbolRenderer, QgsFillSymbol,
                       QgsLineSymbol, QgsMapRendererParallelJob, QgsMapSettings,
                       QgsRectangle, QgsRendererCategory, QgsVectorLayer)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor, QImage, QPainter

root = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
gpkg = sys.argv[1] if len(sys.argv) > 1 else os.path.join(root, "sample_maps/wuyi/wuyi.gpkg")
png = sys.argv[2] if len(sys.argv) > 2 else os.path.join(root, "docs/sample-wuyi.png")

# QGIS may switch a GeoPackage it opens to WAL journaling, which rewrites the file's header: render
# from a copy so that the committed, byte-for-byte reproducible sample stays untouched.
work = tempfile.mkdtemp(prefix="render-sample-")
gpkg = shutil.copy(gpkg, os.path.join(work, "sample.gpkg"))

app = QgsApplication([], False)
app.initQgis()

# Land use by the first two digits of DLBM (GB/T 21010), in the usual survey map colours.
COLOURS = {"01": "#f5e6a0", "02": "#b9d98a", "03": "#3f8f4f", "04": "#cfe6b0", "06": "#9e7bc4",
           "07": "#e0533a", "08": "#f59b5f", "10": "#8c8c8c", "11": "#5b9bd5", "12": "#d9d9d9"}


def layer(name, subset=None):
    uri = f"{gpkg}|layername={name}"
    lyr = QgsVectorLayer(uri, name, "ogr")
    if not lyr.isValid():
        sys.exit(f"render-sample: cannot open layer {name} of {gpkg}")
    if subset:
        lyr.setSubsetString(subset)
    return lyr


def outline(lyr, colour, width, fill="0,0,0,0"):
    lyr.setRenderer(lyr.renderer().clone())
    lyr.renderer().setSymbol(QgsFillSymbol.createSimple(
        {"color": fill, "outline_color": colour, "outline_width": str(width)}))
    return lyr


def line(lyr, colour, width):
    lyr.renderer().setSymbol(QgsLineSymbol.createSimple(
        {"color": colour, "width": str(width), "capstyle": "round"}))
    return lyr


parcels = layer("parcels")
categories = [QgsRendererCategory(k, QgsFillSymbol.createSimple(
    {"color": c, "outline_color": "0,0,0,50", "outline_width": "0.05"}), k)
    for k, c in COLOURS.items()]
parcels.setRenderer(QgsCategorizedSymbolRenderer('substr("DLBM", 1, 2)', categories))

layers = [  # top first
    outline(layer("sites"), "#1f3fbf", 0.6, "31,63,191,100"),
    outline(layer("resettlement"), "#c000c0", 0.5, "192,0,192,90"),
    outline(layer("redline"), "#d00000", 0.6, "208,0,0,40"),
    outline(layer("farmland"), "#b08000", 0.15),
    line(layer("roads"), "#555555", 0.7),
    line(layer("rivers"), "#2f74c0", 0.9),
    outline(layer("townships"), "#000000", 0.6),
    outline(layer("villages"), "#303030", 0.2),
    parcels,
]


def render(extent, size):
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(parcels.crs())
    settings.setBackgroundColor(QColor("white"))
    settings.setOutputSize(size)
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    return job.renderedImage()


def focus_point(village):
    """The middle of the village's homesteads (its settlement)."""
    homes = [p.geometry() for p in parcels.getFeatures() if p["DLBM"] == "0702"
             and village.contains(p.geometry().pointOnSurface())]
    xs = [h.centroid().asPoint().x() for h in homes]
    ys = [h.centroid().asPoint().y() for h in homes]
    return type(village.centroid().asPoint())(sum(xs) / len(xs), sum(ys) / len(ys))


county = layer("townships").extent()
county.scale(1.02)
# Close-up: a relocating village cut by the red line (else the largest relocating village).
villages = layer("villages", "\"RELOCATE\" = 1")
best = max(villages.getFeatures(), key=lambda f: f.geometry().area())
focus = None
for f in layer("redline").getFeatures():
    for v in villages.getFeatures():
        if f.geometry().intersects(v.geometry()):
            focus = v
            break
    if focus:
        break
centre = focus_point((focus or best).geometry())
zoom = QgsRectangle(centre.x() - 700, centre.y() - 700, centre.x() + 700, centre.y() + 700)

left = render(county, QSize(1000, int(1000 * county.height() / county.width())))
right = render(zoom, QSize(left.height(), left.height()))
image = QImage(left.width() + right.width() + 20, left.height(), QImage.Format_ARGB32)
image.fill(QColor("white"))
painter = QPainter(image)
painter.drawImage(0, 0, left)
painter.drawImage(left.width() + 20, 0, right)
painter.end()
if not image.save(png):
    sys.exit(f"render-sample: cannot write {png}")
print(f"render-sample: wrote {png} ({image.width()} x {image.height()})")
app.exitQgis()
shutil.rmtree(work)
