// The allocation stage alone (src/pipeline/allocate.hpp): allocate() runs a strategy built in this
// test (a LoadedPlugin whose factory makes a scripted AllocationStrategy) and checks whatever it
// returns.
#include "landquota/error.hpp"
#include "landquota/plugin.hpp"
#include "pipeline/allocate.hpp"

#include <catch2/catch.hpp>
#include <functional>
#include <stdexcept>

using namespace landquota;

namespace {

// What the scripted strategy returns (or throws), and what it was given.
struct Script {
    AllocationResult result;
    std::function<void()> fail; // throws, when set
    bool fail_in_factory = false;
    std::vector<QuotaLot> lots_seen;
    std::vector<Site> sites_seen;
    std::string option_seen;
};

class ScriptedStrategy : public AllocationStrategy {
  public:
    explicit ScriptedStrategy(Script& s) : s_(s) {}
    AllocationResult allocate(const std::vector<QuotaLot>& lots,
                              const std::vector<Site>& sites) override {
        s_.lots_seen = lots;
        s_.sites_seen = sites;
        if (s_.fail)
            s_.fail();
        return s_.result;
    }

  private:
    Script& s_;
};

const char* const kFile = "/opt/landquota/plugins/liblandquota_plugin_scripted.so";

struct Plugin {
    Script script;
    LoadedPlugin loaded;
    ResolvedPlugin resolved;

    Plugin() {
        loaded.kind = "allocation";
        loaded.info.name = "scripted";
        loaded.info.version = "0.1";
        loaded.file = kFile;
        loaded.allocation = [this](const OptionValues& o) -> std::unique_ptr<AllocationStrategy> {
            script.option_seen = o.str("mode");
            if (script.fail_in_factory)
                script.fail();
            return std::make_unique<ScriptedStrategy>(script);
        };
        resolved.plugin = &loaded;
        resolved.options = OptionValues({{"mode", std::string("test")}});
        resolved.table = "allocation";
    }
    Plugin(const Plugin&) = delete;
};

QuotaLot lot(const std::string& id, AreaCm2x100 area) {
    QuotaLot l;
    l.lot_id = id;
    l.area = area;
    l.state = "accepted";
    return l;
}

Site site(const std::string& id, AreaCm2x100 demand) {
    Site s;
    s.site_id = id;
    s.demand = demand;
    return s;
}

// Lots L1 (1 000) and L2 (500); sites S1 (800) and S2 (700): hundredths of m².
const std::vector<QuotaLot> kLots{lot("L1", 1000), lot("L2", 500)};
const std::vector<Site> kSites{site("S1", 800), site("S2", 700)};

Transfer t(const std::string& lot_id, const std::string& site_id, AreaCm2x100 area) {
    return Transfer{"from-plugin", lot_id, site_id, area};
}

Error error_of(const std::function<void()>& f) {
    try {
        f();
    } catch (const Error& e) {
        return e;
    }
    FAIL("no landquota::Error was thrown");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("allocate: transfers are merged per (site, lot) and numbered T0001…",
          "[stage][allocate]") {
    Plugin p;
    p.script.result.transfers = {t("L2", "S1", 100), t("L1", "S2", 50), t("L1", "S1", 30),
                                 t("L2", "S1", 20)};
    p.script.result.figures = {{"objective", 1.5}};
    p.script.result.notes = {"a note"};

    const AllocationResult r = allocate(p.resolved, kLots, kSites);

    // Merged: (S1, L1) 30, (S1, L2) 100 + 20 = 120, (S2, L1) 50; in (site, lot) order.
    REQUIRE(r.transfers.size() == 3);
    CHECK(r.transfers[0].transfer_id == "T0001");
    CHECK(r.transfers[0].lot_id == "L1");
    CHECK(r.transfers[0].site_id == "S1");
    CHECK(r.transfers[0].area == 30);
    CHECK(r.transfers[1].transfer_id == "T0002");
    CHECK(r.transfers[1].lot_id == "L2");
    CHECK(r.transfers[1].site_id == "S1");
    CHECK(r.transfers[1].area == 120);
    CHECK(r.transfers[2].transfer_id == "T0003");
    CHECK(r.transfers[2].lot_id == "L1");
    CHECK(r.transfers[2].site_id == "S2");
    CHECK(r.transfers[2].area == 50);
    // Figures and notes pass through.
    REQUIRE(r.figures.size() == 1);
    CHECK(r.figures[0].first == "objective");
    CHECK(r.figures[0].second == 1.5);
    CHECK(r.notes == std::vector<Message>{"a note"});
    // The strategy was made with the resolved options and given the lots and sites as they are.
    CHECK(p.script.option_seen == "test");
    REQUIRE(p.script.lots_seen.size() == 2);
    CHECK(p.script.lots_seen[1].lot_id == "L2");
    CHECK(p.script.lots_seen[1].area == 500);
    REQUIRE(p.script.sites_seen.size() == 2);
    CHECK(p.script.sites_seen[1].demand == 700);
}

TEST_CASE("allocate: lots and sites may be used exactly up", "[stage][allocate]") {
    Plugin p;
    // L2 gives all 500 (300 + 200); S1 gets all 800 (500 + 300).
    p.script.result.transfers = {t("L1", "S1", 500), t("L2", "S1", 300), t("L2", "S2", 200)};
    const AllocationResult r = allocate(p.resolved, kLots, kSites);
    REQUIRE(r.transfers.size() == 3);
    AreaCm2x100 total = 0;
    for (const auto& x : r.transfers)
        total += x.area;
    CHECK(total == 1000);
}

TEST_CASE("allocate: an impossible allocation is an internal error naming the plugin",
          "[stage][allocate]") {
    struct Case {
        const char* what;
        std::vector<Transfer> transfers;
        std::string message;
    };
    const std::vector<Case> cases{
        {"unknown lot", {t("L9", "S1", 10)}, "unknown lot 'L9'"},
        {"unknown site", {t("L1", "S9", 10)}, "unknown site 'S9'"},
        {"zero transfer", {t("L1", "S1", 0)}, "a transfer of 0.00 m² from L1 to S1"},
        {"negative transfer", {t("L1", "S1", -5)}, "a transfer of -0.05 m² from L1 to S1"},
        // L2 has 500: 300 + 201.
        {"lot over-used",
         {t("L2", "S1", 300), t("L2", "S2", 201)},
         "lot 'L2' used beyond its area"},
        // S1 asks 800: 500 + 301.
        {"site over-given",
         {t("L1", "S1", 500), t("L2", "S1", 301)},
         "site 'S1' given more than its demand"},
    };
    for (const auto& c : cases) {
        INFO(c.what);
        Plugin p;
        p.script.result.transfers = c.transfers;
        const Error e = error_of([&] { allocate(p.resolved, kLots, kSites); });
        CHECK(e.stage() == Stage::Allocate);
        CHECK(e.kind() == Error::Kind::Internal);
        CHECK(e.exit_code() == ExitCode::Internal);
        CHECK(std::string(e.what()) == std::string("allocate: strategy 'scripted' (") + kFile +
                                           ") returned an impossible allocation: " + c.message);
    }
}

TEST_CASE("allocate: what the plugin throws", "[stage][allocate]") {
    Plugin p;

    SECTION("std::invalid_argument is bad input, naming the job table") {
        p.script.fail = [] { throw std::invalid_argument("site_order: no key 'speed'"); };
        const Error e = error_of([&] { allocate(p.resolved, kLots, kSites); });
        CHECK(e.kind() == Error::Kind::Input);
        CHECK(e.stage() == Stage::Allocate);
        CHECK(std::string(e.what()) ==
              "allocate: [allocation] strategy 'scripted': site_order: no key 'speed'");
    }
    SECTION("also when the factory throws it") {
        p.script.fail = [] { throw std::invalid_argument("bad"); };
        p.script.fail_in_factory = true;
        const Error e = error_of([&] { allocate(p.resolved, kLots, kSites); });
        CHECK(e.kind() == Error::Kind::Input);
        CHECK(std::string(e.what()) == "allocate: [allocation] strategy 'scripted': bad");
    }
    SECTION("any other exception is an internal error") {
        p.script.fail = [] { throw std::runtime_error("solver crashed"); };
        const Error e = error_of([&] { allocate(p.resolved, kLots, kSites); });
        CHECK(e.kind() == Error::Kind::Internal);
        CHECK(std::string(e.what()) == "allocate: strategy 'scripted' failed: solver crashed");
    }
    SECTION("a landquota::Error passes through as it is") {
        p.script.fail = [] { throw Error(Stage::Allocate, "no lot may reach S1"); };
        const Error e = error_of([&] { allocate(p.resolved, kLots, kSites); });
        CHECK(e.kind() == Error::Kind::Input);
        CHECK(std::string(e.what()) == "allocate: no lot may reach S1");
    }
}
