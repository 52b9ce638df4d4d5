// split: Chongqing land-ticket (地票) style. A transfer's gross value at the ticket price, less
// the reclamation cost, is split: household_share of the net to the households holding the
// reclaimed homesteads (in proportion to their homestead area in the lot), the rest to the
// village collective. Every transfer's payments add up to its net value to the fen.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

#include <algorithm>

namespace {

using namespace landquota;

// GB/T 21010-2017 land-use code of rural homesteads (农村宅基地).
const std::string kHomestead = "0702";

class Split : public CompensationModel {
  public:
    explicit Split(const OptionValues& o)
        : price_(pay::price_option(o, "price_yuan_per_mu")),
          cost_(pay::price_option(o, "cost_yuan_per_mu", pay::Zero::Meant)),
          share_(o.number("household_share")) {
        if (!(share_ >= 0.0 && share_ <= 1.0))
            throw PluginError(
                plugin_message("option 'household_share' must be between 0 and 1, not {}",
                               std::to_string(share_)));
        ppb_ = pay::share_ppb(share_);
    }

    std::vector<Payment> compensate(const CompensationInput& in) override {
        const auto lots = pay::index_lots(in.lots);
        std::vector<Payment> out;
        for (const auto& t : in.transfers) {
            const QuotaLot& lot = pay::lot_of(lots, t);
            const Fen gross = value_of_area(t.area, price_);
            const Fen cost = value_of_area(t.area, cost_);
            const Fen net = gross - cost;
            if (net <= 0)
                continue; // reclamation cost eats the proceeds: nothing to share
            const std::string net_text =
                "net " + pay::yuan_text(net) + " = gross " + pay::yuan_text(gross) + " (" +
                pay::area_text(t.area) + " × " + pay::price_text(price_) + ") − reclamation cost " +
                pay::yuan_text(cost) + " (× " + pay::price_text(cost_) + ")";

            // Homestead area per household in the lot (parcels of one holder together).
            std::map<std::string, AreaCm2x100> homestead;
            AreaCm2x100 homestead_total = 0;
            for (const auto& p : lot.parcels)
                if (p.landuse == kHomestead && p.reclaim > 0) {
                    homestead[p.holder.empty() ? p.parcel_id : p.holder] += p.reclaim;
                    homestead_total += p.reclaim;
                }

            Fen households = 0;
            if (homestead_total > 0) {
                households = pay::fraction_of(net, ppb_);
                std::vector<double> w;
                for (const auto& [_, a] : homestead)
                    w.push_back(static_cast<double>(a));
                const auto shares = largest_remainder(households, w);
                std::size_t i = 0;
                for (const auto& [holder, a] : homestead) {
                    const Fen amount = shares[i++];
                    if (amount <= 0)
                        continue;
                    out.push_back(pay::payment(
                        "split", "household", holder, t.transfer_id, t.lot_id, 0, amount,
                        "households' " + pay::number_text(share_ * 100) + "% (" +
                            pay::yuan_text(households) + ") of " + net_text +
                            ", by homestead area " + format_m2(a) + " m² of " +
                            format_m2(homestead_total) + " m² in lot " + lot.lot_id));
                }
            }
            const Fen collective = net - households;
            if (collective > 0)
                out.push_back(pay::payment(
                    "split", "collective", lot.village_id, t.transfer_id, t.lot_id, 0, collective,
                    homestead_total > 0 ? "collective's rest of " + net_text +
                                              " after households' " + pay::yuan_text(households)
                                        : "all of " + net_text + " (no homestead parcels in lot " +
                                              lot.lot_id + ")"));
        }
        return out;
    }

  private:
    Fen price_, cost_;
    double share_;
    std::int64_t ppb_ = 0;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "split";
    info.version = "1.0.0";
    info.description = "land-ticket proceeds net of reclamation cost: 85% to homestead households, "
                       "15% to the collective";
    info.source =
        "Chongqing land-ticket (地票) practice: net proceeds 85% to households, 15% to the village "
        "collective; average traded price about 20万元/mu";
    info.options = {
        {"price_yuan_per_mu", OptionType::Number, 200000.0,
         "ticket price in yuan per mu; default 200000 ≈ Chongqing's average traded price"},
        {"cost_yuan_per_mu", OptionType::Number, 0.0,
         "reclamation cost deducted per mu before the split (yuan/mu); nothing is paid if it "
         "exceeds the price"},
        {"household_share", OptionType::Number, 0.85,
         "share of the net paid to households holding the homesteads (parcels with land use 0702), "
         "by their "
         "homestead area; the rest goes to the village collective; between 0 and 1"},
    };
    registry->add_compensation(info,
                               [](const OptionValues& o) { return std::make_unique<Split>(o); });
}
