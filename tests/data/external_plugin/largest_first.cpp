// A third party's allocation rule: serve the largest demand first, lots in id order.
#include <landquota/plugin.hpp>

#include <algorithm>

namespace {

class LargestFirst : public landquota::AllocationStrategy {
  public:
    explicit LargestFirst(double cap_share) : cap_share_(cap_share) {}

    landquota::AllocationResult allocate(const std::vector<landquota::QuotaLot>& lots,
                                         const std::vector<landquota::Site>& sites) override {
        std::vector<const landquota::Site*> order;
        for (const auto& s : sites)
            order.push_back(&s);
        std::stable_sort(order.begin(), order.end(),
                         [](auto* a, auto* b) { return a->demand > b->demand; });
        std::vector<landquota::AreaCm2x100> left;
        for (const auto& l : lots)
            left.push_back(l.area);
        landquota::AllocationResult r;
        for (const auto* s : order) {
            auto need =
                static_cast<landquota::AreaCm2x100>(static_cast<double>(s->demand) * cap_share_);
            for (std::size_t i = 0; i < lots.size() && need > 0; ++i) {
                const auto take = std::min(need, left[i]);
                if (take <= 0)
                    continue;
                r.transfers.push_back({"", lots[i].lot_id, s->site_id, take});
                left[i] -= take;
                need -= take;
            }
        }
        r.figures.emplace_back("sites_served", static_cast<double>(order.size()));
        return r;
    }

  private:
    double cap_share_;
};

} // namespace

LANDQUOTA_PLUGIN {
    landquota::PluginInfo info;
    info.name = "largest_first";
    info.version = "0.1.0";
    info.description = "largest demand first (an out-of-tree example)";
    info.source = "tests/data/external_plugin";
    info.options = {
        {"cap_share", landquota::OptionType::Number, 1.0, "share of each demand to serve at most"}};
    registry->add_allocation(info, [](const landquota::OptionValues& o) {
        return std::make_unique<LargestFirst>(o.number("cap_share"));
    });
}
