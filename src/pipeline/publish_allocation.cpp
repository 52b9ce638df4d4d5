// The allocation part of a run's outputs: sites and flows layers, lots, lot parcels, transfers and
// payments tables. Every figure is written from the same integers, so the tables reconcile.
#include "io/csv_writer.hpp"
#include "landquota/money.hpp"
#include "pipeline/publish.hpp"

#include <fmt/format.h>
#include <map>
#include <ogr_geometry.h>

namespace landquota {

namespace {
std::string mu_text(AreaCm2x100 a) {
    return format_mu(hundredths_m2_to_mu_hundredths(a));
}
double mu_value(AreaCm2x100 a) {
    return static_cast<double>(hundredths_m2_to_mu_hundredths(a)) / 100.0;
}
} // namespace

void Publisher::allocation(const AllocationTables& t) {
    std::map<std::string, AreaCm2x100> to_site, from_lot;
    std::map<std::string, Fen> paid_for;
    for (const auto& tr : t.transfers) {
        to_site[tr.site_id] += tr.area;
        from_lot[tr.lot_id] += tr.area;
    }
    for (const auto& p : t.payments)
        if (!p.transfer_id.empty())
            paid_for[p.transfer_id] += p.amount;

    const int ls = gpkg_->add_layer("sites", wkbMultiPolygon,
                                    {{"site_id", OFTString},
                                     {"name", OFTString},
                                     {"township_id", OFTString},
                                     {"zone_id", OFTString},
                                     {"region_id", OFTString},
                                     {"demand_m2", OFTReal},
                                     {"demand_mu", OFTReal},
                                     {"allocated_m2", OFTReal},
                                     {"allocated_mu", OFTReal},
                                     {"fulfilment", OFTReal}});
    CsvWriter scsv(folder_ / "tables" / "sites.csv");
    scsv.row({"site_id", "name", "township_id", "zone_id", "region_id", "demand_m2", "demand_mu",
              "allocated_m2", "allocated_mu", "fulfilment"});
    for (const auto& s : t.sites) {
        const AreaCm2x100 got = to_site[s.site.site_id];
        const double fulfil =
            s.site.demand > 0 ? static_cast<double>(got) / static_cast<double>(s.site.demand) : 1.0;
        gpkg_->write(
            ls,
            {s.site.site_id, s.site.name, s.site.township_id, s.site.zone_id, s.site.region_id,
             m2(s.site.demand), mu_value(s.site.demand), m2(got), mu_value(got), fulfil},
            std::unique_ptr<OGRGeometry>(
                OGRGeometryFactory::forceToMultiPolygon(to_ogr(s.geometry.get()).release()))
                .get());
        scsv.row({s.site.site_id, s.site.name, s.site.township_id, s.site.zone_id, s.site.region_id,
                  format_m2(s.site.demand), mu_text(s.site.demand), format_m2(got), mu_text(got),
                  fmt::format("{:.4f}", fulfil)});
    }
    scsv.close();

    // Flows: a line from the lot's village to the site, one per transfer.
    std::map<std::string, const QuotaLot*> lots;
    for (const auto& l : t.lots)
        lots[l.lot_id] = &l;
    std::map<std::string, const Site*> sites;
    for (const auto& s : t.sites)
        sites[s.site.site_id] = &s.site;
    const int lf = gpkg_->add_layer("flows", wkbLineString,
                                    {{"transfer_id", OFTString},
                                     {"lot_id", OFTString},
                                     {"village_id", OFTString},
                                     {"township_id", OFTString},
                                     {"site_id", OFTString},
                                     {"allocated_m2", OFTReal},
                                     {"allocated_mu", OFTReal},
                                     {"amount_fen", OFTInteger64}});
    CsvWriter tcsv(folder_ / "tables" / "transfers.csv");
    tcsv.row({"transfer_id", "lot_id", "village_id", "township_id", "site_id", "site_name",
              "area_m2", "area_mu", "amount_fen", "amount_yuan"});
    for (const auto& tr : t.transfers) {
        const QuotaLot& l = *lots.at(tr.lot_id);
        const Site& s = *sites.at(tr.site_id);
        OGRLineString line;
        line.addPoint(l.x, l.y);
        line.addPoint(s.x, s.y);
        const Fen amount = paid_for[tr.transfer_id];
        gpkg_->write(lf,
                     {tr.transfer_id, tr.lot_id, l.village_id, l.township_id, tr.site_id,
                      m2(tr.area), mu_value(tr.area), std::int64_t{amount}},
                     &line);
        tcsv.row({tr.transfer_id, tr.lot_id, l.village_id, l.township_id, tr.site_id, s.name,
                  format_m2(tr.area), mu_text(tr.area), std::to_string(amount),
                  format_yuan(amount)});
    }
    tcsv.close();

    CsvWriter lcsv(folder_ / "tables" / "lots.csv");
    lcsv.row({"lot_id", "village_id", "village_name", "township_id", "zone_id", "region_id",
              "state", "reclaim_to", "accepted", "parcels", "area_m2", "allocated_m2",
              "remaining_m2"});
    CsvWriter pcsv(folder_ / "tables" / "lot_parcels.csv");
    pcsv.row({"lot_id", "parcel_id", "holder", "landuse", "reclaim_m2"});
    for (const auto& l : t.lots) {
        const AreaCm2x100 used = from_lot[l.lot_id];
        lcsv.row({l.lot_id, l.village_id, l.village_name, l.township_id, l.zone_id, l.region_id,
                  l.state, l.reclaim_to, l.accepted, std::to_string(l.parcels.size()),
                  format_m2(l.area), format_m2(used), format_m2(l.area - used)});
        for (const auto& p : l.parcels)
            pcsv.row({l.lot_id, p.parcel_id, p.holder, p.landuse, format_m2(p.reclaim)});
    }
    lcsv.close();
    pcsv.close();

    CsvWriter paycsv(folder_ / "tables" / "payments.csv");
    paycsv.row({"payment_id", "model", "payee_kind", "payee_id", "transfer_id", "lot_id", "year",
                "amount_fen", "amount_yuan", "basis"});
    for (const auto& p : t.payments)
        paycsv.row({p.payment_id, p.model, p.payee_kind, p.payee_id, p.transfer_id, p.lot_id,
                    p.year ? std::to_string(p.year) : "", std::to_string(p.amount),
                    format_yuan(p.amount), p.basis});
    paycsv.close();
}

} // namespace landquota
