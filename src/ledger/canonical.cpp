#include "ledger/content.hpp"
#include "ledger/ledger.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <memory>
#include <openssl/evp.h>
#include <stdexcept>

namespace landquota::ledger {

namespace {
// Entries nest three levels deep (a lot's parcels); anything far deeper is not the engine's. The
// bound also keeps this walk and dump(), both recursive, off the end of the stack when `audit
// verify` reads content someone wrote into the file by hand (found by fuzz_canonical_json).
constexpr int kMaxDepth = 64;

void refuse_floats(const nlohmann::json& v, const std::string& where, int depth = 0) {
    if (depth > kMaxDepth)
        throw Error(Stage::Ledger,
                    fmt::format("content nested deeper than {} levels at '{}'", kMaxDepth,
                                where.substr(0, 200)),
                    Error::Kind::Internal);
    if (v.is_number_float())
        throw Error(Stage::Ledger,
                    fmt::format("floating-point value {} at '{}' in hashed content (amounts and "
                                "areas must be integers)",
                                v.dump(), where),
                    Error::Kind::Internal);
    if (v.is_object())
        for (const auto& [k, x] : v.items())
            refuse_floats(x, where + "/" + k, depth + 1);
    else if (v.is_array())
        for (std::size_t i = 0; i < v.size(); ++i)
            refuse_floats(v[i], where + "/" + std::to_string(i), depth + 1);
}
} // namespace

std::string canonical(const nlohmann::json& content) {
    refuse_floats(content, "");
    try {
        // nlohmann::json keeps object keys in a std::map: sorted by bytes. dump() with no indent
        // writes no whitespace; non-ASCII stays UTF-8.
        return content.dump();
    } catch (const nlohmann::json::exception& e) {
        throw Error(Stage::Ledger, std::string("content cannot be serialised: ") + e.what(),
                    Error::Kind::Internal);
    }
}

std::string sha256_hex(const std::string& bytes) {
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int len = 0;
    if (EVP_Digest(bytes.data(), bytes.size(), md, &len, EVP_sha256(), nullptr) != 1)
        throw Error(Stage::Ledger, "SHA-256 failed", Error::Kind::Internal);
    std::string hex;
    hex.reserve(2 * len);
    for (unsigned int i = 0; i < len; ++i)
        hex += fmt::format("{:02x}", md[i]);
    return hex;
}

std::string entry_hash(const std::string& prev_hash, const std::string& kind,
                       const std::string& ref, const std::string& content) {
    return sha256_hex(prev_hash + "\n" + kind + "\n" + ref + "\n" + content);
}

namespace detail {

using nlohmann::json;

std::string str(const json& c, const char* key) {
    const auto it = c.find(key);
    if (it == c.end() || !it->is_string())
        throw std::invalid_argument(trf("field '{}' is missing or not text", key));
    return it->get<std::string>();
}

std::int64_t num(const json& c, const char* key) {
    const auto it = c.find(key);
    if (it == c.end() || !it->is_number_integer())
        throw std::invalid_argument(trf("field '{}' is missing or not an integer", key));
    return it->get<std::int64_t>();
}

namespace {
// A GeoJSON geometry is stored as text: its coordinates are floating point, and text hashes byte
// for byte.
std::string geometry_text(const json& g, const std::string& what) {
    if (!g.is_object())
        throw Error(Stage::Ledger, what + ": geometry is not a GeoJSON object",
                    Error::Kind::Internal);
    return g.dump();
}
} // namespace

json lot_content(const QuotaLot& lot, const json& pieces) {
    json parcels = json::array();
    for (const auto& p : lot.parcels)
        parcels.push_back({{"parcel_id", p.parcel_id},
                           {"holder", p.holder},
                           {"landuse", p.landuse},
                           {"reclaim", p.reclaim}});
    json c = {{"lot_id", lot.lot_id},
              {"village_id", lot.village_id},
              {"village_name", lot.village_name},
              {"township_id", lot.township_id},
              {"zone_id", lot.zone_id},
              {"region_id", lot.region_id},
              {"area", lot.area},
              {"state", lot.state},
              {"reclaim_to", lot.reclaim_to},
              {"accepted", lot.accepted},
              {"parcels", parcels}};
    // The reclaimed pieces the lot's quota came from (earlier ledgers held the village's outline
    // under "geometry" instead: docs/audit.md).
    if (!pieces.is_null())
        c["pieces"] = geometry_text(pieces, "lot " + lot.lot_id);
    return c;
}

QuotaLot lot_from(const json& c) {
    QuotaLot l;
    l.lot_id = str(c, "lot_id");
    l.village_id = str(c, "village_id");
    l.village_name = c.value("village_name", "");
    l.township_id = c.value("township_id", "");
    l.zone_id = c.value("zone_id", "");
    l.region_id = c.value("region_id", "");
    l.area = num(c, "area");
    l.state = c.value("state", "");
    l.reclaim_to = c.value("reclaim_to", "");
    l.accepted = c.value("accepted", "");
    if (c.contains("parcels")) {
        if (!c["parcels"].is_array())
            throw std::invalid_argument(tr("field 'parcels' is not a list"));
        for (const auto& p : c["parcels"])
            l.parcels.push_back({str(p, "parcel_id"), p.value("holder", ""), p.value("landuse", ""),
                                 num(p, "reclaim")});
    }
    return l;
}

json transfer_content(const Transfer& t, const std::string& site_name,
                      std::optional<AreaCm2x100> demand, const json& site_geometry) {
    json c = {{"transfer_id", t.transfer_id},
              {"lot_id", t.lot_id},
              {"site_id", t.site_id},
              {"site_name", site_name},
              {"area", t.area}};
    if (demand)
        c["site_demand"] = *demand;
    if (!site_geometry.is_null())
        c["site_geometry"] = geometry_text(site_geometry, "transfer " + t.transfer_id);
    return c;
}

Transfer transfer_from(const json& c) {
    return Transfer{str(c, "transfer_id"), str(c, "lot_id"), str(c, "site_id"), num(c, "area")};
}

json payment_content(const Payment& p) {
    return {{"payment_id", p.payment_id},
            {"model", p.model},
            {"payee_kind", p.payee_kind},
            {"payee_id", p.payee_id},
            {"transfer_id", p.transfer_id},
            {"lot_id", p.lot_id},
            {"year", p.year},
            {"amount_fen", p.amount},
            {"basis", p.basis}};
}

Payment payment_from(const json& c) {
    Payment p;
    p.payment_id = str(c, "payment_id");
    p.model = c.value("model", "");
    p.payee_kind = c.value("payee_kind", "");
    p.payee_id = c.value("payee_id", "");
    p.transfer_id = c.value("transfer_id", "");
    p.lot_id = c.value("lot_id", "");
    p.year = static_cast<int>(num(c, "year"));
    p.amount = num(c, "amount_fen");
    p.basis = c.value("basis", "");
    return p;
}

} // namespace detail
} // namespace landquota::ledger
