#include "io/shapefile_parts.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <array>
#include <cstdint>
#include <fmt/format.h>
#include <fstream>

namespace landquota {

namespace fs = std::filesystem;

namespace {

// The sibling with the given extension, in either case (Windows tools write .DBF).
fs::path sibling(const fs::path& shp, const std::string& lower, const std::string& upper) {
    for (const auto& ext : {lower, upper}) {
        fs::path p = shp;
        p.replace_extension(ext);
        if (fs::exists(p))
            return p;
    }
    return {};
}

std::uint32_t le32(const unsigned char* p) {
    return p[0] | (p[1] << 8) | (p[2] << 16) | (static_cast<std::uint32_t>(p[3]) << 24);
}
std::uint32_t le16(const unsigned char* p) {
    return p[0] | (p[1] << 8);
}

} // namespace

void check_shapefile_parts(const fs::path& shp, const std::string& layer) {
    const fs::path dbf = sibling(shp, ".dbf", ".DBF");
    const fs::path shx = sibling(shp, ".shx", ".SHX");
    if (dbf.empty())
        return;
    std::array<unsigned char, 12> head{};
    std::ifstream in(dbf, std::ios::binary);
    if (!in.read(reinterpret_cast<char*>(head.data()), head.size()))
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}': the .dbf is shorter than its header; the file is "
                        "damaged: restore it from a copy or export the layer again",
                        dbf.string(), layer));
    const std::uint64_t records = le32(&head[4]);
    const std::uint64_t header_bytes = le16(&head[8]), record_bytes = le16(&head[10]);
    const std::uint64_t size = fs::file_size(dbf);
    const std::uint64_t whole =
        size < header_bytes || record_bytes == 0 ? 0 : (size - header_bytes) / record_bytes;
    if (whole < records)
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}': the .dbf holds {} whole records of the {} its "
                        "header declares (cut short?); {}. Restore the file from a copy "
                        "or export the layer again",
                        dbf.string(), layer, whole, records,
                        whole > 0 ? fmt::format("reading would stop after FID {}, the "
                                                "last good feature",
                                                whole - 1)
                                  : std::string("no record is whole")));
    if (shx.empty())
        return;
    const std::uint64_t shx_size = fs::file_size(shx);
    const std::uint64_t shapes = shx_size < 100 ? 0 : (shx_size - 100) / 8;
    if (shapes != records)
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}': the .shx indexes {} shapes but the .dbf holds {} "
                        "records; the parts of the Shapefile do not belong together. "
                        "Restore them from one copy or export the layer again",
                        shx.string(), layer, shapes, records));
}

} // namespace landquota
