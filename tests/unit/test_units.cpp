#include "landquota/units.hpp"

#include <catch2/catch.hpp>
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
    const auto s = largest_remainder(7, {0.5, 0.25, 0.25});
    CHECK(std::accumulate(s.begin(), s.end(), std::int64_t{0}) == 7);
    CHECK(s[0] >= 3);
    CHECK_THROWS(largest_remainder(5, {0.0, 0.0}));
}

TEST_CASE("rounded rows reconcile with their rounded total", "[units]") {
    // Three villages of 0.005 mu-hundredths each: rounding each alone gives 3 x 1 = 3, but the
    // rounded total is 2 (1.5 -> 2), so one row must give way.
    const std::vector<std::int64_t> fine{15, 15, 15, 15, 15, 15}; // scale 10: 1.5 each, total 9.0
    const auto rows = round_to_total(fine, 10);
    CHECK(std::accumulate(rows.begin(), rows.end(), std::int64_t{0}) == 9);
    // Top-down use: a parent total forced one below the sum of floors still reconciles.
    const auto down = round_to_total({26, 26, 26}, 10, 7);
    CHECK(std::accumulate(down.begin(), down.end(), std::int64_t{0}) == 7);
    // Negative freed quota (resettlement above reclaim) rounds consistently too.
    const auto neg = round_to_total({-15, 25, 5}, 10);
    CHECK(std::accumulate(neg.begin(), neg.end(), std::int64_t{0}) == round_div(15, 10));
}
