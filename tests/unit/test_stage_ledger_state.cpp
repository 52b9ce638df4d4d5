// The ledger-state stage alone (src/pipeline/ledger_state.hpp), on LedgerState values built by
// hand: what earlier runs spent and gave, what is left, the shortfall rules and the run prefix.
// No ledger file is opened.
//
// 1 ha = 1 000 000 hundredths of m² = 15.00 mu (stage_fixtures.hpp).
#include "stage_fixtures.hpp"

#include "landquota/error.hpp"
#include "pipeline/ledger_state.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {

QuotaLot lot(const std::string& id, AreaCm2x100 area, const std::string& state = "accepted") {
    QuotaLot l;
    l.lot_id = id;
    l.village_id = "V" + id;
    l.area = area;
    l.state = state;
    l.accepted = "2024-01-01";
    l.parcels = {LotParcel{"P" + id, "", "0702", area}};
    return l;
}

Site site(const std::string& id, AreaCm2x100 demand) {
    Site s;
    s.site_id = id;
    s.demand = demand;
    s.township_id = "T1";
    return s;
}

LedgerState state(std::map<std::string, AreaCm2x100> spent = {},
                  std::map<std::string, AreaCm2x100> received = {}) {
    return LedgerState{"/ledgers/county.ledger.sqlite", 3, "R3-", std::move(spent),
                       std::move(received)};
}

LedgerSettings refuse(bool on) {
    LedgerSettings s;
    s.refuse_shortfall = on;
    return s;
}

Transfer transfer(const std::string& id, AreaCm2x100 area) {
    return Transfer{id, "L1", "S1", area};
}

} // namespace

TEST_CASE("ledger state: unspent lots are the accepted lots less what earlier runs spent",
          "[stage][ledger_state]") {
    const std::vector<QuotaLot> lots{lot("L1", kHa), lot("L2", kHa), lot("L3", kHa, "planned"),
                                     lot("L4", kHa)};
    // L1 partly spent, L2 used up, L3 not accepted (spending on it does not matter), L4 untouched.
    const LedgerState s = state({{"L1", 400000}, {"L2", kHa}, {"L3", 1}});

    const std::vector<QuotaLot> left = unspent_lots(lots, s);

    REQUIRE(left.size() == 2);
    CHECK(left[0].lot_id == "L1");
    CHECK(left[0].area == 600000);
    CHECK(left[0].village_id == "VL1"); // the rest of the lot as it was
    CHECK(left[0].accepted == "2024-01-01");
    REQUIRE(left[0].parcels.size() == 1);
    CHECK(left[1].lot_id == "L4");
    CHECK(left[1].area == kHa);
    // The input is not changed.
    CHECK(lots[0].area == kHa);
    CHECK(lots.size() == 4);
}

TEST_CASE("ledger state: remaining demand is the demand less what earlier runs gave",
          "[stage][ledger_state]") {
    const std::vector<Site> sites{site("S1", kHa), site("S2", kHa), site("S3", kHa)};
    // S1 got 0.3 ha; S2 got more than it now asks for (demand lowered since): 0, not negative.
    const LedgerState s = state({}, {{"S1", 300000}, {"S2", 1500000}});

    const std::vector<Site> left = remaining_demand(sites, s);

    REQUIRE(left.size() == 3); // sites are never dropped
    CHECK(left[0].demand == 700000);
    CHECK(left[1].demand == 0);
    CHECK(left[2].demand == kHa);
    CHECK(left[0].township_id == "T1");
    CHECK(sites[0].demand == kHa); // the input is a copy
}

TEST_CASE("ledger state: a lot may not shrink below what was already spent from it",
          "[stage][ledger_state]") {
    const LedgerState s = state({{"L1", 600}});
    CHECK_NOTHROW(check_spent_within({lot("L1", 600)}, s)); // exactly spent: fine
    CHECK_NOTHROW(check_spent_within({lot("L2", 1)}, s));   // nothing spent from it
    try {
        check_spent_within({lot("L2", 1), lot("L1", 500)}, s);
        FAIL("a lot smaller than its spending was accepted");
    } catch (const Error& e) {
        CHECK(e.stage() == Stage::Ledger);
        CHECK(e.kind() == Error::Kind::Input);
        CHECK_THAT(e.what(), Catch::StartsWith("ledger: lot L1: its freed quota is now 5.00 m² "
                                               "but 6.00 m² of it were already transferred"));
        CHECK_THAT(e.what(), Catch::Contains("landquota audit reverse"));
    }
}

TEST_CASE("ledger state: on_shortfall = refuse, before the allocation", "[stage][ledger_state]") {
    const LedgerState s = state();
    // Supply 1 ha + 0.5 ha = 22.50 mu.
    const std::vector<QuotaLot> supply{lot("L1", kHa), lot("L2", kHa / 2)};
    const std::vector<Site> two_ha{site("S1", kHa), site("S2", kHa)}; // 30.00 mu
    const std::vector<Site> exactly{site("S1", kHa), site("S2", kHa / 2)};

    CHECK_NOTHROW(refuse_shortfall_before(refuse(false), s, supply, two_ha));
    CHECK_NOTHROW(refuse_shortfall_before(refuse(true), s, supply, exactly));
    try {
        refuse_shortfall_before(refuse(true), s, supply, two_ha);
        FAIL("a shortfall was not refused");
    } catch (const Error& e) {
        CHECK(e.stage() == Stage::Allocate);
        CHECK(e.kind() == Error::Kind::Input);
        CHECK_THAT(e.what(), Catch::Contains("the sites ask for 30.00 mu but only 22.50 mu") &&
                                 Catch::Contains("/ledgers/county.ledger.sqlite"));
    }
}

TEST_CASE("ledger state: on_shortfall = refuse, after the allocation", "[stage][ledger_state]") {
    const std::vector<Site> demand{site("S1", kHa), site("S2", kHa)}; // 30.00 mu
    const std::vector<Transfer> short_by_half{transfer("T0001", kHa),
                                              transfer("T0002", kHa / 2)}; // 22.50 mu
    const std::vector<Transfer> all{transfer("T0001", kHa), transfer("T0002", kHa)};

    CHECK_NOTHROW(refuse_shortfall_after(refuse(false), demand, short_by_half));
    CHECK_NOTHROW(refuse_shortfall_after(refuse(true), demand, all));
    try {
        refuse_shortfall_after(refuse(true), demand, short_by_half);
        FAIL("an allocation short of the demand was not refused");
    } catch (const Error& e) {
        CHECK(e.stage() == Stage::Allocate);
        CHECK_THAT(e.what(), Catch::Contains("the sites ask for 30.00 mu but the allocation can "
                                             "give them only 22.50 mu"));
    }
}

TEST_CASE("ledger state: ids get the run's prefix", "[stage][ledger_state]") {
    const LedgerState s = state();
    const std::vector<Transfer> transfers{transfer("T0001", 100), transfer("T0002", 200)};
    const std::vector<Transfer> t = with_run_prefix(transfers, &Transfer::transfer_id, s.prefix);
    REQUIRE(t.size() == 2);
    CHECK(t[0].transfer_id == "R3-T0001");
    CHECK(t[1].transfer_id == "R3-T0002");
    CHECK(t[1].area == 200);
    CHECK(t[1].lot_id == "L1"); // only the id changes
    CHECK(transfers[0].transfer_id == "T0001");

    std::vector<Payment> payments(1);
    payments[0].payment_id = "P00001";
    payments[0].transfer_id = "T0001";
    const auto p = with_run_prefix(payments, &Payment::payment_id, s.prefix);
    CHECK(p[0].payment_id == "R3-P00001");
    CHECK(p[0].transfer_id == "T0001"); // only the named id changes
}
