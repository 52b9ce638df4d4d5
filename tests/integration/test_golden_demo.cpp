// The demo's outputs against committed golden files: every table byte for byte, every layer of
// result.gpkg feature by feature (attributes and exact WKB), the manifest without its timings, and
// every ledger entry's hash. Refactoring must not move a single hundredth of a m².
//
// After an intended change of output, regenerate with
//   LANDQUOTA_UPDATE_GOLDEN=1 ctest --preset default -R golden
// and review the diff of tests/golden/ like any other change.
#include "io/sha256.hpp"
#include "ledger/sqlite.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <gdal_priv.h>
#include <nlohmann/json.hpp>
#include <ogrsf_frmts.h>
#include <sqlite3.h>

using namespace landquota::test;

namespace {

const fs::path kGolden = source_dir() / "tests" / "golden" / "wuyi";

bool updating() {
    const char* v = std::getenv("LANDQUOTA_UPDATE_GOLDEN");
    return v && *v && std::string(v) != "0";
}

// One line per feature: FID, every field as OGR prints it, the geometry as hex WKB. Exact, and
// readable enough to diff when a layer changes.
std::string dump_layer(OGRLayer& layer) {
    std::string out = "layer " + std::string(layer.GetName()) + "\nfields";
    OGRFeatureDefn* defn = layer.GetLayerDefn();
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        out += std::string(" ") + defn->GetFieldDefn(i)->GetNameRef() + ":" +
               OGRFieldDefn::GetFieldTypeName(defn->GetFieldDefn(i)->GetType());
    out += "\n";
    layer.ResetReading();
    for (auto& f : layer) {
        out += std::to_string(f->GetFID());
        for (int i = 0; i < defn->GetFieldCount(); ++i)
            out +=
                "|" + std::string(f->IsFieldSetAndNotNull(i) ? f->GetFieldAsString(i) : "<null>");
        if (const OGRGeometry* g = f->GetGeometryRef()) {
            std::vector<unsigned char> wkb(g->WkbSize());
            g->exportToWkb(wkbNDR, wkb.data(), wkbVariantIso);
            static const char* hex = "0123456789abcdef";
            out += "|";
            for (unsigned char c : wkb) {
                out += hex[c >> 4];
                out += hex[c & 15];
            }
        }
        out += "\n";
    }
    return out;
}

// Layers of more than this many features are kept as their count and the SHA-256 of their dump
// (the parcels would be megabytes of hex); smaller ones in full, to diff.
constexpr GIntBig kFullDumpLimit = 1000;

// Layer name -> dump, for every layer of the GeoPackage.
// Full dumps are also written to `full_dumps`, to diff a large layer between two builds.
std::map<std::string, std::string> dump_gpkg(const fs::path& file, const fs::path& full_dumps) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    std::map<std::string, std::string> out;
    for (OGRLayer* l : ds->GetLayers()) {
        std::string dump = dump_layer(*l);
        fs::create_directories(full_dumps);
        write_file(full_dumps / (std::string(l->GetName()) + ".txt"), dump);
        if (l->GetFeatureCount() > kFullDumpLimit)
            dump = dump.substr(0, dump.find('\n', dump.find('\n') + 1) + 1) + "features " +
                   std::to_string(l->GetFeatureCount()) + "\nsha256 " +
                   landquota::sha256_bytes(dump) + "\n";
        out[l->GetName()] = std::move(dump);
    }
    return out;
}

// "seq kind ref hash" for every ledger entry, in order.
std::string ledger_lines(const fs::path& file) {
    sqlite3* db = nullptr;
    REQUIRE(sqlite3_open_v2(file.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK);
    std::string out;
    {
        landquota::ledger::detail::Stmt s(db,
                                          "SELECT seq, kind, ref, hash FROM entries ORDER BY seq");
        while (s.step())
            out += std::to_string(s.int64(0)) + " " + s.text(1) + " " + s.text(2) + " " +
                   s.text(3) + "\n";
    }
    sqlite3_close(db);
    return out;
}

// The manifest with what varies between runs taken out: timings, the date and operator, the
// library versions (a Debian point release may change them) and the ledger's folder.
std::string stable_manifest(const fs::path& file, const fs::path& tmp) {
    auto m = nlohmann::ordered_json::parse(read_file(file));
    m.erase("timings");
    m.erase("run");
    for (const char* lib : {"gdal", "proj", "geos"})
        m["engine"].erase(lib);
    if (m.contains("allocation") && m["allocation"].contains("ledger")) {
        auto& p = m["allocation"]["ledger"]["path"];
        p = fs::path(p.get<std::string>()).lexically_relative(tmp).generic_string();
    }
    return m.dump(2) + "\n";
}

// Compares `actual` with the golden file `name`, or writes it when updating.
void golden(const std::string& name, const std::string& actual, const fs::path& artifacts) {
    const fs::path file = kGolden / name;
    if (updating()) {
        fs::create_directories(file.parent_path());
        write_file(file, actual);
        return;
    }
    INFO("golden file " << file.string() << " (actual output kept in "
                        << (artifacts / name).string() << ")");
    REQUIRE(fs::exists(file));
    const std::string expected = read_file(file);
    if (expected != actual) {
        fs::create_directories((artifacts / name).parent_path());
        write_file(artifacts / name, actual);
    }
    CHECK(expected == actual);
}

} // namespace

TEST_CASE("golden: the demo's tables, layers, manifest and ledger hashes are unchanged",
          "[golden][sample]") {
    TempDir dir;
    const fs::path out = dir / "out", ledger = dir / "wuyi.ledger.sqlite";
    const CliResult r =
        run_cli("run " + (source_dir() / "sample_maps" / "wuyi" / "job.toml").string() + " --out " +
                out.string() + " --ledger " + ledger.string() + " --operator golden --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    // Kept beside the build for a failing run's diff.
    const fs::path artifacts = fs::current_path() / "golden-actual";
    fs::remove_all(artifacts);

    std::vector<std::string> tables;
    for (const auto& e : fs::directory_iterator(out / "tables"))
        tables.push_back(e.path().filename().string());
    std::sort(tables.begin(), tables.end());
    std::string listing;
    for (const auto& t : tables)
        listing += t + "\n";
    golden("tables.txt", listing, artifacts);
    for (const auto& t : tables)
        golden("tables/" + t, read_file(out / "tables" / t), artifacts);

    for (const auto& [layer, dump] : dump_gpkg(out / "result.gpkg", artifacts / "full"))
        golden("result.gpkg/" + layer + ".txt", dump, artifacts);
    golden("manifest.json", stable_manifest(out / "manifest.json", dir.path()), artifacts);
    golden("ledger.txt", ledger_lines(ledger), artifacts);
}
