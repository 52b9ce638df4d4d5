// The rounding of allocated mu as methods.md §1 states it: the total rounded, shared among the
// sites (by site id) and each site's among its transfers (in run order), every row its exact value
// rounded down or up, ties to the earlier row.
#include "publish/allocation_index.hpp"

#include <catch2/catch.hpp>

using namespace landquota;

TEST_CASE("allocated mu: total, then sites by id, then transfers in run order",
          "[units][allocation]") {
    // 4.00 m² (area 400) is exactly 6 000 millionths of a mu: 0.6 hundredths. 200.00 m² is
    // exactly 0.30 mu.
    //   R1-T0001 S1 400     0.6 hundredths       S1 exact 1.2 hundredths
    //   R1-T0002 S1 400     0.6
    //   R1-T0003 S3 20000   30 (an exact hundredth) S3 exact 30.6
    //   R1-T0004 S3 400     0.6
    //   R1-T0005 S2 400     0.6                  S2 exact 0.6
    // Total 21 600 → 32.4 → 32 hundredths. Sites round down to 1, 0, 30 (31) with remainders
    // 0.2, 0.6, 0.6: the missing hundredth goes to S2, which ties with S3 and comes first by id
    // although its transfer is the last of the run. S1's 1 goes to R1-T0001 (a tie with R1-T0002,
    // earlier in the run); S3's 30 to R1-T0003, which keeps its exact 30, and R1-T0004 gets 0.
    // Rounded one by one the transfers would give 1 + 1 + 30 + 1 + 1 = 34, not 32.
    AllocationRun a;
    for (const char* s : {"S1", "S2", "S3"}) {
        Site site;
        site.site_id = s;
        a.sites.push_back(site);
    }
    QuotaLot lot;
    lot.lot_id = "L1";
    a.lots.push_back(lot);
    a.transfers = {{"R1-T0001", "L1", "S1", 400},
                   {"R1-T0002", "L1", "S1", 400},
                   {"R1-T0003", "L1", "S3", 20000},
                   {"R1-T0004", "L1", "S3", 400},
                   {"R1-T0005", "L1", "S2", 400}};
    const AllocationIndex index(a);

    CHECK(index.site_mu("S1") == 1);
    CHECK(index.site_mu("S2") == 1);
    CHECK(index.site_mu("S3") == 30);
    CHECK(index.transfer_mu("R1-T0001") == 1);
    CHECK(index.transfer_mu("R1-T0002") == 0);
    CHECK(index.transfer_mu("R1-T0003") == 30);
    CHECK(index.transfer_mu("R1-T0004") == 0);
    CHECK(index.transfer_mu("R1-T0005") == 1);

    // The rules stated, checked as rules: the sites add up to the manifest's total, each site is
    // the sum of its transfers, and every figure is its exact value rounded down or up.
    const std::int64_t total = hundredths_m2_to_mu_hundredths(total_area(a.transfers));
    CHECK(total == 32);
    CHECK(index.site_mu("S1") + index.site_mu("S2") + index.site_mu("S3") == total);
    for (const auto& s : a.sites) {
        std::int64_t sum = 0;
        for (const auto& t : a.transfers)
            if (t.site_id == s.site_id) {
                sum += index.transfer_mu(t.transfer_id);
                const std::int64_t exact = mu_millionths(t.area); // millionths
                CHECK(index.transfer_mu(t.transfer_id) * 10000 > exact - 10000);
                CHECK(index.transfer_mu(t.transfer_id) * 10000 < exact + 10000);
            }
        CHECK(sum == index.site_mu(s.site_id));
    }
    // A site nothing was given shows 0.
    CHECK(index.site_mu("S9") == 0);
}
