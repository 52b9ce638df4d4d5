// tiered: each transfer priced by what its lot's land was reclaimed to — ordinary arable, other
// farmland, high-standard farmland, forest — and paid to the producing village.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

namespace {

using namespace landquota;

const std::vector<std::pair<std::string, std::string>> kClasses = {
    {"arable", "arable_yuan_per_mu"},
    {"other_farmland", "other_farmland_yuan_per_mu"},
    {"high_standard", "high_standard_yuan_per_mu"},
    {"forest", "forest_yuan_per_mu"},
};

std::string known_classes() {
    std::string s;
    for (const auto& [c, _] : kClasses)
        s += (s.empty() ? "" : ", ") + c;
    return s;
}

class Tiered : public CompensationModel {
  public:
    explicit Tiered(const OptionValues& o) : default_class_(o.str("default_class")) {
        for (const auto& [c, option] : kClasses)
            prices_[c] = pay::price_option(o, option);
        if (!prices_.count(default_class_))
            throw PluginError(plugin_message("option 'default_class' is \"{}\"; known classes: {}",
                                             default_class_, known_classes()));
    }

    std::vector<Payment> compensate(const CompensationInput& in) override {
        const auto lots = pay::index_lots(in.lots);
        std::vector<Payment> out;
        for (const auto& t : in.transfers) {
            const QuotaLot& lot = pay::lot_of(lots, t);
            const bool defaulted = lot.reclaim_to.empty();
            const std::string cls = defaulted ? default_class_ : lot.reclaim_to;
            const auto it = prices_.find(cls);
            if (it == prices_.end())
                throw PluginError(plugin_message(
                    "tiered: lot '{}' was reclaimed to '{}', which has no price; known classes: {}",
                    lot.lot_id, cls, known_classes()));
            const Fen value = value_of_area(t.area, it->second);
            if (value <= 0)
                continue;
            out.push_back(pay::payment(
                "tiered", "village", lot.village_id, t.transfer_id, t.lot_id, 0, value,
                pay::area_text(t.area) + " × " + pay::price_text(it->second) + " (reclaimed to " +
                    cls + (defaulted ? ", the default class" : "") +
                    ") = " + pay::yuan_text(value)));
        }
        return out;
    }

  private:
    std::map<std::string, Fen> prices_;
    std::string default_class_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "tiered";
    info.version = "1.0.0";
    info.description =
        "each transfer priced by what the land was reclaimed to, paid to the producing village";
    info.source = "国办发〔2018〕16号: 30万元/mu ordinary arable or other farmland, 40万元/mu "
                  "high-standard farmland";
    info.options = {
        {"arable_yuan_per_mu", OptionType::Number, 300000.0,
         "price for land reclaimed to ordinary arable land (yuan/mu; 国办发〔2018〕16号: 300000)"},
        {"other_farmland_yuan_per_mu", OptionType::Number, 300000.0,
         "price for land reclaimed to other farmland (yuan/mu; 国办发〔2018〕16号: 300000)"},
        {"high_standard_yuan_per_mu", OptionType::Number, 400000.0,
         "price for land reclaimed to high-standard farmland (yuan/mu; 国办发〔2018〕16号: "
         "400000)"},
        {"forest_yuan_per_mu", OptionType::Number, 300000.0,
         "price for land reclaimed to forest (yuan/mu)"},
        {"default_class", OptionType::String, std::string("arable"),
         "class used when a lot does not say what it was reclaimed to: arable, other_farmland, "
         "high_standard, "
         "forest"},
    };
    registry->add_compensation(info,
                               [](const OptionValues& o) { return std::make_unique<Tiered>(o); });
}
