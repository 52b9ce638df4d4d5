#!/usr/bin/python3
"""Generates the Jiande (建德) sample: its 15 towns with real names on synthetic geometry.

Run with Debian's interpreter (it has GDAL's bindings): /usr/bin/python3 generate.py
It writes jiande.gpkg beside this file: townships (a jittered 5 x 3 grid, not the real
boundaries) in 4 cluster areas (片区) each with a lead town, in two regions, with a town type
(一镇一策) and synthetic indicators (fixed seed); one village and one farmland parcel per town
(every run reads parcels; nothing is reclaimed here). Same construction as ../jinhua/generate.py.
"""
import os
import random

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jiande.gpkg")

# The seed (001) names 梅城环三江口 (梅城 with 三都, 大洋, 杨村桥), 寿昌环航空小镇 and 大同稻香小镇
# among four cluster areas; the fourth (乾潭) and the members of the others are assumed.
CLUSTERS = {
    "三江口片区": ("东片", "梅城镇"),
    "乾潭片区": ("东片", "乾潭镇"),
    "航空小镇片区": ("西片", "寿昌镇"),
    "稻香小镇片区": ("西片", "大同镇"),
}
# (name, cluster), north to south, west to east.
GRID = [
    [("钦堂乡", "稻香小镇片区"), ("李家镇", "稻香小镇片区"), ("洋溪街道", "乾潭片区"),
     ("乾潭镇", "乾潭片区"), ("三都镇", "三江口片区")],
    [("大同镇", "稻香小镇片区"), ("更楼街道", "航空小镇片区"), ("新安江街道", "乾潭片区"),
     ("下涯镇", "乾潭片区"), ("梅城镇", "三江口片区")],
    [("大慈岩镇", "航空小镇片区"), ("寿昌镇", "航空小镇片区"), ("航头镇", "航空小镇片区"),
     ("杨村桥镇", "三江口片区"), ("大洋镇", "三江口片区")],
]
# 一镇一策: the seed's three types for its four model towns; the mapping is assumed.
TYPES = {"梅城镇": "副中心", "寿昌镇": "副中心", "乾潭镇": "文旅", "大洋镇": "农业"}
INDICATORS = ["GDP", "TAX", "YK", "LYSR", "NCP", "POP"]

COLS, ROWS = 5, 3
X0, Y0 = 370000.0, 3240000.0  # EPSG:4549; Jiande lies about 119.3°E, 29.5°N
CELL = 14000.0


def main():
    rng = random.Random(2020)
    vx = {}
    for j in range(ROWS + 1):
        for i in range(COLS + 1):
            inner = 0 < i < COLS and 0 < j < ROWS
            dx = rng.uniform(-0.2, 0.2) * CELL if inner else 0.0
            dy = rng.uniform(-0.2, 0.2) * CELL if inner else 0.0
            vx[(i, j)] = (X0 + i * CELL + dx, Y0 + (ROWS - j) * CELL + dy)
    if os.path.exists(OUT):
        os.remove(OUT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    tw = ds.CreateLayer("townships", srs, ogr.wkbPolygon)
    for name in ["XZDM", "XZMC", "PQ", "QY", "QTZ", "LX"]:
        tw.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for name in INDICATORS:
        tw.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    vl = ds.CreateLayer("villages", srs, ogr.wkbPolygon)
    for name in ["CDM", "CMC", "XZDM", "SFBQ"]:
        vl.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    pl = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name in ["BSM", "DLBM", "ZLDWDM"]:
        pl.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for j, row in enumerate(GRID):
        for i, (name, cluster) in enumerate(row):
            code = "330182%03d" % (j * COLS + i + 1)
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for c in [(i, j + 1), (i + 1, j + 1), (i + 1, j), (i, j), (i, j + 1)]:
                ring.AddPoint_2D(*vx[c])
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            region, lead = CLUSTERS[cluster]
            base = 0.8 if name in TYPES else rng.uniform(0.2, 0.6)
            f = ogr.Feature(tw.GetLayerDefn())
            for k, v in [("XZDM", code), ("XZMC", name), ("PQ", cluster), ("QY", region),
                         ("QTZ", "1" if name == lead else "0"), ("LX", TYPES.get(name, ""))]:
                f.SetField(k, v)
            for k in INDICATORS[:-1]:
                f.SetField(k, round(100 * max(0.0, min(1.0, base + rng.gauss(0, 0.1))), 2))
            f.SetField("POP", round(rng.uniform(15000, 40000) if name not in TYPES
                                    else rng.uniform(40000, 90000)))
            f.SetGeometry(poly)
            tw.CreateFeature(f)
            v = ogr.Feature(vl.GetLayerDefn())
            for k, val in [("CDM", code + "001"), ("CMC", name + "村"), ("XZDM", code),
                           ("SFBQ", "0")]:
                v.SetField(k, val)
            v.SetGeometry(poly)
            vl.CreateFeature(v)
            cx, cy = poly.Centroid().GetX(), poly.Centroid().GetY()
            p = ogr.Feature(pl.GetLayerDefn())
            for k, val in [("BSM", code + "0001"), ("DLBM", "0101"), ("ZLDWDM", code + "001")]:
                p.SetField(k, val)
            p.SetGeometry(ogr.CreateGeometryFromWkt(
                "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))" % (
                    cx - 50, cy - 50, cx + 50, cy - 50, cx + 50, cy + 50, cx - 50, cy + 50,
                    cx - 50, cy - 50)))
            pl.CreateFeature(p)
    ds = None
    print(OUT)


if __name__ == "__main__":
    main()
