#include "catalogue.hpp"
#include "mini_county.hpp"
#include "real_cadastre.hpp"
#include "run/run.hpp"

#include <cpl_error.h>
#include <cstdlib>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <ogrsf_frmts.h>
#include <sqlite3.h>
#include <stdexcept>

namespace landquota::test::catalogue {

namespace {

// The five communes of the real cadastre as one GeoPackage of paddy parcels (nothing is
// reclaimable, so the good run is quick and clean) with the communes' hulls as villages.
void write_cadastre(const fs::path& dir) {
    init_gdal();
    const fs::path data = real_data();
    if (!fs::exists(data))
        throw std::runtime_error("shared/realdata is missing (set LANDQUOTA_SHARED): " +
                                 data.string());
    const fs::path gpkg = dir / "cadastre.gpkg";
    for (const auto& e : fs::directory_iterator(data)) {
        if (e.path().extension() != ".json")
            continue;
        ogr2ogr(gpkg, e.path().string(),
                {"-f", "GPKG", "-nln", "parcels", "-append", "-dialect", "sqlite", "-sql",
                 "SELECT *, '0101' AS DLBM FROM \"" + e.path().stem().string() + "\""});
    }
    ogr2ogr(dir / "communes.gpkg", gpkg.string(),
            {"-f", "GPKG", "-nln", "communes", "-nlt", "POLYGON", "-dialect", "sqlite", "-sql",
             "SELECT commune AS code, ST_ConvexHull(ST_Union(GEOMETRY)) AS geom FROM parcels GROUP "
             "BY commune"});
    write_file(dir / "job.toml", R"([job]
name = "essonne"
[inputs.parcels]
path = "cadastre.gpkg"
layer = "parcels"
id = "id"
landuse = "DLBM"
village = "commune"
[inputs.villages]
path = "communes.gpkg"
layer = "communes"
id = "code"
[reclaim]
relocating_villages = ["91027", "91216", "91326", "91432", "91479"]
min_piece_m2 = 0
)");
}

void write_wuyi(const fs::path& dir) {
    const fs::path sample = source_dir() / "sample_maps" / "wuyi";
    fs::copy_file(sample / "wuyi.gpkg", dir / "wuyi.gpkg");
    fs::copy_file(sample / "job.toml", dir / "job.toml");
}

void need(bool ok, const std::vector<std::string>& step, const std::string& why) {
    if (ok)
        return;
    std::string s;
    for (const auto& a : step)
        s += (s.empty() ? "" : " | ") + a;
    throw std::runtime_error("recipe step [" + s + "]: " + why);
}

} // namespace

void make_baseline(const std::string& base, const fs::path& root) {
    const fs::path dir = root / base;
    fs::remove_all(dir);
    fs::create_directories(dir);
    if (base == "mini")
        MiniCounty().write(dir);
    else if (base == "wuyi")
        write_wuyi(dir);
    else if (base == "cadastre")
        write_cadastre(dir);
    else
        throw std::runtime_error("unknown base '" + base + "'");
    const CliResult r =
        run_cli("run " + (dir / "job.toml").string() + " --out " + (dir / "out").string() +
                " --ledger " + (dir / "ledger.sqlite").string() + " --quiet");
    if (r.exit_code != 0)
        throw std::runtime_error("the good " + base + " job failed (exit " +
                                 std::to_string(r.exit_code) + "):\n" + r.err);
}

void apply_step(const std::vector<std::string>& raw, const Places& places) {
    std::vector<std::string> step;
    for (const auto& a : raw)
        step.push_back(places.expand(a));
    need(!step.empty(), raw, "empty step");
    const std::string& verb = step[0];
    const auto arg = [&](std::size_t i) -> const std::string& {
        need(i < step.size(), raw, "too few arguments");
        return step[i];
    };
    const auto path = [&](std::size_t i) { return places.dir / arg(i); };
    if (verb == "sql") { // SQL through GDAL's driver: GeoPackage triggers and functions work
        init_gdal();
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(path(1).c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        need(bool(ds), raw, "cannot open");
        CPLErrorReset();
        OGRLayer* result = ds->ExecuteSQL(arg(2).c_str(), nullptr, nullptr);
        if (result)
            ds->ReleaseResultSet(result);
        need(CPLGetLastErrorType() < CE_Failure, raw, CPLGetLastErrorMsg());
    } else if (verb == "sqlite") { // plain SQLite: the ledger, or what GDAL would intercept
        sqlite3* db = nullptr;
        need(sqlite3_open_v2(path(1).c_str(), &db, SQLITE_OPEN_READWRITE, nullptr) == SQLITE_OK,
             raw, "cannot open");
        char* err = nullptr;
        const int rc = sqlite3_exec(db, arg(2).c_str(), nullptr, nullptr, &err);
        const std::string msg = err ? err : "";
        sqlite3_free(err);
        sqlite3_close(db);
        need(rc == SQLITE_OK, raw, msg);
    } else if (verb == "geometry") { // file, layer, FID, WKT ("" = no geometry)
        init_gdal();
        GDALDatasetUniquePtr ds(
            GDALDataset::Open(path(1).c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
        need(bool(ds), raw, "cannot open");
        OGRLayer* layer = ds->GetLayerByName(arg(2).c_str());
        need(layer, raw, "no such layer");
        OGRFeatureUniquePtr f(layer->GetFeature(std::stoll(arg(3))));
        need(bool(f), raw, "no such feature");
        OGRGeometry* g = nullptr;
        if (!arg(4).empty())
            need(OGRGeometryFactory::createFromWkt(arg(4).c_str(), nullptr, &g) == OGRERR_NONE, raw,
                 "bad WKT");
        f->SetGeometryDirectly(g);
        need(layer->SetFeature(f.get()) == OGRERR_NONE, raw, "cannot write the feature");
    } else if (verb == "job-replace") { // every occurrence; it must occur
        std::string job = read_file(places.dir / "job.toml");
        const std::string& from = arg(1);
        need(job.find(from) != std::string::npos, raw, "not in job.toml");
        for (auto at = job.find(from); at != std::string::npos;
             at = job.find(from, at + arg(2).size()))
            job.replace(at, from.size(), arg(2));
        write_file(places.dir / "job.toml", job);
    } else if (verb == "job-append") {
        write_file(places.dir / "job.toml", read_file(places.dir / "job.toml") + arg(1) + "\n");
    } else if (verb == "write") {
        write_file(path(1), arg(2));
    } else if (verb == "remove") {
        need(fs::remove_all(path(1)) > 0, raw, "nothing to remove");
    } else if (verb == "truncate") {
        need(fs::exists(path(1)), raw, "no such file");
        fs::resize_file(path(1), std::stoull(arg(2)));
    } else if (verb == "mkdir") {
        fs::create_directories(path(1));
    } else if (verb == "copy") {
        fs::copy(path(1), path(2), fs::copy_options::recursive);
    } else if (verb == "ogr2ogr") { // destination, source, then ogr2ogr's options
        init_gdal();
        ogr2ogr(path(1), path(2).string(), {step.begin() + 3, step.end()});
    } else {
        need(false, raw, "unknown verb '" + verb + "'");
    }
}

} // namespace landquota::test::catalogue
