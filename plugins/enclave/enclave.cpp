// enclave: Shengzhou 飞地抱团. The producing villages take shares in a pooled project in
// proportion to the quota they contributed (the transfers from their lots); the project's yearly
// dividend is split among them by largest remainder on contributed area, for a number of years.
#include "landquota/pay.hpp"

#include "landquota/plugin.hpp"

#include <set>

namespace {

using namespace landquota;

class Enclave : public CompensationModel {
  public:
    explicit Enclave(const OptionValues& o)
        : dividend_(pay::amount_option(o, "annual_dividend_yuan")),
          schedule_(pay::schedule_option(o)) {}

    std::vector<Payment> compensate(const CompensationInput& in) override {
        const auto lots = pay::index_lots(in.lots);
        struct Share {
            AreaCm2x100 area = 0;
            std::set<std::string> lots;
        };
        std::map<std::string, Share> villages; // by village_id: deterministic order
        AreaCm2x100 total = 0;
        for (const auto& t : in.transfers) {
            if (t.area <= 0)
                continue;
            const QuotaLot& lot = pay::lot_of(lots, t);
            Share& s = villages[lot.village_id];
            s.area += t.area;
            s.lots.insert(lot.lot_id);
            total += t.area;
        }
        std::vector<Payment> out;
        if (total <= 0 || dividend_ <= 0)
            return out;
        std::vector<double> w;
        for (const auto& [_, s] : villages)
            w.push_back(static_cast<double>(s.area));
        const auto shares = largest_remainder(dividend_, w);
        for (int y = 0; y < schedule_.years; ++y) {
            const int year = schedule_.first_year + y;
            std::size_t i = 0;
            for (const auto& [village, s] : villages) {
                const Fen amount = shares[i++];
                if (amount <= 0)
                    continue;
                out.push_back(pay::payment(
                    "enclave", "village", village, "", s.lots.size() == 1 ? *s.lots.begin() : "",
                    year, amount,
                    "share of the " + std::to_string(year) + " pooled-project dividend " +
                        pay::yuan_text(dividend_) + " by contributed quota " +
                        pay::area_text(s.area) + " of " + pay::area_text(total) + " (year " +
                        std::to_string(y + 1) + " of " + std::to_string(schedule_.years) + ")"));
            }
        }
        return out;
    }

  private:
    Fen dividend_;
    pay::Schedule schedule_;
};

} // namespace

LANDQUOTA_PLUGIN {
    PluginInfo info;
    info.name = "enclave";
    info.version = "1.0.0";
    info.description = "villages share a pooled project's yearly dividend in proportion to the "
                       "quota they contributed";
    info.source = "Shengzhou 飞地抱团 enclave pooling (e.g. 58 weak villages; 4242万元 a year to "
                  "183 villages)";
    info.options = {
        {"annual_dividend_yuan", OptionType::Number, 0.0,
         "the pooled project's dividend paid out each year, in yuan (no default: the job file must "
         "set it)",
         true},
        {"years", OptionType::Integer, std::int64_t{10}, "number of yearly dividends"},
        {"first_year", OptionType::Integer, std::int64_t{2027}, "year of the first dividend"},
    };
    registry->add_compensation(info,
                               [](const OptionValues& o) { return std::make_unique<Enclave>(o); });
}
