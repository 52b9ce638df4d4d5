// average: the Wuyi rule. Every transfer is valued at the county average price per mu and paid to
// the unit that produced the quota (its village, or its township), so each unit receives in
// proportion to what it produced. Jiande's 一镇一策: `price_by_type` sets another price for the
// lots of townships of a given type; every other lot keeps the county price.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

#include <cstdlib>
#include <map>

namespace {

using namespace landquota;

class Average : public CompensationModel {
  public:
    explicit Average(const OptionValues& o)
        : price_(pay::price_option(o, "price_yuan_per_mu")), payee_(o.str("payee")) {
        if (payee_ != "village" && payee_ != "township")
            throw PluginError(plugin_message(
                "option 'payee' must be \"village\" or \"township\", not \"{}\"", payee_));
        for (const auto& spec : o.strings("price_by_type")) {
            const auto colon = spec.rfind(':');
            const std::string type = colon == std::string::npos ? "" : spec.substr(0, colon);
            const std::string yuan = colon == std::string::npos ? "" : spec.substr(colon + 1);
            char* end = nullptr;
            const double v = yuan.empty() ? -1.0 : std::strtod(yuan.c_str(), &end);
            if (type.empty() || yuan.empty() || end != yuan.c_str() + yuan.size() || !(v >= 0) ||
                v > 1e8)
                throw PluginError(plugin_message(
                    "option 'price_by_type': \"{}\" is not TYPE:YUAN_PER_MU (e.g. \"文旅:350000\")",
                    spec));
            if (!by_type_.emplace(type, pay::exact_fen("price_by_type", v)).second)
                throw PluginError(
                    plugin_message("option 'price_by_type': type \"{}\" is given twice", type));
        }
    }

    std::vector<Payment> compensate(const CompensationInput& in) override {
        const auto lots = pay::index_lots(in.lots);
        std::vector<Payment> out;
        for (const auto& t : in.transfers) {
            const QuotaLot& lot = pay::lot_of(lots, t);
            const auto typed = by_type_.find(lot.township_type);
            const bool own = !lot.township_type.empty() && typed != by_type_.end();
            const Fen price = own ? typed->second : price_;
            const Fen value = value_of_area(t.area, price);
            if (value <= 0)
                continue;
            const std::string& id = payee_ == "village" ? lot.village_id : lot.township_id;
            out.push_back(pay::payment("average", payee_, id, t.transfer_id, t.lot_id, 0, value,
                                       pay::area_text(t.area) + " × " + pay::price_text(price) +
                                           (own ? " (price for " + lot.township_type + " towns)"
                                                : " (county average price)") +
                                           " = " + pay::yuan_text(value)));
        }
        return out;
    }

  private:
    Fen price_;
    std::string payee_;
    std::map<std::string, Fen> by_type_; // township type -> price per mu (一镇一策)
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
        {"price_by_type", OptionType::StringList, std::vector<std::string>{},
         "TYPE:YUAN_PER_MU: another price for lots of townships of that type "
         "([inputs.townships] type; 一镇一策)"},
    };
    registry->add_compensation(info,
                               [](const OptionValues& o) { return std::make_unique<Average>(o); });
}
