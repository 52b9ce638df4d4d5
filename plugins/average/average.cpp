// average: the Wuyi rule. Every transfer is valued at the county average price per mu and paid to
// the unit that produced the quota (its village, or its township), so each unit receives in
// proportion to what it produced.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

namespace {

using namespace landquota;

class Average : public CompensationModel {
  public:
    explicit Average(const OptionValues& o)
        : price_(pay::price_option(o, "price_yuan_per_mu")), payee_(o.str("payee")) {
        if (payee_ != "village" && payee_ != "township")
            throw std::invalid_argument(
                "option 'payee' must be \"village\" or \"township\", not \"" + payee_ + "\"");
    }

    std::vector<Payment> compensate(const CompensationInput& in) override {
        const auto lots = pay::index_lots(in.lots);
        std::vector<Payment> out;
        for (const auto& t : in.transfers) {
            const QuotaLot& lot = pay::lot_of(lots, t);
            const Fen value = value_of_area(t.area, price_);
            if (value <= 0)
                continue;
            const std::string& id = payee_ == "village" ? lot.village_id : lot.township_id;
            out.push_back(pay::payment("average", payee_, id, t.transfer_id, t.lot_id, 0, value,
                                       pay::area_text(t.area) + " × " + pay::price_text(price_) +
                                           " (county average price) = " + pay::yuan_text(value)));
        }
        return out;
    }

  private:
    Fen price_;
    std::string payee_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "average";
    info.version = "1.0.0";
    info.description =
        "each transfer valued at the county average price per mu, paid to the producing unit";
    info.source = "Wuyi county practice (全县一盘棋, average-value compensation); "
                  "国办发〔2018〕16号 reference price";
    info.options = {
        {"price_yuan_per_mu", OptionType::Number, 300000.0,
         "county average price in yuan per mu; default 300000 = the 30万元/mu of "
         "国办发〔2018〕16号"},
        {"payee", OptionType::String, std::string("village"),
         "who is paid for the quota: \"village\" (the producing village) or \"township\""},
    };
    registry->add_compensation(info,
                               [](const OptionValues& o) { return std::make_unique<Average>(o); });
}
