// The compensation stage alone (src/pipeline/compensate.hpp): compensate() runs models built in
// this test (LoadedPlugins whose factories make scripted CompensationModels) and checks whatever
// they return.
#include "landquota/error.hpp"
#include "landquota/plugin.hpp"
#include "pipeline/compensate.hpp"

#include <catch2/catch.hpp>
#include <deque>
#include <functional>
#include <stdexcept>

using namespace landquota;

namespace {

struct Script {
    std::vector<Payment> payments;
    std::function<void()> fail; // throws, when set
    const CompensationInput* input_seen = nullptr;
    double option_seen = 0;
    int calls = 0;
};

class ScriptedModel : public CompensationModel {
  public:
    explicit ScriptedModel(Script& s) : s_(s) {}
    std::vector<Payment> compensate(const CompensationInput& in) override {
        ++s_.calls;
        s_.input_seen = &in;
        if (s_.fail)
            s_.fail();
        return s_.payments;
    }

  private:
    Script& s_;
};

std::string file_of(const std::string& name) {
    return "/opt/landquota/plugins/liblandquota_plugin_" + name + ".so";
}

// The models of a job, each with its script (a deque: addresses stay put as models are added).
struct Models {
    std::deque<Script> scripts;
    std::deque<LoadedPlugin> loaded;
    std::vector<ResolvedPlugin> resolved;

    Script& add(const std::string& name, double price) {
        Script& s = scripts.emplace_back();
        LoadedPlugin& p = loaded.emplace_back();
        p.kind = "compensation";
        p.info.name = name;
        p.file = file_of(name);
        p.compensation = [&s](const OptionValues& o) -> std::unique_ptr<CompensationModel> {
            s.option_seen = o.number("price");
            return std::make_unique<ScriptedModel>(s);
        };
        ResolvedPlugin r;
        r.plugin = &p;
        r.options = OptionValues({{"price", price}});
        r.table = "compensation[" + std::to_string(resolved.size() + 1) + "]";
        resolved.push_back(std::move(r));
        return s;
    }
};

Payment payment(const std::string& kind, const std::string& payee, const std::string& transfer,
                const std::string& lot, Fen amount, int year = 0) {
    Payment p;
    p.payment_id = "from-plugin";
    p.model = "from-plugin";
    p.payee_kind = kind;
    p.payee_id = payee;
    p.transfer_id = transfer;
    p.lot_id = lot;
    p.amount = amount;
    p.year = year;
    p.basis = "as the test says";
    return p;
}

// Two lots, one site, two transfers (numbered as the run numbers them) and no townships.
struct Input {
    std::vector<QuotaLot> lots;
    std::vector<Site> sites;
    std::vector<Transfer> transfers{{"R3-T0001", "L1", "S1", 1000}, {"R3-T0002", "L2", "S1", 500}};
    std::vector<TownshipFigures> townships;
    Input() : lots(2), sites(1) {
        lots[0].lot_id = "L1";
        lots[1].lot_id = "L2";
        sites[0].site_id = "S1";
    }
    CompensationInput get() const { return CompensationInput{lots, sites, transfers, townships}; }
};

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

TEST_CASE("compensate: payments of every model, numbered P00001… in the models' order",
          "[stage][compensate]") {
    const Input in;
    const CompensationInput ci = in.get();
    Models m;
    m.add("m1", 300000.0).payments = {payment("village", "V1", "R3-T0001", "L1", 100),
                                      payment("township", "T1", "", "", 50)}; // an award
    m.add("m2", 1.0).payments = {payment("household", "H1", "R3-T0002", "L2", 25, 2025)};

    const std::vector<Payment> out = compensate(m.resolved, ci);

    REQUIRE(out.size() == 3);
    CHECK(out[0].payment_id == "P00001");
    CHECK(out[0].model == "m1");
    CHECK(out[0].payee_id == "V1");
    CHECK(out[0].amount == 100);
    CHECK(out[0].transfer_id == "R3-T0001");
    CHECK(out[1].payment_id == "P00002");
    CHECK(out[1].model == "m1");
    CHECK(out[1].payee_kind == "township");
    CHECK(out[1].transfer_id.empty());
    CHECK(out[2].payment_id == "P00003");
    CHECK(out[2].model == "m2");
    CHECK(out[2].payee_id == "H1");
    CHECK(out[2].year == 2025);
    CHECK(out[2].basis == "as the test says");
    // Each model was made with its own options and priced the very input given.
    CHECK(m.scripts[0].option_seen == 300000.0);
    CHECK(m.scripts[1].option_seen == 1.0);
    CHECK(m.scripts[0].input_seen == &ci);
    CHECK(m.scripts[1].input_seen == &ci);
}

TEST_CASE("compensate: no models, no payments", "[stage][compensate]") {
    const Input in;
    CHECK(compensate({}, in.get()).empty());
}

TEST_CASE("compensate: an impossible payment is an internal error naming the model",
          "[stage][compensate]") {
    struct Case {
        const char* what;
        Payment bad;
        std::string message;
    };
    const std::vector<Case> cases{
        {"zero amount", payment("village", "V1", "R3-T0001", "L1", 0), "0 fen to village V1"},
        {"negative amount", payment("village", "V1", "R3-T0001", "L1", -7), "-7 fen to village V1"},
        {"unknown transfer", payment("village", "V1", "R3-T0009", "L1", 1),
         "unknown transfer 'R3-T0009'"},
        {"transfer without the run's prefix", payment("village", "V1", "T0001", "L1", 1),
         "unknown transfer 'T0001'"},
        {"unknown lot", payment("village", "V1", "R3-T0001", "L9", 1), "unknown lot 'L9'"},
        {"no payee", payment("village", "", "R3-T0001", "L1", 1), "a payment without a payee"},
        // L2 exists, but R3-T0001 moved quota from L1: the ledger's verify would refuse it later.
        {"another lot than its transfer's", payment("village", "V1", "R3-T0001", "L2", 1),
         "it names lot 'L2' but transfer 'R3-T0001' is from lot 'L1'"},
    };
    const Input in;
    for (const auto& c : cases) {
        INFO(c.what);
        Models m;
        m.add("m1", 1.0).payments = {payment("village", "V1", "R3-T0001", "L1", 5)};
        m.add("m2", 1.0).payments = {c.bad}; // the second model's: the message names it
        const Error e = error_of([&] { compensate(m.resolved, in.get()); });
        CHECK(e.stage() == Stage::Compensate);
        CHECK(e.kind() == Error::Kind::Internal);
        CHECK(std::string(e.what()) == "compensate: model 'm2' (" + file_of("m2") +
                                           ") returned an impossible payment: " + c.message);
    }
}

TEST_CASE("compensate: what a model throws", "[stage][compensate]") {
    const Input in;
    Models m;
    m.add("m1", 1.0).payments = {payment("village", "V1", "R3-T0001", "L1", 5)};
    Script& second = m.add("m2", 1.0);

    SECTION("std::invalid_argument is bad input, naming the job table") {
        second.fail = [] { throw std::invalid_argument("tiers must rise"); };
        const Error e = error_of([&] { compensate(m.resolved, in.get()); });
        CHECK(e.kind() == Error::Kind::Input);
        CHECK(e.stage() == Stage::Compensate);
        CHECK(std::string(e.what()) == "compensate: [compensation[2]] model 'm2': tiers must rise");
    }
    SECTION("any other exception is an internal error") {
        second.fail = [] { throw std::out_of_range("map::at"); };
        const Error e = error_of([&] { compensate(m.resolved, in.get()); });
        CHECK(e.kind() == Error::Kind::Internal);
        CHECK(std::string(e.what()) == "compensate: model 'm2' failed: map::at");
    }
    SECTION("a landquota::Error passes through as it is") {
        second.fail = [] { throw Error(Stage::Compensate, "no price for 2031"); };
        const Error e = error_of([&] { compensate(m.resolved, in.get()); });
        CHECK(e.kind() == Error::Kind::Input);
        CHECK(std::string(e.what()) == "compensate: no price for 2031");
    }
    CHECK(m.scripts[0].calls == 1); // the first model ran before the second failed
}
