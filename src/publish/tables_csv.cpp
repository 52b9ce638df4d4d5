// tables/*.csv: villages, townships, zones, regions, findings, and with an allocation sites,
// transfers, lots, lot parcels and payments. Figures are the exact integers, formatted.
#include "io/csv_writer.hpp"
#include "landquota/money.hpp"
#include "publish/allocation_index.hpp"
#include "publish/writer.hpp"

#include <fmt/format.h>

namespace landquota {

namespace {

std::string mu_text(AreaCm2x100 a) {
    return format_mu(hundredths_m2_to_mu_hundredths(a));
}

std::vector<std::string> concat(std::vector<std::string> a, const std::vector<std::string>& b) {
    a.insert(a.end(), b.begin(), b.end());
    return a;
}

std::vector<std::string> unit_cells(const UnitQuota& u) {
    return {std::to_string(u.villages), format_m2(u.reclaim), format_m2(u.resettle),
            format_m2(u.freed()), format_mu(u.freed_mu_hundredths)};
}

class TablesCsvWriter final : public Writer {
  public:
    explicit TablesCsvWriter(const WriterContext& c) : dir_(c.folder / "tables") {
        std::filesystem::create_directories(dir_);
    }

    void finish(const RunResults& r) override {
        if (r.allocation)
            allocation(*r.allocation);
        units(r.quota);
        findings(r.findings);
    }

  private:
    void allocation(const AllocationRun& a) const;
    void units(const QuotaTables& q) const;
    void findings(const FindingLog& log) const;

    std::filesystem::path dir_;
};

void TablesCsvWriter::allocation(const AllocationRun& a) const {
    const AllocationIndex index(a);
    CsvWriter scsv(dir_ / "sites.csv");
    scsv.row({"site_id", "name", "township_id", "zone_id", "region_id", "demand_m2", "demand_mu",
              "allocated_m2", "allocated_mu", "fulfilment"});
    for (const auto& s : a.sites) {
        const AreaCm2x100 got = index.given_to(s.site_id);
        scsv.row({s.site_id, s.name, s.township_id, s.zone_id, s.region_id, format_m2(s.demand),
                  mu_text(s.demand), format_m2(got), format_mu(index.site_mu(s.site_id)),
                  fmt::format("{:.4f}", AllocationIndex::fulfilment(got, s.demand))});
    }
    scsv.close();

    CsvWriter tcsv(dir_ / "transfers.csv");
    tcsv.row({"transfer_id", "lot_id", "village_id", "township_id", "site_id", "site_name",
              "area_m2", "area_mu", "amount_fen", "amount_yuan"});
    for (const auto& t : a.transfers) {
        const QuotaLot& l = index.lot(t.lot_id);
        const Fen amount = index.paid_for(t.transfer_id);
        tcsv.row({t.transfer_id, t.lot_id, l.village_id, l.township_id, t.site_id,
                  index.site(t.site_id).name, format_m2(t.area),
                  format_mu(index.transfer_mu(t.transfer_id)), std::to_string(amount),
                  format_yuan(amount)});
    }
    tcsv.close();

    CsvWriter lcsv(dir_ / "lots.csv");
    lcsv.row({"lot_id", "village_id", "village_name", "township_id", "zone_id", "region_id",
              "state", "reclaim_to", "accepted", "parcels", "area_m2", "allocated_m2",
              "remaining_m2"});
    CsvWriter pcsv(dir_ / "lot_parcels.csv");
    pcsv.row({"lot_id", "parcel_id", "holder", "landuse", "reclaim_m2"});
    for (const auto& l : a.lots) {
        const AreaCm2x100 used = index.taken_from(l.lot_id);
        lcsv.row({l.lot_id, l.village_id, l.village_name, l.township_id, l.zone_id, l.region_id,
                  l.state, l.reclaim_to, l.accepted, std::to_string(l.parcels.size()),
                  format_m2(l.area), format_m2(used), format_m2(l.area - used)});
        for (const auto& p : l.parcels)
            pcsv.row({l.lot_id, p.parcel_id, p.holder, p.landuse, format_m2(p.reclaim)});
    }
    lcsv.close();
    pcsv.close();

    CsvWriter paycsv(dir_ / "payments.csv");
    paycsv.row({"payment_id", "model", "payee_kind", "payee_id", "transfer_id", "lot_id", "year",
                "amount_fen", "amount_yuan", "basis"});
    for (const auto& p : a.payments)
        paycsv.row({p.payment_id, p.model, p.payee_kind, p.payee_id, p.transfer_id, p.lot_id,
                    p.year ? std::to_string(p.year) : "", std::to_string(p.amount),
                    format_yuan(p.amount), p.basis});
    paycsv.close();
}

void TablesCsvWriter::units(const QuotaTables& q) const {
    CsvWriter vcsv(dir_ / "villages.csv");
    vcsv.row({"village_id", "name", "township_id", "zone_id", "region_id", "relocating", "parcels",
              "reclaimable_parcels", "reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"});
    for (const auto& v : q.villages)
        vcsv.row({v.village_id, v.name, v.township_id, v.zone_id, v.region_id,
                  v.relocating ? "1" : "0", std::to_string(v.parcels),
                  std::to_string(v.reclaimable_parcels), format_m2(v.reclaim),
                  format_m2(v.resettle), format_m2(v.freed()), format_mu(v.freed_mu_hundredths)});
    vcsv.close();

    // Townships also carry their region: zone ids may repeat across regions.
    auto write_units = [&](const std::string& table, const std::string& key,
                           const std::string& parent, bool with_region,
                           const std::vector<UnitQuota>& rows) {
        std::vector<std::string> header{key, "name", parent};
        if (with_region)
            header.emplace_back("region_id");
        CsvWriter csv(dir_ / (table + ".csv"));
        csv.row(concat(header, {"villages", "reclaim_m2", "resettle_m2", "freed_m2", "freed_mu"}));
        for (const auto& u : rows) {
            std::vector<std::string> cells{u.id, u.name, u.parent_id};
            if (with_region)
                cells.push_back(u.region_id);
            csv.row(concat(cells, unit_cells(u)));
        }
        csv.close();
    };
    write_units("townships", "township_id", "zone_id", true, q.townships);
    write_units("zones", "zone_id", "region_id", false, q.zones);
    write_units("regions", "region_id", "county", false, q.regions);
}

void TablesCsvWriter::findings(const FindingLog& log) const {
    CsvWriter fcsv(dir_ / "findings.csv");
    fcsv.row({"severity", "check", "file", "layer", "feature", "field", "message"});
    for (const auto& f : log.kept())
        fcsv.row({f.is_error() ? "error" : "warning", f.check, f.file, f.layer, f.feature, f.field,
                  f.message});
    // Only the first findings of each kind are kept in full (memory stays bounded); say so.
    for (const auto& [check, n] : log.counts())
        if (n > FindingLog::kKeepPerCheck)
            fcsv.row({"note", check, "", "", "", "",
                      fmt::format("{} more '{}' findings are not listed ({} in all)",
                                  n - FindingLog::kKeepPerCheck, check, n)});
    fcsv.close();
}

} // namespace

std::unique_ptr<Writer> make_tables_csv_writer(const WriterContext& c) {
    return std::make_unique<TablesCsvWriter>(c);
}

} // namespace landquota
