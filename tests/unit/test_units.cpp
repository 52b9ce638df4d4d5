#include "landquota/units.hpp"

#include <catch2/catch.hpp>
#include <limits>
#include <numeric>

using namespace landquota;

TEST_CASE("1 mu is 10000/15 m2 and 1 ha is 15 mu", "[units]") {
    CHECK(kSquareMetresPerMu * 15.0 == Approx(kSquareMetresPerHectare));
    // 666.67 m² is 1.00 mu to the hundredth; 1 ha = 15.00 mu
    CHECK(hundredths_m2_to_mu_hundredths(66667) == 100);
    CHECK(hundredths_m2_to_mu_hundredths(1000000) == 1500);
    CHECK(format_mu(hundredths_m2_to_mu_hundredths(1000000)) == "15.00");
}

TEST_CASE("accounting hundredths round half away from zero and format exactly", "[units]") {
    CHECK(to_hundredths(1234.565) == 123457); // 1234.565 is stored a hair above .565
    CHECK(to_hundredths(0.004) == 0);
    CHECK(to_hundredths(-0.125) == -13); // exactly half a hundredth: away from zero
    CHECK(format_m2(123456) == "1234.56");
    CHECK(format_m2(5) == "0.05");
    CHECK(format_m2(-5) == "-0.05");
    CHECK(format_m2(-120) == "-1.20");
    CHECK_THROWS(to_hundredths(std::nan("")));
}

TEST_CASE("largest remainder hands out exactly the total", "[units]") {
    const auto r = largest_remainder(100, {1.0, 1.0, 1.0});
    CHECK(r == std::vector<std::int64_t>{34, 33, 33});
    // 7 × (0.5, 0.25, 0.25) = (3.5, 1.75, 1.75): floors 3, 1, 1; the two 0.75 remainders win.
    CHECK(largest_remainder(7, {0.5, 0.25, 0.25}) == std::vector<std::int64_t>{3, 2, 2});
    CHECK_THROWS(largest_remainder(5, {0.0, 0.0}));
}

TEST_CASE("rounded rows reconcile with their rounded total", "[units]") {
    // Six rows of 1.5 (scale 10): rounding each alone gives 6 × 2 = 12, but the total is 9.0, so
    // three rows keep 1 and three get 2 — the earlier ones, ties being broken by position.
    CHECK(round_to_total({15, 15, 15, 15, 15, 15}, 10) ==
          std::vector<std::int64_t>{2, 2, 2, 1, 1, 1});
    // Top-down use: a parent's figure (7) shared over rows of 2.6 each: floors 2+2+2, one more.
    CHECK(round_to_total({26, 26, 26}, 10, 7) == std::vector<std::int64_t>{3, 2, 2});
    // Every row stays within one unit of its exact value.
    const std::vector<std::int64_t> fine{123, 456, 789, 1011, 1213};
    const auto rows = round_to_total(fine, 100);
    for (std::size_t i = 0; i < fine.size(); ++i)
        CHECK(std::abs(rows[i] * 100 - fine[i]) < 100);
    CHECK(std::accumulate(rows.begin(), rows.end(), std::int64_t{0}) == round_div(3592, 100));
    // Negative freed quota (resettlement above reclaim): -1.5, 2.5, 0.5 sum to 1.5 -> 2. Floors
    // -2, 2, 0 with equal remainders: the first two rows get the two units.
    CHECK(round_to_total({-15, 25, 5}, 10) == std::vector<std::int64_t>{-1, 3, 0});
    // A total that rounding these rows cannot produce is a bug, not something to spread around.
    CHECK_THROWS(round_to_total({26, 26, 26}, 10, 12));
    CHECK_THROWS(round_to_total({26, 26, 26}, 10, 5));
}

TEST_CASE("hectares are exact: hundredths of m² are millionths of a hectare", "[units]") {
    CHECK(format_ha(0) == "0.000000");
    CHECK(format_ha(1) == "0.000001");           // 0.01 m²
    CHECK(format_ha(100000000) == "100.000000"); // 1 km² = 100 ha
    CHECK(format_ha(53585091) == "53.585091");   // 535 850.91 m²
    CHECK(format_ha(-5) == "-0.000005");
    CHECK(format_ha(std::numeric_limits<std::int64_t>::min()) == "-9223372036854.775808");
    CHECK(to_ha(15000000) == 15.0);                         // 150 000 m² = 15 ha = 225 mu
    CHECK(hundredths_m2_to_mu_hundredths(1000000) == 1500); // 1 ha = 15 mu
}
