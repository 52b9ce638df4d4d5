// audit trace --geojson: the trace as an RFC 7946 map, written by GDAL's GeoJSON driver like the
// run's geojson/ folder. A lot is drawn as the reclaimed pieces recorded with it, never as its
// village: a village is often hundreds of times the size of the lot it gave.
#include "io/vector_writer.hpp"
#include "landquota/money.hpp"
#include "ledger/ledger.hpp"

#include <map>
#include <memory>
#include <ogr_geometry.h>

namespace landquota::ledger {

using nlohmann::json;

namespace {

// Hundredths (of m², or fen as yuan) as a JSON number with 2 decimals.
double hundredths(std::int64_t v) {
    return static_cast<double>(v) / 100.0;
}

std::unique_ptr<OGRGeometry> from_text(const std::string& geojson) {
    if (geojson.empty())
        return nullptr;
    return std::unique_ptr<OGRGeometry>(OGRGeometryFactory::createFromGeoJson(geojson.c_str()));
}

struct Drawn {
    std::string kind, id; // "lot" or "site"
    const TraceRow* first = nullptr;
    AreaCm2x100 moved = 0; // in force (not reversed)
    Fen paid = 0;
    json transfers = json::array(), payments = json::array();
};

} // namespace

void write_trace_geojson(const Trace& t, const std::filesystem::path& file) {
    // One feature per lot and per site, in order of first appearance.
    std::vector<Drawn> features;
    std::map<std::string, std::size_t> at;
    // An index, not a reference: adding the next feature may move the vector.
    auto feature = [&](const std::string& kind, const std::string& id,
                       const TraceRow& r) -> std::size_t {
        const auto [it, added] = at.emplace(kind + '\x1f' + id, features.size());
        if (added)
            features.push_back(Drawn{kind, id, &r});
        return it->second;
    };
    for (const auto& r : t.rows) {
        const json transfer = {{"transfer_id", r.transfer.transfer_id},
                               {"lot_id", r.transfer.lot_id},
                               {"site_id", r.transfer.site_id},
                               {"area_m2", hundredths(r.transfer.area)},
                               {"reversed", r.reversed}};
        json payments = json::array();
        Fen paid = 0;
        for (const auto& p : r.payments) {
            payments.push_back({{"payment_id", p.payment.payment_id},
                                {"transfer_id", p.payment.transfer_id},
                                {"payee_kind", p.payment.payee_kind},
                                {"payee_id", p.payment.payee_id},
                                {"year", p.payment.year},
                                {"amount_fen", p.payment.amount},
                                {"amount_yuan", hundredths(p.payment.amount)},
                                {"reversed", p.reversed}});
            if (!p.reversed)
                paid += p.payment.amount;
        }
        const std::size_t lot = feature("lot", r.lot.lot_id, r);
        const std::size_t site = feature("site", r.transfer.site_id, r);
        for (const std::size_t k : {lot, site}) {
            Drawn* d = &features[k];
            d->transfers.push_back(transfer);
            for (const auto& p : payments)
                d->payments.push_back(p);
            d->paid += paid;
            if (!r.reversed)
                d->moved += r.transfer.area;
        }
    }

    // Mu rounded to the total like every table (methods.md §1): the lots add up to the trace's
    // total, and so do the sites.
    AreaCm2x100 total = 0;
    for (const auto& d : features)
        if (d.kind == "lot")
            total += d.moved;
    std::map<std::string, std::vector<std::int64_t>> fine;
    for (const auto& d : features)
        fine[d.kind].push_back(mu_millionths(d.moved));
    std::map<std::string, std::vector<std::int64_t>> mu;
    for (const auto& [kind, values] : fine)
        mu[kind] = round_to_total(values, kMuMillionthsPerMuHundredth,
                                  hundredths_m2_to_mu_hundredths(total));

    OGRSpatialReference wgs84;
    wgs84.importFromEPSG(4326);
    wgs84.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    VectorWriter out = VectorWriter::geojson_file(file, wgs84);
    const std::vector<FieldSpec> fields = {{"id", OFTString},
                                           {"kind", OFTString},
                                           {"lot_id", OFTString},
                                           {"village_id", OFTString},
                                           {"village_name", OFTString},
                                           {"township_id", OFTString},
                                           {"site_id", OFTString},
                                           {"site_name", OFTString},
                                           {"lot_area_m2", OFTReal},
                                           {"parcels", OFTInteger64},
                                           {"reclaimed_m2", OFTReal},
                                           {"drawn", OFTString},
                                           {"transferred_m2", OFTReal},
                                           {"transferred_mu", OFTReal},
                                           {"paid_fen", OFTInteger64},
                                           {"paid_yuan", OFTReal},
                                           {"transfers", OFTString, OFSTJSON},
                                           {"payments", OFTString, OFSTJSON}};
    const int layer = out.add_layer("trace", wkbUnknown, fields, "id");
    std::map<std::string, std::size_t> nth;
    for (const auto& d : features) {
        const TraceRow& r = *d.first;
        const std::int64_t d_mu = mu[d.kind][nth[d.kind]++];
        std::vector<FieldValue> v(fields.size());
        v[0] = d.id;
        v[1] = d.kind;
        std::unique_ptr<OGRGeometry> g;
        if (d.kind == "lot") {
            const QuotaLot& lot = r.lot;
            AreaCm2x100 reclaimed = 0;
            for (const auto& p : lot.parcels)
                reclaimed += p.reclaim;
            v[2] = lot.lot_id;
            v[3] = lot.village_id;
            v[4] = lot.village_name;
            v[5] = lot.township_id;
            v[8] = hundredths(lot.area);
            v[9] = static_cast<std::int64_t>(lot.parcels.size());
            v[10] = hundredths(reclaimed);
            g = from_text(r.pieces);
            // Why a lot may have no geometry: said in the file, not left to guess.
            v[11] = std::string(g                ? "reclaimed pieces"
                                : r.outline_only ? "not drawn: the ledger holds only the village "
                                                   "outline (recorded before pieces were)"
                                                 : "not drawn: no geometry recorded");
        } else {
            v[6] = r.transfer.site_id;
            v[7] = r.site_name;
            g = from_text(r.site_geometry);
            v[11] = std::string(g ? "site outline" : "not drawn: no geometry recorded");
        }
        v[12] = hundredths(d.moved);
        v[13] = static_cast<double>(d_mu) / 100.0;
        v[14] = std::int64_t{d.paid};
        v[15] = hundredths(d.paid);
        v[16] = d.transfers.dump();
        v[17] = d.payments.dump();
        out.write(layer, v, g.get());
    }
    out.close();
}

} // namespace landquota::ledger
