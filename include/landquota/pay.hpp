#pragma once

// Helpers shared by the compensation plugins (average, tiered, split, enclave, award_pool):
// prices from options, lot look-up, exact fractions of an amount and auditor-readable text.
// Header-only and built against the public headers alone, like the plugins themselves.
#include "landquota/allocation.hpp"
#include "landquota/compensation.hpp"
#include "landquota/message.hpp"
#include "landquota/money.hpp"
#include "landquota/options.hpp"
#include "landquota/units.hpp"

#include <cmath>
#include <cstdio>
#include <map>
#include <stdexcept>
#include <string>
#include <vector>

namespace landquota::pay {

// Yuan to fen (a fraction of a fen is refused), naming the option when it is.
inline Fen exact_fen(const std::string& name, double yuan) {
    if (!std::isfinite(yuan))
        throw PluginError(plugin_message("option '{}': amount is not a finite number", name));
    if (std::abs(yuan) > kMaxYuan)
        throw PluginError(plugin_message("option '{}': amount is beyond 10^12 yuan: {}", name,
                                         std::to_string(yuan)));
    try {
        return yuan_to_fen(yuan);
    } catch (const std::invalid_argument&) { // the only case left
        throw PluginError(plugin_message("option '{}': amount has more than two decimals: {}", name,
                                         std::to_string(yuan)));
    }
}

// Whether 0 is a value the option means (a cost that may be nil), or a slip (a price of 0 pays
// the producing villages nothing while the run looks complete).
enum class Zero { Refused, Meant };

// A price option in yuan per mu, as fen per mu; negative prices are refused, and 0 unless meant.
inline Fen price_option(const OptionValues& o, const std::string& name, Zero zero = Zero::Refused) {
    const double yuan = o.number(name);
    // 10^8 yuan per mu is a thousand times any recorded land-ticket price: a larger figure is a
    // typo.
    if (!(yuan >= 0.0) || yuan > 1e8)
        throw PluginError(
            plugin_message("option '{}' must be a price from 0 to 100000000 yuan per mu, not {}",
                           name, std::to_string(yuan)));
    if (yuan == 0.0 && zero == Zero::Refused)
        throw PluginError(
            plugin_message("option '{}' is 0: that pays nothing; give the price (or leave out the "
                           "compensation table if nothing is to be paid)",
                           name));
    return exact_fen(name, yuan);
}

// An amount option in yuan, as fen; negative amounts are refused, and 0 unless meant.
inline Fen amount_option(const OptionValues& o, const std::string& name,
                         Zero zero = Zero::Refused) {
    const double yuan = o.number(name);
    if (!(yuan >= 0.0))
        throw PluginError(plugin_message("option '{}' must be 0 or more yuan, not {}", name,
                                         std::to_string(yuan)));
    if (yuan == 0.0 && zero == Zero::Refused)
        throw PluginError(
            plugin_message("option '{}' is 0: that pays nothing; give the amount (or leave out the "
                           "compensation table if nothing is to be paid)",
                           name));
    return exact_fen(name, yuan);
}

inline std::map<std::string, const QuotaLot*> index_lots(const std::vector<QuotaLot>& lots) {
    std::map<std::string, const QuotaLot*> out;
    for (const auto& l : lots)
        out[l.lot_id] = &l;
    return out;
}

inline const QuotaLot& lot_of(const std::map<std::string, const QuotaLot*>& lots,
                              const Transfer& t) {
    const auto it = lots.find(t.lot_id);
    if (it == lots.end())
        throw PluginError(
            plugin_message("transfer '{}' names unknown lot '{}'", t.transfer_id, t.lot_id));
    return *it->second;
}

// Mu exactly: a hundredths of m² are a × 15 / 10^6 mu, a decimal of at most six places, so it is
// printed in full (trailing zeros dropped, at least two places): 1234567 → "18.518505".
inline std::string mu_text(AreaCm2x100 a) {
    const std::int64_t v = mu_millionths(a);
    const bool neg = v < 0;
    const std::uint64_t u =
        neg ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
    std::string frac = std::to_string(u % 1000000);
    frac.insert(0, 6 - frac.size(), '0');
    while (frac.size() > 2 && frac.back() == '0')
        frac.pop_back();
    return (neg ? "-" : "") + std::to_string(u / 1000000) + "." + frac;
}

// "8000.00 m² = 12.00 mu": the exact accounting area and the exact mu an auditor multiplies by.
inline std::string area_text(AreaCm2x100 a) {
    return format_m2(a) + " m² = " + mu_text(a) + " mu";
}

// "300000.00 yuan/mu"
inline std::string price_text(Fen fen_per_mu) {
    return format_yuan(fen_per_mu) + " yuan/mu";
}

inline std::string yuan_text(Fen fen) {
    return format_yuan(fen) + " yuan";
}

// A share in [0, 1] as parts per billion (the precision kept of a fraction given as a number).
inline std::int64_t share_ppb(double share) {
    return std::llround(share * 1e9);
}

// amount × share, rounded half away from zero to the fen, in 128-bit integers.
inline Fen fraction_of(Fen amount, std::int64_t ppb) {
    return static_cast<Fen>(round_div128(static_cast<__int128>(amount) * ppb, 1000000000));
}

// A number as short text for bases ("0.85", "2.45", "0.333333").
inline std::string number_text(double v) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.6g", v);
    return buf;
}

inline Payment payment(const std::string& model, const std::string& kind, const std::string& payee,
                       const std::string& transfer_id, const std::string& lot_id, int year,
                       Fen amount, std::string basis) {
    Payment p;
    p.model = model;
    p.payee_kind = kind;
    p.payee_id = payee;
    p.transfer_id = transfer_id;
    p.lot_id = lot_id;
    p.year = year;
    p.amount = amount;
    p.basis = std::move(basis);
    return p;
}

// Yearly schedule options shared by the dividend and award models.
struct Schedule {
    int first_year = 0;
    int years = 0;
};

inline Schedule schedule_option(const OptionValues& o) {
    const std::int64_t years = o.integer("years"), first = o.integer("first_year");
    if (years < 1 || years > 100)
        throw PluginError(plugin_message("option 'years' must be between 1 and 100, not {}",
                                         std::to_string(years)));
    if (first < 1900 || first > 3000)
        throw PluginError(plugin_message("option 'first_year' must be a calendar year, not {}",
                                         std::to_string(first)));
    return Schedule{static_cast<int>(first), static_cast<int>(years)};
}

} // namespace landquota::pay
