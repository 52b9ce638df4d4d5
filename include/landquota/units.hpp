#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace landquota {

// 1 mu = 10000/15 m² exactly; 1 ha = 15 mu.
inline constexpr double kSquareMetresPerMu = 10000.0 / 15.0;
inline constexpr double kSquareMetresPerHectare = 10000.0;

// Accounting area: integer hundredths of a square metre (0.01 m²). Doubles are for geometry,
// this is for books: sums are exact and never drift.
using AreaCm2x100 = std::int64_t; // value 1 == 0.01 m²

// Rounds a computed area in m² to accounting hundredths (half away from zero).
AreaCm2x100 to_hundredths(double m2);

// Accounting hundredths back to m² (for display or ratios, never for sums).
inline double hundredths_to_m2(AreaCm2x100 a) { return static_cast<double>(a) / 100.0; }

// Formats hundredths of m² as "1234.56" without going through floating point.
std::string format_m2(AreaCm2x100 a);

// Area in mu, in hundredths of a mu, rounded half away from zero, computed exactly in integers:
// mu_hundredths = a(0.01 m²) * 15 / 10000 (since 1 mu = 10000/15 m²).
std::int64_t hundredths_m2_to_mu_hundredths(AreaCm2x100 a);
std::string format_mu(std::int64_t mu_hundredths);

// Largest-remainder (Hamilton) apportionment: distributes `total` integer units over rows in
// proportion to `weights`, so that the rows sum to `total` exactly. Ties go to the earlier row,
// so the result is deterministic.
std::vector<std::int64_t> largest_remainder(std::int64_t total, const std::vector<double>& weights);

// Rounds each exact value (given in a finer unit, `scale` finer units per target unit) so that
// the rounded rows sum to `total` exactly (largest remainder): the official-table rule "totals
// reconcile after rounding". Applied top-down (county, zone, township, village) it keeps every
// level equal to the sum of the rows below it.
std::vector<std::int64_t> round_to_total(const std::vector<std::int64_t>& fine, std::int64_t scale,
                                         std::int64_t total);
// Same, with total = the rounded sum of the exact values.
std::vector<std::int64_t> round_to_total(const std::vector<std::int64_t>& fine, std::int64_t scale);
// Exact value in fine units rounded half away from zero to the target unit.
std::int64_t round_div(std::int64_t fine, std::int64_t scale);

} // namespace landquota
