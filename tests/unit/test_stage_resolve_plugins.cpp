// The plugin-resolution stage alone (src/pipeline/resolve_plugins.hpp): resolve_plugins with the
// real PluginManager (the built-in plugins are found in the build tree), and the two forms of
// PluginRecord: the manifest's (typed JSON) and the ledger's (every option as text).
#include "landquota/error.hpp"
#include "pipeline/resolve_plugins.hpp"

#include <catch2/catch.hpp>

using namespace landquota;

namespace {

PluginChoice choice(const std::string& name, const std::string& table,
                    std::map<std::string, OptionValue> options = {}) {
    return PluginChoice{name, table, std::move(options)};
}

Error error_of(const Job& job) {
    try {
        resolve_plugins(job, PluginManager::instance());
    } catch (const Error& e) {
        return e;
    }
    FAIL("no landquota::Error was thrown");
    throw std::logic_error("unreachable");
}

} // namespace

TEST_CASE("resolve plugins: a job without plugins resolves to none", "[stage][resolve_plugins]") {
    const Job job;
    const ResolvedPlugins r = resolve_plugins(job, PluginManager::instance());
    CHECK_FALSE(r.allocation);
    CHECK(r.compensation.empty());
}

TEST_CASE("resolve plugins: the job's strategy and models, with options checked and defaulted",
          "[stage][resolve_plugins]") {
    Job job;
    job.allocation = choice("priority", "allocation", {{"benefit", std::string("investment")}});
    job.compensation = {
        // A whole number for a number option is taken as that number.
        choice("average", "compensation[1]", {{"price_yuan_per_mu", std::int64_t{250000}}}),
        choice("tiered", "compensation[2]")};

    const ResolvedPlugins r = resolve_plugins(job, PluginManager::instance());

    REQUIRE(r.allocation);
    const ResolvedPlugin& a = *r.allocation;
    REQUIRE(a.plugin);
    CHECK(a.plugin->kind == "allocation");
    CHECK(a.plugin->info.name == "priority");
    CHECK(a.table == "allocation");
    CHECK(a.options.str("benefit") == "investment");
    // Not given: priority's declared default.
    CHECK(a.options.strings("site_order") ==
          std::vector<std::string>{"priority:asc", "tax_per_mu:desc"});
    CHECK(a.record.kind == "allocation");
    CHECK(a.record.name == "priority");
    CHECK_FALSE(a.record.version.empty());
    CHECK(a.record.version == a.plugin->info.version);
    CHECK(a.record.file == "liblandquota_plugin_priority.so"); // the file name, not the path
    CHECK(a.plugin->file.size() > a.record.file.size());
    CHECK(a.record.options.all() == a.options.all());
    // The resolved plugin can be made.
    CHECK(a.plugin->allocation(a.options) != nullptr);

    REQUIRE(r.compensation.size() == 2);
    const ResolvedPlugin& c1 = r.compensation[0];
    CHECK(c1.plugin->kind == "compensation");
    CHECK(c1.plugin->info.name == "average");
    CHECK(c1.table == "compensation[1]");
    CHECK(c1.options.number("price_yuan_per_mu") == 250000.0);
    CHECK(c1.options.str("payee") == "village"); // default
    CHECK(c1.record.kind == "compensation");
    CHECK(c1.record.file == "liblandquota_plugin_average.so");
    CHECK(r.compensation[1].plugin->info.name == "tiered");
    CHECK(r.compensation[1].table == "compensation[2]");
    CHECK(r.compensation[1].plugin->compensation(r.compensation[1].options) != nullptr);
}

TEST_CASE("resolve plugins: unknown plugins and bad options are errors naming the table",
          "[stage][resolve_plugins]") {
    SECTION("an unknown strategy") {
        Job job;
        job.allocation = choice("priorty", "allocation");
        const Error e = error_of(job);
        CHECK(e.stage() == Stage::Plugins);
        CHECK(e.kind() == Error::Kind::Input);
        CHECK_THAT(e.what(), Catch::StartsWith("plugins: [allocation]: no allocation plugin "
                                               "'priorty'") &&
                                 Catch::Contains("priority"));
    }
    SECTION("a compensation model asked for as a strategy") {
        Job job;
        job.allocation = choice("average", "allocation");
        CHECK_THAT(error_of(job).what(), Catch::Contains("no allocation plugin 'average'"));
    }
    SECTION("an option of the wrong type") {
        Job job;
        job.compensation = {
            choice("average", "compensation[1]", {{"price_yuan_per_mu", std::string("cheap")}})};
        const Error e = error_of(job);
        CHECK(e.stage() == Stage::Plugins);
        CHECK(std::string(e.what()) == "plugins: [compensation[1]]: option 'price_yuan_per_mu' of "
                                       "'average' must be a number, not \"cheap\"");
    }
    SECTION("an option the plugin does not have") {
        Job job;
        job.allocation = choice("priority", "allocation", {{"benfit", std::string("x")}});
        CHECK_THAT(error_of(job).what(),
                   Catch::StartsWith("plugins: [allocation]: 'priority' has no option 'benfit'"));
    }
}

TEST_CASE("resolve plugins: a plugin record in the manifest's and the ledger's forms",
          "[stage][resolve_plugins]") {
    const PluginRecord r{"compensation", "average", "1.2.0", "liblandquota_plugin_average.so",
                         OptionValues({{"code", std::string("42")},
                                       {"payee", std::string("village")},
                                       {"price_yuan_per_mu", 300000.0},
                                       {"split", true},
                                       {"tiers", std::vector<std::string>{"a", "b"}},
                                       {"years", std::int64_t{3}}})};

    SECTION("the manifest's: options typed as JSON, keys in a fixed order") {
        const nlohmann::ordered_json j = r.manifest_json();
        CHECK(j.dump() == R"({"kind":"compensation","name":"average","version":"1.2.0",)"
                          R"("file":"liblandquota_plugin_average.so","options":{"code":"42",)"
                          R"("payee":"village","price_yuan_per_mu":300000.0,"split":true,)"
                          R"("tiers":["a","b"],"years":3}})");
        CHECK(j["options"]["price_yuan_per_mu"].is_number_float());
        CHECK(j["options"]["years"].is_number_integer());
    }
    SECTION("the ledger's: strings as they are, other values as their JSON text; no file") {
        const nlohmann::json j = r.ledger_json();
        CHECK(j == nlohmann::json{{"kind", "compensation"},
                                  {"name", "average"},
                                  {"version", "1.2.0"},
                                  {"options",
                                   {{"code", "42"},
                                    {"payee", "village"},
                                    {"price_yuan_per_mu", "300000.0"},
                                    {"split", "true"},
                                    {"tiers", R"(["a","b"])"},
                                    {"years", "3"}}}});
        CHECK_FALSE(j.contains("file"));
        // Hashed content holds no floating point: every option is a string.
        for (const auto& [k, v] : j["options"].items()) {
            INFO(k);
            CHECK(v.is_string());
        }
    }
}

TEST_CASE("resolve plugins: options shared by the kind, and each plugin's own table",
          "[stage][resolve_plugins]") {
    SECTION("a shared key only another strategy takes is left to it, with a note") {
        Job job;
        job.allocation = choice("proportional", "allocation",
                                {{"site_order", std::vector<std::string>{"priority:asc"}},
                                 {"lot_order", std::vector<std::string>{"lot_id:asc"}}});
        const ResolvedPlugins r = resolve_plugins(job, PluginManager::instance());
        REQUIRE(r.allocation);
        CHECK(r.allocation->options.strings("lot_order") == std::vector<std::string>{"lot_id:asc"});
        CHECK_THROWS(r.allocation->options.strings("site_order")); // not handed to proportional
        REQUIRE(r.notes.size() == 1);
        CHECK_THAT(r.notes[0], Catch::Contains("site_order") && Catch::Contains("priority") &&
                                   Catch::Contains("not of 'proportional'"));
    }
    SECTION("the chosen plugin's own table wins over the shared keys; others are not used") {
        Job job;
        job.allocation = choice("optimal", "allocation", {{"benefit", std::string("tax_per_mu")}});
        job.allocation->per_plugin["optimal"] = {{"benefit", std::string("investment_yuan")},
                                                 {"time_limit_s", std::int64_t{5}}};
        job.allocation->per_plugin["priority"] = {{"benefit", std::string("priority")}};
        const ResolvedPlugins r = resolve_plugins(job, PluginManager::instance());
        REQUIRE(r.allocation);
        CHECK(r.allocation->plugin->info.name == "optimal");
        CHECK(r.allocation->options.str("benefit") == "investment_yuan");
        CHECK(r.allocation->options.number("time_limit_s") == 5.0);
        CHECK(r.notes.empty());
    }
    SECTION("a mistake in a table of a plugin not chosen warns, it does not stop the run") {
        Job job;
        job.compensation = {choice("average", "compensation")};
        job.compensation[0].per_plugin["tiered"] = {{"arable_yuan_per_mou", std::int64_t{1}}};
        job.allocation = choice("priority", "allocation");
        const ResolvedPlugins r = resolve_plugins(job, PluginManager::instance());
        REQUIRE(r.notes.size() == 1);
        CHECK_THAT(r.notes[0], Catch::Contains("[compensation.tiered]") &&
                                   Catch::Contains("arable_yuan_per_mou") &&
                                   Catch::Contains("did you mean 'arable_yuan_per_mu'") &&
                                   Catch::Contains("not used"));
    }
    SECTION("a table naming no plugin is an error with a suggestion") {
        Job job;
        job.allocation = choice("priority", "allocation");
        job.allocation->per_plugin["optimall"] = {};
        CHECK_THAT(error_of(job).what(), Catch::Contains("[allocation.optimall]") &&
                                             Catch::Contains("did you mean 'optimal'"));
    }
}

TEST_CASE("resolve plugins: every problem of the job's plugin tables is reported at once",
          "[stage][resolve_plugins]") {
    Job job;
    job.file = "job.toml";
    job.allocation =
        choice("priority", "allocation", {{"lot_order", std::vector<std::string>{"age:up"}}});
    job.compensation = {
        choice("average", "compensation[0]", {{"price_yuan_per_mu", std::string("cheap")}}),
        choice("split", "compensation[1]", {{"household_share", 1.5}}),
        choice("tierd", "compensation[2]")};
    const std::string what = error_of(job).what();
    CHECK_THAT(what, Catch::Contains("4 problems with plugin options"));
    // a value the plugin itself refuses, found before the run
    CHECK_THAT(what,
               Catch::Contains("[allocation] strategy 'priority'") && Catch::Contains("age:up"));
    CHECK_THAT(what, Catch::Contains("[compensation[0]]: option 'price_yuan_per_mu' of 'average' "
                                     "must be a number"));
    CHECK_THAT(what, Catch::Contains("[compensation[1]] model 'split'") &&
                         Catch::Contains("household_share"));
    CHECK_THAT(what, Catch::Contains("[compensation[2]]: no compensation plugin 'tierd'") &&
                         Catch::Contains("did you mean 'tiered'"));
}
