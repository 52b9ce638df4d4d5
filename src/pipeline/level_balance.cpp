#include "pipeline/level_balance.hpp"

#include <array>
#include <map>

namespace landquota {

namespace {

// Where something is at each level: region, zone (keyed with its region: zone ids may repeat
// across regions) and township.
struct Place {
    std::string region, zone, township;
};

enum Level { kJob, kRegion, kZone, kTownship, kLevels };
constexpr std::array<const char*, kLevels> kLevelNames{"job", "region", "zone", "township"};

std::string key_at(int level, const Place& p) {
    switch (level) {
    case kRegion:
        return p.region;
    case kZone:
        return p.region + '\x1f' + p.zone;
    case kTownship:
        return p.township;
    default:
        return {};
    }
}

class Balances {
  public:
    explicit Balances(const QuotaTables& q) {
        row(kJob, {});
        for (const auto& r : q.regions)
            row(kRegion, r.id).name = r.name;
        for (const auto& z : q.zones) {
            LevelBalance& b = row(kZone, z.parent_id + '\x1f' + z.id);
            b.id = z.id;
            b.name = z.name;
            b.parent = z.parent_id;
        }
        for (const auto& t : q.townships) {
            LevelBalance& b = row(kTownship, t.id);
            b.name = t.name;
            b.parent = t.parent_id;
        }
    }

    // Adds to the row of `p`'s unit at every level.
    template <typename Add> void at(const Place& p, Add&& add) {
        for (int level = 0; level < kLevels; ++level)
            add(row(level, key_at(level, p)));
    }
    // Adds to the rows of the units holding both `a` and `b`.
    template <typename Add> void shared(const Place& a, const Place& b, Add&& add) {
        for (int level = 0; level < kLevels; ++level)
            if (key_at(level, a) == key_at(level, b))
                add(row(level, key_at(level, a)));
    }

    std::vector<LevelBalance> rows() const {
        std::vector<LevelBalance> out;
        for (const auto& level : rows_)
            for (const auto& [key, b] : level)
                out.push_back(b);
        return out;
    }

  private:
    LevelBalance& row(int level, const std::string& key) {
        auto [it, added] = rows_[level].try_emplace(key);
        if (added) {
            it->second.level = kLevelNames[level];
            it->second.id = level == kZone ? key.substr(key.find('\x1f') + 1) : key;
            if (level == kZone)
                it->second.parent = key.substr(0, key.find('\x1f'));
        }
        return it->second;
    }
    std::array<std::map<std::string, LevelBalance>, kLevels> rows_;
};

} // namespace

std::vector<LevelBalance> level_balance(const QuotaTables& q, const AllocationRun& a) {
    Balances b(q);
    std::map<std::string, Place> lot_at, site_at, village_at, township_at;
    for (const auto& l : a.lots)
        lot_at[l.lot_id] = {l.region_id, l.zone_id, l.township_id};
    for (const auto& s : a.sites)
        site_at[s.site_id] = {s.region_id, s.zone_id, s.township_id};
    for (const auto& v : q.villages)
        village_at[v.village_id] = {v.region_id, v.zone_id, v.township_id};
    for (const auto& t : q.townships)
        township_at[t.id] = {t.region_id, t.parent_id, t.id};
    auto place = [](const std::map<std::string, Place>& m, const std::string& id) {
        const auto it = m.find(id);
        return it == m.end() ? Place{} : it->second;
    };

    for (const auto& l : a.supply)
        b.at(place(lot_at, l.lot_id), [&](LevelBalance& r) { r.supply += l.area; });
    for (const auto& s : a.demand)
        b.at(place(site_at, s.site_id), [&](LevelBalance& r) { r.demand += s.demand; });
    for (const auto& t : a.transfers) {
        const Place from = place(lot_at, t.lot_id), to = place(site_at, t.site_id);
        b.at(from, [&](LevelBalance& r) { r.sent += t.area; });
        b.at(to, [&](LevelBalance& r) { r.received += t.area; });
        b.shared(from, to, [&](LevelBalance& r) { r.within += t.area; });
    }
    for (const auto& p : a.payments) {
        Place where;
        if (!p.lot_id.empty())
            where = place(lot_at, p.lot_id);
        else if (p.payee_kind == "township")
            where = place(township_at, p.payee_id);
        else if (p.payee_kind == "village" || p.payee_kind == "collective")
            where = place(village_at, p.payee_id);
        b.at(where, [&](LevelBalance& r) { r.paid += p.amount; });
    }
    return b.rows();
}

} // namespace landquota
