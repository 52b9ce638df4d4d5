#!/usr/bin/python3
"""Generates the Quzhou (衢州) sample: its six counties with real names on synthetic geometry,
and a river route of about 280 km with a 3 km belt each side (诗画风光带, seed 002).

Run with Debian's interpreter (it has GDAL's bindings): /usr/bin/python3 generate.py
It writes quzhou.gpkg beside this file (EPSG:4549):
- townships: 4 per county (a 2 x 2 split of the county's cell, inner corners jittered), region =
  the county (柯城区, 衢江区, 江山市, 常山县, 开化县, 龙游县), zone = the county too;
- villages: 4 per township, a quarter of them relocating (fixed seed);
- parcels: in every village 6 homesteads (0702, 30-60 m square) at random places and one paddy;
- sites: six industrial sites (建新区) asking for 370 mu in all, more than the 360 mu freed:
  the two central districts (柯城区, 衢江区) ask most, 开化县 (an ecological county) asks none;
- river: the main stream (常山港-衢江, west to east through 开化, 常山, 柯城, 衢江, 龙游) and
  江山港 (from 江山 north to the main stream), meandering; about 280 km together.
The county cells are not the real boundaries: 开化, 常山, 柯城, 衢江, 龙游 lie west to east along
the river, 江山 south of 常山 and 柯城.
"""
import math
import os
import random

from osgeo import ogr, osr

HERE = os.path.dirname(os.path.abspath(__file__))
OUT = os.path.join(HERE, "quzhou.gpkg")

X0, Y0 = 425000.0, 3180000.0  # EPSG:4549 (CM 120°E), the city centred near it (lengths within 1:14 000)
W, H = 30000.0, 36000.0        # a county cell
# (name, code, column, row): row 0 is the river's row, row 1 south of it.
COUNTIES = [
    ("开化县", "330824", 0, 0, 1),
    ("常山县", "330822", 1, 0, 1),
    ("柯城区", "330802", 2, 0, 1),
    ("衢江区", "330803", 3, 0, 1),
    ("龙游县", "330825", 4, 0, 1),
    ("江山市", "330881", 1, 1, 2),  # two cells wide, south of 常山 and 柯城
]
TOWNSHIP_SUFFIX = ["甲镇", "乙镇", "丙乡", "丁乡"]
# (id, name, county, demand in mu, priority (1 = a city-level major project), tax per mu in 万元,
# where in the county's cell (fractions of its width and height from its north-west corner)).
SITES = [
    ("QZ01", "智造新城一期", "柯城区", 120, 1, 42.0, 0.30, 0.30),
    ("QZ02", "柯城科创园", "柯城区", 60, 2, 35.0, 0.70, 0.70),
    ("QZ03", "衢江经济开发区", "衢江区", 100, 2, 30.0, 0.40, 0.30),
    ("QZ04", "龙游工业园", "龙游县", 40, 2, 28.0, 0.60, 0.40),
    ("QZ05", "江山经济开发区", "江山市", 30, 3, 26.0, 0.40, 0.40),
    ("QZ06", "常山工业园", "常山县", 20, 3, 22.0, 0.50, 0.70),
]


def ring(points):
    r = ogr.Geometry(ogr.wkbLinearRing)
    for x, y in points + [points[0]]:
        r.AddPoint_2D(x, y)
    p = ogr.Geometry(ogr.wkbPolygon)
    p.AddGeometry(r)
    return p


def square(cx, cy, half):
    return ring([(cx - half, cy - half), (cx + half, cy - half), (cx + half, cy + half),
                 (cx - half, cy + half)])


def meander(points, amplitude, wavelength, step=200.0):
    """A line through `points` with a sine meander across each leg."""
    line = ogr.Geometry(ogr.wkbLineString)
    for (xa, ya), (xb, yb) in zip(points, points[1:]):
        length = math.hypot(xb - xa, yb - ya)
        ux, uy = (xb - xa) / length, (yb - ya) / length
        n = int(length // step)
        for k in range(n + (1 if (xb, yb) == points[-1] else 0)):
            t = k * length / n
            off = amplitude * math.sin(2 * math.pi * t / wavelength)
            line.AddPoint_2D(xa + ux * t - uy * off, ya + uy * t + ux * off)
    return line


def main():
    rng = random.Random(2018)
    if os.path.exists(OUT):
        os.remove(OUT)
    srs = osr.SpatialReference()
    srs.ImportFromEPSG(4549)
    ds = ogr.GetDriverByName("GPKG").CreateDataSource(OUT)
    tw = ds.CreateLayer("townships", srs, ogr.wkbPolygon)
    for name in ["XZDM", "XZMC", "PQ", "XQ"]:
        tw.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    vl = ds.CreateLayer("villages", srs, ogr.wkbPolygon)
    for name in ["CDM", "CMC", "XZDM", "SFBQ"]:
        vl.CreateField(ogr.FieldDefn(name, ogr.OFTString))
    pl = ds.CreateLayer("parcels", srs, ogr.wkbPolygon)
    for name in ["BSM", "DLBM", "ZLDWDM"]:
        pl.CreateField(ogr.FieldDefn(name, ogr.OFTString))

    for county, code, col, row, width in COUNTIES:
        x0 = X0 + col * W
        y1 = Y0 - row * H  # top edge; the river's row is the northern one
        cw = W * width
        # 2 x 2 townships, the inner corner jittered.
        mx = x0 + cw / 2 + rng.uniform(-0.15, 0.15) * cw
        my = y1 - H / 2 + rng.uniform(-0.15, 0.15) * H
        cells = [(x0, mx, my, y1), (mx, x0 + cw, my, y1), (x0, mx, y1 - H, my),
                 (mx, x0 + cw, y1 - H, my)]
        for t, (ax, bx, ay, by) in enumerate(cells):
            tcode = "%s%03d" % (code, t + 1)
            f = ogr.Feature(tw.GetLayerDefn())
            for k, v in [("XZDM", tcode), ("XZMC", county + TOWNSHIP_SUFFIX[t]), ("PQ", county),
                         ("XQ", county)]:
                f.SetField(k, v)
            f.SetGeometry(ring([(ax, ay), (bx, ay), (bx, by), (ax, by)]))
            tw.CreateFeature(f)
            # 2 x 2 villages in each township.
            vx, vy = (ax + bx) / 2, (ay + by) / 2
            for v, (cx0, cx1, cy0, cy1) in enumerate(
                    [(ax, vx, vy, by), (vx, bx, vy, by), (ax, vx, ay, vy), (vx, bx, ay, vy)]):
                vcode = "%s%03d" % (tcode, v + 1)
                relocating = rng.random() < 0.25
                g = ogr.Feature(vl.GetLayerDefn())
                for k, val in [("CDM", vcode), ("CMC", "%s%d村" % (county + TOWNSHIP_SUFFIX[t], v + 1)),
                               ("XZDM", tcode), ("SFBQ", "1" if relocating else "0")]:
                    g.SetField(k, val)
                g.SetGeometry(ring([(cx0, cy0), (cx1, cy0), (cx1, cy1), (cx0, cy1)]))
                vl.CreateFeature(g)
                # 7 distinct slots of a 10 x 10 grid over the village: parcels never overlap.
                sx, sy = (cx1 - cx0) / 10, (cy1 - cy0) / 10
                for p, slot in enumerate(rng.sample(range(100), 7)):
                    half = rng.uniform(15, 30) if p < 6 else 50
                    cx = cx0 + (slot % 10 + 0.5) * sx
                    cy = cy0 + (slot // 10 + 0.5) * sy
                    h = ogr.Feature(pl.GetLayerDefn())
                    for k, val in [("BSM", "%s%04d" % (vcode, p + 1)),
                                   ("DLBM", "0702" if p < 6 else "0101"), ("ZLDWDM", vcode)]:
                        h.SetField(k, val)
                    h.SetGeometry(square(cx, cy, half))
                    pl.CreateFeature(h)

    st = ds.CreateLayer("sites", srs, ogr.wkbPolygon)
    for name, kind in [("XMDM", ogr.OFTString), ("XMMC", ogr.OFTString), ("XQMJ", ogr.OFTReal),
                       ("YXJ", ogr.OFTInteger), ("MJSS", ogr.OFTReal)]:
        st.CreateField(ogr.FieldDefn(name, kind))
    cells = {c[0]: c for c in COUNTIES}
    for sid, name, county, mu, priority, tax, fx, fy in SITES:
        _, _, col, row, width = cells[county]
        cx = X0 + col * W + fx * W * width
        cy = Y0 - row * H - fy * H
        side = math.sqrt(mu * 10000.0 / 15.0)  # the site's own area: its demand in mu, as a square
        f = ogr.Feature(st.GetLayerDefn())
        for k, v in [("XMDM", sid), ("XMMC", name), ("XQMJ", mu), ("YXJ", priority), ("MJSS", tax)]:
            f.SetField(k, v)
        f.SetGeometry(square(cx, cy, side / 2))
        st.CreateFeature(f)

    rv = ds.CreateLayer("river", srs, ogr.wkbLineString)
    rv.CreateField(ogr.FieldDefn("MC", ogr.OFTString))
    # The main stream along the middle of the northern row, west to east.
    main_y = Y0 - H / 2
    streams = [
        ("常山港-衢江", [(X0 + 2000, main_y + 6000), (X0 + 5 * W - 2000, main_y - 4000)], 3500.0, 16000.0),
        ("江山港", [(X0 + 2 * W - 4000, Y0 - 2 * H + 3000), (X0 + 2 * W + 1500, main_y)], 3300.0, 12000.0),
    ]
    for name, pts, amplitude, wavelength in streams:
        f = ogr.Feature(rv.GetLayerDefn())
        f.SetField("MC", name)
        f.SetGeometry(meander(pts, amplitude, wavelength))
        rv.CreateFeature(f)
        print(name, round(f.GetGeometryRef().Length() / 1000, 1), "km (planar)")
    ds = None
    print(OUT)


if __name__ == "__main__":
    main()
