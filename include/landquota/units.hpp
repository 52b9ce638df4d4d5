#pragma once

#include "landquota/message.hpp"

#include <algorithm>
#include <cmath>
#include <cstdint>
#include <numeric>
#include <stdexcept>
#include <string>
#include <vector>

namespace landquota {

// 1 mu = 10000/15 m² exactly; 1 ha = 15 mu.
inline constexpr double kSquareMetresPerMu = 10000.0 / 15.0;
inline constexpr double kSquareMetresPerHectare = 10000.0;

// Accounting area: integer hundredths of a square metre (0.01 m²). Doubles are for geometry,
// this is for books: sums are exact and never drift.
using AreaCm2x100 = std::int64_t; // value 1 == 0.01 m²

// Accounting hundredths back to m² (for display or ratios, never for sums).
inline double hundredths_to_m2(AreaCm2x100 a) {
    return static_cast<double>(a) / 100.0;
}

// Header-only, so plugins need nothing but these headers.
//
// to_hundredths: a computed area in m² to accounting hundredths (half away from zero).
// format_m2: hundredths as "1234.56" without floating point.
// hundredths_m2_to_mu_hundredths: mu to 2 decimals, exactly in integers: a × 15 / 10000.
// largest_remainder: distributes `total` units over rows in proportion to weights so the rows sum
//   to `total` exactly (Hamilton's method); ties go to the earlier row.
// round_to_total: rounds exact values given in a finer unit (`scale` fine units per target unit)
//   so the rows sum to `total` (by default the rounded sum): applied top-down (county, zone,
//   township, village) it keeps every level equal to the sum of the rows below it.
// round_div / round_div128: integer division rounding half away from zero.

inline AreaCm2x100 to_hundredths(double m2) {
    if (!std::isfinite(m2))
        throw PluginError(plugin_message("area is not a finite number"));
    return static_cast<AreaCm2x100>(std::llround(m2 * 100.0));
}

namespace detail {
inline std::string format_fixed2(std::int64_t v) {
    const bool neg = v < 0;
    const std::uint64_t u =
        neg ? static_cast<std::uint64_t>(-(v + 1)) + 1 : static_cast<std::uint64_t>(v);
    std::string frac = std::to_string(u % 100);
    if (frac.size() < 2)
        frac.insert(0, "0");
    return (neg ? "-" : "") + std::to_string(u / 100) + "." + frac;
}

} // namespace detail

// The one rounding division: num / den rounded half away from zero, in 128-bit integers so that
// products of areas, prices and factors cannot overflow on the way. den > 0.
inline __int128 round_div128(__int128 num, __int128 den) {
    __int128 q = num / den;
    const __int128 r = num % den;
    if (2 * (r < 0 ? -r : r) >= den)
        q += num < 0 ? -1 : 1;
    return q;
}

inline std::int64_t round_div(std::int64_t num, std::int64_t den) {
    return static_cast<std::int64_t>(round_div128(num, den));
}

inline std::string format_m2(AreaCm2x100 a) {
    return detail::format_fixed2(a);
}

// The one mu conversion: 1 mu = 10000/15 m², so hundredths of m² × 15 are millionths of a mu
// exactly (an integer), and / 10000 gives hundredths of a mu.
inline constexpr std::int64_t kMuMillionthsPerHundredthM2 = 15;
inline constexpr std::int64_t kMuMillionthsPerMuHundredth = 10000;

// Millionths of a mu, exact.
inline std::int64_t mu_millionths(AreaCm2x100 a) {
    return a * kMuMillionthsPerHundredthM2;
}

// Hundredths of a mu, rounded half away from zero.
inline std::int64_t hundredths_m2_to_mu_hundredths(AreaCm2x100 a) {
    return round_div(mu_millionths(a), kMuMillionthsPerMuHundredth);
}

// Mu as a double, for weights and objectives (never for books).
inline double to_mu(AreaCm2x100 a) {
    return static_cast<double>(mu_millionths(a)) / 1e6;
}
// And back: a (solver's) mu as hundredths of m², unrounded.
inline double hundredths_from_mu(double mu) {
    return mu * 1e6 / static_cast<double>(kMuMillionthsPerHundredthM2);
}

inline std::string format_mu(std::int64_t mu_hundredths) {
    return detail::format_fixed2(mu_hundredths);
}

// Hectares (1 ha = 10 000 m² = 15 mu), exact: hundredths of m² are millionths of a hectare, so a
// hectare figure has 6 decimals and sums of rows equal totals with no rounding at all.
inline constexpr std::int64_t kHundredthsM2PerHa = 1000000;
inline double to_ha(AreaCm2x100 a) {
    return static_cast<double>(a) / static_cast<double>(kHundredthsM2PerHa);
}
inline std::string format_ha(AreaCm2x100 a) {
    const bool neg = a < 0;
    const std::uint64_t u =
        neg ? static_cast<std::uint64_t>(-(a + 1)) + 1 : static_cast<std::uint64_t>(a);
    std::string frac = std::to_string(u % kHundredthsM2PerHa);
    frac.insert(0, 6 - frac.size(), '0');
    return (neg ? "-" : "") + std::to_string(u / kHundredthsM2PerHa) + "." + frac;
}

inline std::vector<std::int64_t> largest_remainder(std::int64_t total,
                                                   const std::vector<double>& weights) {
    std::vector<std::int64_t> out(weights.size(), 0);
    const double sum = std::accumulate(weights.begin(), weights.end(), 0.0);
    if (weights.empty() || total == 0)
        return out;
    if (!(sum > 0.0))
        throw PluginError(plugin_message("largest_remainder: weights must have a positive sum"));
    std::vector<double> rem(weights.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < weights.size(); ++i) {
        if (weights[i] < 0.0)
            throw PluginError(plugin_message("largest_remainder: negative weight"));
        const double exact = static_cast<double>(total) * weights[i] / sum;
        out[i] = static_cast<std::int64_t>(std::floor(exact));
        rem[i] = exact - static_cast<double>(out[i]);
        given += out[i];
    }
    std::vector<std::size_t> order(weights.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
    for (std::size_t k = 0; given < total; k = (k + 1) % order.size(), ++given)
        ++out[order[k]];
    return out;
}

inline std::vector<std::int64_t> round_to_total(const std::vector<std::int64_t>& fine,
                                                std::int64_t scale, std::int64_t total) {
    std::vector<std::int64_t> out(fine.size());
    std::vector<std::int64_t> rem(fine.size());
    std::int64_t given = 0;
    for (std::size_t i = 0; i < fine.size(); ++i) {
        // floor division, valid for negatives too
        std::int64_t q = fine[i] / scale, r = fine[i] % scale;
        if (r < 0) {
            --q;
            r += scale;
        }
        out[i] = q;
        rem[i] = r;
        given += q;
    }
    std::vector<std::size_t> order(fine.size());
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(),
                     [&](std::size_t a, std::size_t b) { return rem[a] > rem[b]; });
    if (order.empty()) {
        if (total != 0)
            throw std::logic_error("round_to_total: a non-zero total over no rows");
        return out;
    }
    // A total from rounding the same exact values lies within one unit per row of the floors;
    // anything else is a caller's bug that redistribution would hide.
    if (total < given || total > given + static_cast<std::int64_t>(order.size()))
        throw std::logic_error("round_to_total: total " + std::to_string(total) +
                               " cannot come from rounding these rows");
    // Hand out the units still missing, largest remainder first.
    for (std::size_t k = 0; given < total; ++k, ++given)
        ++out[order[k]];
    return out;
}

inline std::vector<std::int64_t> round_to_total(const std::vector<std::int64_t>& fine,
                                                std::int64_t scale) {
    const std::int64_t fine_total = std::accumulate(fine.begin(), fine.end(), std::int64_t{0});
    return round_to_total(fine, scale, round_div(fine_total, scale));
}

} // namespace landquota
