#pragma once

#include "landquota/message.hpp"
#include "landquota/units.hpp"

#include <cmath>
#include <cstdint>
#include <stdexcept>
#include <string>

namespace landquota {

// Money is kept in integer fen (分, 0.01 yuan), never in floating point.
using Fen = std::int64_t;

// A price or amount given in yuan (job files speak yuan) to fen, refusing more than two decimals'
// worth of precision being lost silently.
// Amounts beyond a trillion yuan are refused: no land price is near it, and the integer sums of
// many such amounts must stay far from int64's limit.
inline constexpr double kMaxYuan = 1e12;

inline Fen yuan_to_fen(double yuan) {
    if (!std::isfinite(yuan))
        throw PluginError(plugin_message("amount is not a finite number"));
    if (std::abs(yuan) > kMaxYuan)
        throw PluginError(plugin_message("amount is beyond 10^12 yuan: {}", std::to_string(yuan)));
    const double fen = yuan * 100.0;
    const Fen rounded = static_cast<Fen>(std::llround(fen));
    // Within a thousandth of a fen of a whole fen (allowing for binary representation), else the
    // amount had a third decimal.
    if (std::abs(fen - static_cast<double>(rounded)) > std::max(1e-3, 1e-12 * std::abs(fen)))
        throw PluginError(
            plugin_message("amount has more than two decimals: {}", std::to_string(yuan)));
    return rounded;
}

// "1234567.89" (yuan) from fen, exactly.
inline std::string format_yuan(Fen fen) {
    return detail::format_fixed2(fen);
}

// The value of an area at a price per mu, in fen, rounded half away from zero:
// area(0.01 m²) × price(fen/mu) × 15 / 1 000 000, computed in 128-bit integers.
inline Fen value_of_area(AreaCm2x100 area, Fen fen_per_mu) {
    const __int128 q =
        round_div128(static_cast<__int128>(mu_millionths(area)) * fen_per_mu, 1000000);
    constexpr __int128 kMaxFen = static_cast<__int128>(kMaxYuan) * 100;
    if (q > kMaxFen || q < -kMaxFen)
        throw PluginError(plugin_message("the value of {} m² at this price is beyond 10^12 yuan",
                                         format_m2(area)));
    return static_cast<Fen>(q);
}

} // namespace landquota
