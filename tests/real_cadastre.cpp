#include "real_cadastre.hpp"

#include "run/run.hpp"

#include <algorithm>
#include <cstdlib>
#include <gdal_priv.h>
#include <gdal_utils.h>
#include <stdexcept>

namespace landquota::test {

fs::path real_data() {
    const char* env = std::getenv("LANDQUOTA_SHARED");
    const fs::path shared = env && *env ? fs::path(env) : source_dir().parent_path() / "shared";
    return shared / "realdata" / "fr-cadastre-91";
}

void ogr2ogr(const fs::path& dst, const std::string& src, std::vector<std::string> args) {
    std::vector<char*> argv;
    for (auto& a : args)
        argv.push_back(a.data());
    argv.push_back(nullptr);
    GDALVectorTranslateOptions* opts = GDALVectorTranslateOptionsNew(argv.data(), nullptr);
    if (!opts)
        throw std::runtime_error("ogr2ogr: bad options");
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    if (!in) {
        GDALVectorTranslateOptionsFree(opts);
        throw std::runtime_error("ogr2ogr: cannot open " + src);
    }
    const bool append = fs::exists(dst);
    GDALDatasetH out = append ? GDALOpenEx(dst.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                           nullptr, nullptr, nullptr)
                              : nullptr;
    int err = 0;
    GDALDatasetH res =
        GDALVectorTranslate(append ? nullptr : dst.string().c_str(), out, 1, &in, opts, &err);
    GDALVectorTranslateOptionsFree(opts);
    GDALClose(in);
    if (!res)
        throw std::runtime_error("ogr2ogr to " + dst.string() + ": " + CPLGetLastErrorMsg());
    GDALClose(res);
}

fs::path make_cadastre(const fs::path& dir, const Cadastre& c) {
    const fs::path data = real_data();
    if (!fs::exists(data))
        throw std::runtime_error(
            "shared/realdata is missing beside the repository (set LANDQUOTA_SHARED): " +
            data.string());
    init_gdal();
    std::vector<std::string> codes = c.communes;
    if (codes.empty())
        for (const auto& e : fs::directory_iterator(data)) {
            const std::string stem = e.path().stem().string(); // cadastre-91027-parcelles
            if (e.path().extension() == ".json" && stem.size() > 14)
                codes.push_back(stem.substr(9, 5));
        }
    std::sort(codes.begin(), codes.end());
    const fs::path parcels = dir / c.file;
    for (const auto& code : codes) {
        const std::string layer = "cadastre-" + code + "-parcelles";
        ogr2ogr(parcels, (data / (layer + ".json")).string(),
                {"-f", c.driver, "-nln", "parcels", "-nlt", "MULTIPOLYGON", "-append", "-dialect",
                 "sqlite", "-sql",
                 "SELECT id, commune, contenance, '" + c.landuse + "' AS DLBM, GEOMETRY FROM \"" +
                     layer + "\""});
    }
    ogr2ogr(dir / "communes.gpkg", parcels.string(),
            {"-f", "GPKG", "-nln", "communes", "-nlt", "POLYGON", "-dialect", "sqlite", "-sql",
             "SELECT commune AS code, ST_ConvexHull(ST_Union(GEOMETRY)) AS geom FROM parcels GROUP "
             "BY commune"});
    std::string relocating;
    for (const auto& code : codes)
        relocating += (relocating.empty() ? "\"" : ", \"") + code + "\"";
    write_file(dir / "job.toml", "[job]\nname = \"" + c.name + "\"\n" + R"([inputs.parcels]
path = ")" + c.file + R"("
layer = "parcels"
id = "id"
landuse = "DLBM"
village = "commune"
[inputs.villages]
path = "communes.gpkg"
layer = "communes"
id = "code"
[reclaim]
relocating_villages = [)" + relocating +
                                     R"(]
min_piece_m2 = 0
)");
    return dir / "job.toml";
}

} // namespace landquota::test
