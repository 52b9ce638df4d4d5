#!/usr/bin/python3
"""Generates the Jinhua (金华) sample: 40 townships with real names on synthetic geometry.

Run with Debian's interpreter (it has GDAL's bindings): /usr/bin/python3 generate.py
It writes jinhua.gpkg beside this file: townships (polygons of a jittered 8 x 5 grid laid
out roughly as the counties lie: 兰溪/婺城 west, 义乌/东阳 east, 武义/磐安 south), one village
per township and one farmland parcel per village (the run needs parcels; nothing is reclaimed
here: the sample is about the analyses). Indicators are synthetic and deterministic (fixed seed):
the 6 strong and 7 weak townships named in the seed article (人民日报 2023-03-26) are drawn
strong and weak.
"""
import os
import random

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "jinhua.gpkg")

# (name, county), north to south, west to east.
GRID = [
    [("诸葛镇", "兰溪市"), ("游埠镇", "兰溪市"), ("梅江镇", "兰溪市"), ("中余乡", "浦江县"),
     ("黄宅镇", "浦江县"), ("杭坪镇", "浦江县"), ("苏溪镇", "义乌市"), ("大陈镇", "义乌市")],
    [("柏社乡", "兰溪市"), ("汤溪镇", "婺城区"), ("罗店镇", "婺城区"), ("孝顺镇", "金东区"),
     ("傅村镇", "金东区"), ("上溪镇", "义乌市"), ("福田街道", "义乌市"), ("三单乡", "东阳市")],
    [("塔石乡", "婺城区"), ("白龙桥镇", "婺城区"), ("城东街道", "婺城区"), ("多湖街道", "金东区"),
     ("东孝街道", "金东区"), ("佛堂镇", "义乌市"), ("南马镇", "东阳市"), ("虎鹿镇", "东阳市")],
    [("岭上乡", "婺城区"), ("琅琊镇", "婺城区"), ("雅畈镇", "婺城区"), ("澧浦镇", "金东区"),
     ("赤松镇", "金东区"), ("横店镇", "东阳市"), ("安文街道", "磐安县"), ("新渥街道", "磐安县")],
    [("箬阳乡", "婺城区"), ("沙畈乡", "婺城区"), ("新宅镇", "武义县"), ("柳城畲族镇", "武义县"),
     ("芝英镇", "永康市"), ("古山镇", "永康市"), ("尖山镇", "磐安县"), ("冷水镇", "磐安县")],
]
STRONG = {"多湖街道", "横店镇", "福田街道", "上溪镇", "佛堂镇", "芝英镇"}
WEAK = {"新宅镇", "中余乡", "冷水镇", "安文街道", "新渥街道", "尖山镇", "琅琊镇"}

# 6 dimensions, 2 indicators each (the article names 党建基础, 资源禀赋, 产业现状 "等六大方面";
# the other three are this sample's assumption). WRJ (pollution) is lower-is-better.
INDICATORS = ["DJ1", "DJ2", "ZY1", "ZY2", "CY1", "CY2", "JJ1", "JJ2", "GG1", "GG2", "ST1", "WRJ"]
PROFILE = ["AGRI", "TOUR", "MANU", "COMM"]  # industry shares (%) for pairing

COLS, ROWS = 8, 5
X0, Y0 = 430000.0, 3170000.0  # EPSG:4549 (CGCS2000 / 3-degree GK CM 120E), Jinhua's area
CELL_X, CELL_Y = 17500.0, 18000.0


def main():
    rng = random.Random(20230326)
    # Shared, jittered grid vertices: neighbouring townships share their edges exactly.
    vx = {}
    for j in range(ROWS + 1):
        for i in range(COLS + 1):
            inner = 0 < i < COLS and 0 < j < ROWS
            dx = rng.uniform(-0.25, 0.25) * CELL_X if inner else 0.0
            dy = rng.uniform(-0.25, 0.25) * CELL_Y if inner else 0.0
            vx[(i, j)] = (X0 + i * CELL_X + dx, Y0 + (ROWS - j) * CELL_Y + dy)

    if os.path.exists(OUT):
        os.remove(OUT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    tw = ds.CreateLayer("townships", srs, ogr.wkbPolygon)
    for name in ["XZDM", "XZMC", "XSQ", "SHI"]:
        tw.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    for name in INDICATORS + PROFILE + ["POP"]:
        tw.CreateField(ogr.FieldDefn(name, ogr.OFTReal))
    vl = ds.CreateLayer("villages", srs, ogr.wkbPolygon)
    for name in ["CDM", "CMC", "XZDM", "SFBQ"]:
        vl.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    pl = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name in ["BSM", "DLBM", "ZLDWDM"]:
        pl.CreateField(ogr.FieldDefn(name, ogr.OFTString))

    for j, row in enumerate(GRID):
        for i, (name, county) in enumerate(row):
            code = "330700%03d" % (j * COLS + i + 1)
            ring = ogr.Geometry(ogr.wkbLinearRing)
            for corner in [(i, j + 1), (i + 1, j + 1), (i + 1, j), (i, j), (i, j + 1)]:
                ring.AddPoint_2D(*vx[corner])
            poly = ogr.Geometry(ogr.wkbPolygon)
            poly.AddGeometry(ring)
            base = 0.8 if name in STRONG else 0.15 if name in WEAK else rng.uniform(0.3, 0.65)
            f = ogr.Feature(tw.GetLayerDefn())
            f.SetField("XZDM", code)
            f.SetField("XZMC", name)
            f.SetField("XSQ", county)
            f.SetField("SHI", "金华市")
            for k in INDICATORS:
                v = max(0.0, min(1.0, base + rng.gauss(0, 0.08)))
                if k == "WRJ":
                    v = 1.0 - v if rng.random() < 0.5 else v * 0.6  # industry pollutes a bit
                f.SetField(k, round(100 * v, 2))
            mountain = name in WEAK or base < 0.35
            shares = [rng.uniform(20, 50) if mountain else rng.uniform(2, 15),  # AGRI
                      rng.uniform(10, 40),                                          # TOUR
                      rng.uniform(5, 20) if mountain else rng.uniform(30, 60),    # MANU
                      rng.uniform(5, 30)]                                           # COMM
            total = sum(shares)
            for k, s in zip(PROFILE, shares):
                f.SetField(k, round(100 * s / total, 2))
            f.SetField("POP", round(rng.uniform(8000, 20000) if mountain
                                    else rng.uniform(30000, 120000)))
            f.SetGeometry(poly)
            tw.CreateFeature(f)

            v = ogr.Feature(vl.GetLayerDefn())
            v.SetField("CDM", code + "001")
            v.SetField("CMC", name + "村")
            v.SetField("XZDM", code)
            v.SetField("SFBQ", "0")
            v.SetGeometry(poly)
            vl.CreateFeature(v)

            cx, cy = poly.Centroid().GetX(), poly.Centroid().GetY()
            sq = ogr.CreateGeometryFromWkt(
                "POLYGON((%f %f,%f %f,%f %f,%f %f,%f %f))" % (
                    cx - 50, cy - 50, cx + 50, cy - 50, cx + 50, cy + 50, cx - 50, cy + 50,
                    cx - 50, cy - 50))
            p = ogr.Feature(pl.GetLayerDefn())
            p.SetField("BSM", code + "0001")
            p.SetField("DLBM", "0101")
            p.SetField("ZLDWDM", code + "001")
            p.SetGeometry(sq)
            pl.CreateFeature(p)
    ds = None
    print(OUT)


if __name__ == "__main__":
    main()
