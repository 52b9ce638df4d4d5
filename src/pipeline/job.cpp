#include "pipeline/job.hpp"

#include "core/landuse_codes.hpp"
#include "core/translate.hpp"
#include "pipeline/job_override.hpp"
#include "pipeline/job_table.hpp"

#include <cerrno>
#include <cstring>
#include <unistd.h>

namespace landquota {

namespace {

using Path = std::filesystem::path;

toml::table parse(const Path& file) {
    if (!std::filesystem::exists(file))
        throw Error(Stage::Job, trf("{}: job file not found", file.string()));
    if (!std::filesystem::is_regular_file(file))
        throw Error(Stage::Job,
                    trf("{}: is not a file (give the job's .toml file)", file.string()));
    if (::access(file.c_str(), R_OK) != 0)
        throw Error(Stage::Job, trf("{}: cannot be read ({}); give the user running "
                                    "landquota read access to it",
                                    file.string(), std::strerror(errno)));
    try {
        return toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw Error(Stage::Job, trf("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                    e.source().begin.column, e.description()));
    }
}

// [job]
void read_job_table(const TableReader& top, Job& job) {
    if (const toml::table* t = top.subtable("job")) {
        TableReader r(*t, "job", job.file, {"name", "base", "crs", "densify_m", "repair_invalid"});
        job.name = r.str("name", false);
        job.crs = r.str("crs", false);
        job.densify_m = r.number("densify_m", job.densify_m);
        if (job.densify_m < 0.1 || job.densify_m > 1000.0)
            r.fail(tr("key 'job.densify_m' must be between 0.1 and 1000 (metres)"));
        job.repair_invalid = r.boolean("repair_invalid", job.repair_invalid);
    }
    if (job.name.empty())
        job.name = job.file.stem().string();
}

// [inputs.parcels]
ParcelInput read_parcels(const TableReader& in, const Path& dir) {
    const toml::table* p = in.subtable("parcels");
    if (!p)
        in.fail(tr("missing table [inputs.parcels]"));
    TableReader r(
        *p, "inputs.parcels", in.file(),
        with_source_keys({"id", "landuse", "village", "village_class", "slope", "holder"}));
    ParcelInput out;
    read_source(r, dir, "inputs.parcels", out);
    out.id = r.str("id", true);
    out.landuse = r.str("landuse", true);
    out.village = r.str("village", false);
    out.village_class = r.str("village_class", false);
    out.slope = r.str("slope", false);
    out.holder = r.str("holder", false);
    return out;
}

// [inputs.villages]
VillageInput read_villages(const TableReader& in, const Path& dir) {
    const toml::table* v = in.subtable("villages");
    if (!v)
        in.fail(tr("missing table [inputs.villages]"));
    TableReader r(*v, "inputs.villages", in.file(),
                  with_source_keys(
                      {"id", "name", "township", "relocate", "state", "accepted", "reclaim_to"}));
    VillageInput out;
    read_source(r, dir, "inputs.villages", out);
    out.id = r.str("id", true);
    out.name = r.str("name", false);
    out.township = r.str("township", false);
    out.relocate = r.str("relocate", false);
    out.state = r.str("state", false);
    out.accepted = r.str("accepted", false);
    out.reclaim_to = r.str("reclaim_to", false);
    return out;
}

// [inputs.townships]
std::optional<TownshipInput> read_townships(const TableReader& in, const Path& dir) {
    const toml::table* t = in.subtable("townships");
    if (!t)
        return std::nullopt;
    TableReader r(*t, "inputs.townships", in.file(),
                  with_source_keys({"id", "name", "zone", "region", "lead", "type", "indicators"}));
    TownshipInput out;
    read_source(r, dir, "inputs.townships", out);
    out.id = r.str("id", true);
    out.name = r.str("name", false);
    out.zone = r.str("zone", false);
    out.region = r.str("region", false);
    out.lead = r.str("lead", false);
    out.type = r.str("type", false);
    out.indicators = r.strings("indicators", {});
    return out;
}

// [[inputs.exclusions]]
std::vector<ExclusionInput> read_exclusions(const TableReader& in, const toml::table& inputs,
                                            const Path& dir) {
    std::vector<ExclusionInput> out;
    const toml::node* ex = inputs.get("exclusions");
    if (!ex)
        return out;
    const toml::array* arr = ex->as_array();
    if (!arr)
        in.fail(tr("'inputs.exclusions' must be an array of tables: [[inputs.exclusions]]"), *ex);
    std::size_t i = 0;
    for (const auto& e : *arr) {
        const std::string where = fmt::format("inputs.exclusions[{}]", i++);
        if (!e.is_table())
            in.fail(trf("'{}' must be a table", where), e);
        TableReader r(*e.as_table(), where, in.file(), with_source_keys({"name"}));
        ExclusionInput x;
        read_source(r, dir, where, x);
        x.name = r.str("name", false, x.layer.empty() ? where : x.layer);
        out.push_back(x);
    }
    return out;
}

// [[corridor]]: a layer of routes (lines) or zones (polygons) and the belt around them.
std::vector<CorridorInput> read_corridors(const TableReader& top, const toml::table& root,
                                          const Path& dir) {
    std::vector<CorridorInput> out;
    const toml::node* c = root.get("corridor");
    if (!c)
        return out;
    const toml::array* arr = c->as_array();
    if (!arr)
        top.fail(tr("'corridor' must be an array of tables: [[corridor]]"), *c);
    std::size_t i = 0;
    for (const auto& e : *arr) {
        const std::string where = fmt::format("corridor[{}]", i++);
        if (!e.is_table())
            top.fail(trf("'{}' must be a table", where), e);
        TableReader r(*e.as_table(), where, top.file(),
                      with_source_keys({"name", "name_field", "buffer_m", "role"}));
        CorridorInput x;
        read_source(r, dir, where, x);
        x.name = r.str("name", false, x.layer.empty() ? where : x.layer);
        x.name_field = r.str("name_field", false);
        x.buffer_m = r.number("buffer_m", 0.0);
        // A belt wider than 50 km is no corridor, and the local projection's tolerance
        // (methods.md §6.2) is stated for belts up to that width.
        if (x.buffer_m < 0.0 || x.buffer_m > 50000.0)
            r.fail(trf("key '{}.buffer_m' must be between 0 and 50000 (metres, each side)", where));
        const std::string role = r.str("role", false, "report");
        static const std::vector<std::string> roles{"include", "priority", "exclude", "report"};
        if (role == "include")
            x.role = CorridorRole::Include;
        else if (role == "exclude")
            x.role = CorridorRole::Exclude;
        else if (role == "report")
            x.role = CorridorRole::Report;
        else if (role == "priority")
            x.role = CorridorRole::Priority;
        else
            r.fail(trf("key '{}.role' must be one of {}{}", where, join(roles),
                       did_you_mean(role, roles)));
        for (const auto& earlier : out)
            if (earlier.name == x.name)
                r.fail(trf("corridor name '{}' is used twice: give each [[corridor]] its "
                           "own name",
                           x.name));
        out.push_back(x);
    }
    return out;
}

// [inputs.resettlement]
std::optional<ResettlementInput> read_resettlement(const TableReader& in, const Path& dir) {
    const toml::table* t = in.subtable("resettlement");
    if (!t)
        return std::nullopt;
    TableReader r(*t, "inputs.resettlement", in.file(), with_source_keys({"id", "village"}));
    ResettlementInput out;
    read_source(r, dir, "inputs.resettlement", out);
    out.id = r.str("id", false);
    out.village = r.str("village", true);
    return out;
}

// [inputs.sites]
std::optional<SiteInput> read_sites(const TableReader& in, const Path& dir) {
    const toml::table* t = in.subtable("sites");
    if (!t)
        return std::nullopt;
    TableReader r(*t, "inputs.sites", in.file(),
                  with_source_keys({"id", "name", "demand", "demand_unit", "attributes"}));
    SiteInput out;
    read_source(r, dir, "inputs.sites", out);
    out.id = r.str("id", true);
    out.name = r.str("name", false);
    out.demand = r.str("demand", true);
    out.demand_unit = r.str("demand_unit", false, "mu");
    if (out.demand_unit != "mu" && out.demand_unit != "m2")
        r.fail(tr("key 'inputs.sites.demand_unit' must be \"mu\" or \"m2\""));
    if (const toml::table* a = r.subtable("attributes")) {
        for (auto&& [k, v] : *a) {
            if (!v.is_string())
                r.fail(trf("'inputs.sites.attributes.{}' must name a field (a string)", k.str()),
                       v);
            out.attributes[std::string(k.str())] = *v.value<std::string>();
        }
    }
    return out;
}

// [inputs]
void read_inputs(const TableReader& top, const Path& dir, Job& job) {
    const toml::table* inputs = top.subtable("inputs");
    if (!inputs)
        top.fail(tr("missing table [inputs]"));
    TableReader in(*inputs, "inputs", job.file,
                   {"parcels", "villages", "townships", "exclusions", "resettlement", "sites"});
    job.parcels = read_parcels(in, dir);
    job.villages = read_villages(in, dir);
    job.townships = read_townships(in, dir);
    job.exclusions = read_exclusions(in, *inputs, dir);
    job.resettlement = read_resettlement(in, dir);
    job.sites = read_sites(in, dir);
}

// [allocation] pools = ["region", "job"]: the stages of pooling, each level once, narrowest first.
std::vector<PoolLevel> read_pools(const toml::table& t, const Path& file) {
    const toml::node* n = t.get("pools");
    if (!n)
        return {PoolLevel::Job};
    const std::string rule =
        tr("key 'allocation.pools' must list levels from the narrowest to "
           "the widest, each once, from \"zone\", \"region\" and \"job\": "
           "[\"region\", \"job\"] pools each region first, then the whole job");
    const toml::array* a = n->as_array();
    if (!a || a->empty())
        throw Error(Stage::Job, trf("{}: {}", node_place(file, *n), rule));
    std::vector<PoolLevel> out;
    for (const auto& e : *a) {
        const auto s = e.value<std::string>();
        PoolLevel level;
        if (!e.is_string() || !s)
            throw Error(Stage::Job, trf("{}: {}", node_place(file, e), rule));
        else if (*s == "zone")
            level = PoolLevel::Zone;
        else if (*s == "region")
            level = PoolLevel::Region;
        else if (*s == "job")
            level = PoolLevel::Job;
        else
            throw Error(Stage::Job, trf("{}: {}", node_place(file, e), rule));
        if (!out.empty() && level <= out.back())
            throw Error(Stage::Job, trf("{}: {}", node_place(file, e), rule));
        out.push_back(level);
    }
    return out;
}

// [levels]: names of the grouping levels.
LevelNames read_levels(const TableReader& top) {
    LevelNames out;
    const toml::table* t = top.subtable("levels");
    if (!t)
        return out;
    TableReader r(*t, "levels", top.file(), {"zone", "region", "job"});
    out.zone = r.str("zone", false);
    out.region = r.str("region", false);
    out.job = r.str("job", false);
    return out;
}

// [allocation] and [compensation] / [[compensation]]
void read_plugin_tables(const TableReader& top, const toml::table& root, Job& job) {
    if (top.subtable("allocation")) {
        job.allocation = read_plugin_choice(*root.get("allocation")->as_table(), "allocation",
                                            "strategy", job.file);
        job.pools = read_pools(*root.get("allocation")->as_table(), job.file);
        job.allocation->options.erase("pools"); // the engine's, not the strategy's
    }
    const toml::node* c = root.get("compensation");
    if (!c)
        return;
    if (const toml::table* t = c->as_table()) {
        job.compensation.push_back(read_plugin_choice(*t, "compensation", "model", job.file));
    } else if (const toml::array* a = c->as_array()) {
        std::size_t i = 0;
        for (const auto& e : *a) {
            const std::string where = fmt::format("compensation[{}]", i++);
            if (!e.is_table())
                top.fail(trf("'{}' must be a table", where), e);
            job.compensation.push_back(read_plugin_choice(*e.as_table(), where, "model", job.file));
        }
    } else {
        top.fail(tr("'compensation' must be a table [compensation] or tables [[compensation]]"),
                 *c);
    }
}

// [[analysis]] (or one [analysis]): method = "NAME", the rest its options. Analyses read the
// townships, so they need [inputs.townships].
void read_analyses(const TableReader& top, const toml::table& root, Job& job) {
    const toml::node* a = root.get("analysis");
    if (!a)
        return;
    if (const toml::table* t = a->as_table()) {
        job.analyses.push_back(read_plugin_choice(*t, "analysis", "method", job.file));
    } else if (const toml::array* arr = a->as_array()) {
        std::size_t i = 0;
        for (const auto& e : *arr) {
            const std::string where = fmt::format("analysis[{}]", i++);
            if (!e.is_table())
                top.fail(trf("'{}' must be a table", where), e);
            job.analyses.push_back(read_plugin_choice(*e.as_table(), where, "method", job.file));
        }
    } else {
        top.fail(tr("'analysis' must be a table [analysis] or tables [[analysis]]"), *a);
    }
    if (!job.townships)
        top.fail(tr("[[analysis]] works on townships: add [inputs.townships]"));
}

// [ledger]
LedgerSettings read_ledger(const TableReader& top, const Path& dir, const std::string& job_name) {
    LedgerSettings out;
    out.path = dir / (job_name + ".ledger.sqlite");
    const toml::table* t = top.subtable("ledger");
    if (!t)
        return out;
    TableReader r(*t, "ledger", top.file(), {"path", "on_shortfall", "wait_seconds"});
    const std::string path = r.str("path", false);
    if (!path.empty())
        out.path = Path(path).is_relative() ? (dir / path).lexically_normal() : Path(path);
    const std::string policy = r.str("on_shortfall", false, "partial");
    if (policy != "partial" && policy != "refuse")
        r.fail(
            tr("key 'ledger.on_shortfall' must be \"partial\" (take what remains) or \"refuse\""));
    out.refuse_shortfall = policy == "refuse";
    const double wait = r.number("wait_seconds", out.wait_seconds);
    if (wait < 0 || wait > 3600 || wait != std::floor(wait))
        r.fail(tr("key 'ledger.wait_seconds' must be a whole number of seconds from 0 to 3600"));
    out.wait_seconds = static_cast<int>(wait);
    return out;
}

// [reclaim]
ReclaimRules read_reclaim(const TableReader& top) {
    ReclaimRules out;
    const toml::table* t = top.subtable("reclaim");
    if (!t)
        return out;
    TableReader r(
        *t, "reclaim", top.file(),
        {"landuse", "village_class", "relocating_villages", "min_piece_m2", "max_slope_class"});
    out.landuse = r.strings("landuse", out.landuse);
    out.village_class = r.strings("village_class", out.village_class);
    // Codes checked against their lists: "702" for "0702" would reclaim nothing, silently.
    const auto codes = landuse_codes();
    for (const auto& code : out.landuse) {
        const bool prefix = !code.empty() && code.back() == '*';
        const bool known =
            prefix ? std::any_of(codes.begin(), codes.end(),
                                 [&](const std::string& c) { return code_matches(c, code); })
                   : landuse_name(code) != nullptr;
        if (!known)
            r.fail(prefix ? trf("'reclaim.landuse': '{}' matches no GB/T 21010-2017 land-use "
                                "code{}",
                                code, did_you_mean(code, codes))
                          : trf("'reclaim.landuse': '{}' is not a GB/T 21010-2017 land-use "
                                "code{}",
                                code, did_you_mean(code, codes)),
                   *t->get("landuse"));
    }
    for (const auto& c : out.village_class)
        if (!is_village_class(c))
            r.fail(trf("'reclaim.village_class': '{}' is not a village-attribute code "
                       "(城镇村属性码: {}){}",
                       c, join(village_classes()), did_you_mean(c, village_classes())),
                   *t->get("village_class"));
    out.relocating_villages = r.strings("relocating_villages", {});
    out.min_piece_m2 = r.number("min_piece_m2", out.min_piece_m2);
    if (out.min_piece_m2 < 0.0)
        r.fail(tr("key 'reclaim.min_piece_m2' must not be negative"));
    const double slope = r.number("max_slope_class", out.max_slope_class);
    if (!(slope >= 0 && slope <= 5) || slope != std::floor(slope))
        r.fail(tr("key 'reclaim.max_slope_class' must be a whole number from 0 (no rule) to 5"));
    out.max_slope_class = static_cast<int>(slope);
    return out;
}

// What no single table can check: tables that need each other.
void check_whole(const Job& job) {
    const std::string file = job.file.string();
    if ((job.allocation || !job.compensation.empty()) && !job.sites)
        throw Error(
            Stage::Job,
            trf("{}: [allocation] and [compensation] need sites: add [inputs.sites]", file));
    if (!job.compensation.empty() && !job.allocation)
        throw Error(Stage::Job,
                    trf("{}: [compensation] pays for transfers: add [allocation]", file));
    for (const PoolLevel level : job.pools) {
        if (level == PoolLevel::Zone && !(job.townships && !job.townships->zone.empty()))
            throw Error(Stage::Job, trf("{}: 'allocation.pools' pools by zone: map "
                                        "'inputs.townships.zone' (the field naming each "
                                        "township's zone)",
                                        file));
        if (level == PoolLevel::Region && !(job.townships && !job.townships->region.empty()))
            throw Error(Stage::Job, trf("{}: 'allocation.pools' pools by region: map "
                                        "'inputs.townships.region' (the field naming each "
                                        "township's region)",
                                        file));
    }
    if (job.villages.relocate.empty() && job.reclaim.relocating_villages.empty())
        throw Error(Stage::Job, trf("{}: no relocating villages: set 'inputs.villages.relocate' "
                                    "(a field) or 'reclaim.relocating_villages' (a list of codes)",
                                    file));
}

// [job] base = "job.toml": the job this one extends, read first (itself possibly extending
// another) and overlaid with this file's keys. A job's name is its own: not inherited.
toml::table with_base(toml::table root, const Path& file, Path& base_file, int depth) {
    const toml::node* b = root.at_path("job.base").node();
    if (!b)
        return root;
    if (!b->is_string() || b->value<std::string>()->empty())
        throw Error(Stage::Job,
                    trf("{}: key 'job.base' must name a job file", node_place(file, *b)));
    if (depth > 8)
        throw Error(Stage::Job,
                    trf("{}: 'job.base' goes more than 8 files deep (a loop?)", file.string()));
    const Path base = (file.parent_path() / *b->value<std::string>()).lexically_normal();
    if (base_file.empty())
        base_file = base;
    Path ignored = base;
    toml::table merged = with_base(parse(base), base, ignored, depth + 1);
    if (toml::table* j = merged["job"].as_table()) {
        j->erase("base");
        if (!root.at_path("job.name"))
            j->erase("name");
    }
    merge_job_tables(merged, root, base.parent_path());
    return merged;
}

} // namespace

const char* to_string(CorridorRole r) {
    switch (r) {
    case CorridorRole::Include:
        return "include";
    case CorridorRole::Priority:
        return "priority";
    case CorridorRole::Exclude:
        return "exclude";
    case CorridorRole::Report:
        break;
    }
    return "report";
}

const char* to_string(PoolLevel level) {
    switch (level) {
    case PoolLevel::Zone:
        return "zone";
    case PoolLevel::Region:
        return "region";
    case PoolLevel::Job:
        break;
    }
    return "job";
}

bool code_matches(const std::string& code, const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == '*')
        return code.starts_with(pattern.substr(0, pattern.size() - 1));
    return code == pattern;
}

Job load_job(const Path& file, const std::vector<std::string>& overrides) {
    Job job;
    job.file = std::filesystem::absolute(file).lexically_normal();
    toml::table root = with_base(parse(job.file), job.file, job.base, 0);
    for (const auto& set : overrides)
        apply_override(root, job.file, set);
    job.overrides = overrides;
    const Path dir = job.file.parent_path();
    const TableReader top(root, "", job.file,
                          {"job", "levels", "inputs", "corridor", "reclaim", "allocation",
                           "compensation", "analysis", "ledger"});
    read_job_table(top, job);
    job.levels = read_levels(top);
    read_inputs(top, dir, job);
    job.corridors = read_corridors(top, root, dir);
    read_plugin_tables(top, root, job);
    read_analyses(top, root, job);
    job.ledger = read_ledger(top, dir, job.name);
    job.reclaim = read_reclaim(top);
    check_whole(job);
    return job;
}

} // namespace landquota
