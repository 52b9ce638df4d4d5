#include "real_cadastre.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <gdal_priv.h>
#include <gdal_utils.h>

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
    REQUIRE(opts);
    GDALDatasetH in = GDALOpenEx(src.c_str(), GDAL_OF_VECTOR, nullptr, nullptr, nullptr);
    REQUIRE(in);
    const bool append = fs::exists(dst);
    GDALDatasetH out = append ? GDALOpenEx(dst.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE,
                                           nullptr, nullptr, nullptr)
                              : nullptr;
    int err = 0;
    GDALDatasetH res =
        GDALVectorTranslate(append ? nullptr : dst.string().c_str(), out, 1, &in, opts, &err);
    INFO(CPLGetLastErrorMsg());
    REQUIRE(res);
    GDALVectorTranslateOptionsFree(opts);
    GDALClose(res);
    GDALClose(in);
}

} // namespace landquota::test
