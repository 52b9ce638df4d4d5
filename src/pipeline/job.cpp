#include "pipeline/job.hpp"

#include "core/did_you_mean.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cmath>
#include <fmt/format.h>
#include <toml++/toml.h>

namespace landquota {

namespace {

// Reads one TOML table, remembering which keys the engine knows so that anything else is an
// error with a suggestion (a misspelt key silently ignored is a wrong result nobody sees).
class TableReader {
  public:
    TableReader(const toml::table& t, std::string where, const std::filesystem::path& file,
                std::vector<std::string> known)
        : t_(t), where_(std::move(where)), file_(file), known_(std::move(known)) {
        for (auto&& [k, v] : t_) {
            const std::string key(k.str());
            if (std::find(known_.begin(), known_.end(), key) == known_.end())
                fail(fmt::format("unknown key '{}'{}; known keys: {}", qualified(key),
                                 did_you_mean(key, known_), join(known_)),
                     v);
        }
    }

    std::string str(const std::string& key, bool required, const std::string& fallback = {}) const {
        const toml::node* n = t_.get(key);
        if (!n) {
            if (required)
                fail(fmt::format("missing key '{}'", qualified(key)));
            return fallback;
        }
        if (auto s = n->value<std::string>(); s && n->is_string()) {
            if (required && s->empty())
                fail(fmt::format("key '{}' must not be empty", qualified(key)), *n);
            return *s;
        }
        fail(fmt::format("key '{}' must be a string", qualified(key)), *n);
    }

    double number(const std::string& key, double fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        double v = 0;
        if (n->is_integer())
            v = static_cast<double>(*n->value<std::int64_t>());
        else if (n->is_floating_point())
            v = *n->value<double>();
        else
            fail(fmt::format("key '{}' must be a number", qualified(key)), *n);
        if (!std::isfinite(v))
            fail(fmt::format("key '{}' must be a finite number", qualified(key)), *n);
        return v;
    }

    bool boolean(const std::string& key, bool fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        if (n->is_boolean())
            return *n->value<bool>();
        fail(fmt::format("key '{}' must be true or false", qualified(key)), *n);
    }

    std::vector<std::string> strings(const std::string& key,
                                     std::vector<std::string> fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        const toml::array* a = n->as_array();
        if (!a)
            fail(fmt::format("key '{}' must be a list of strings", qualified(key)), *n);
        std::vector<std::string> out;
        for (const auto& e : *a) {
            if (!e.is_string())
                fail(fmt::format("key '{}' must be a list of strings", qualified(key)), e);
            out.push_back(*e.value<std::string>());
        }
        return out;
    }

    const toml::table* subtable(const std::string& key) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return nullptr;
        if (!n->is_table())
            fail(fmt::format("'{}' must be a table", qualified(key)), *n);
        return n->as_table();
    }

    std::string qualified(const std::string& key) const {
        return where_.empty() ? key : where_ + "." + key;
    }

    [[noreturn]] void fail(const std::string& msg) const {
        throw Error(Stage::Job, fmt::format("{}: {}", file_.string(), msg));
    }
    [[noreturn]] void fail(const std::string& msg, const toml::node& n) const {
        const auto& src = n.source();
        throw Error(Stage::Job, fmt::format("{}:{}: {}", file_.string(), src.begin.line, msg));
    }

  private:
    const toml::table& t_;
    std::string where_;
    const std::filesystem::path& file_;
    std::vector<std::string> known_;
};

// A plugin table: the key naming the plugin, the rest are its options, kept as typed values for
// the plugin manager to check against the plugin's declarations.
PluginChoice read_plugin_choice(const toml::table& t, const std::string& where,
                                const std::string& name_key, const std::filesystem::path& file) {
    PluginChoice c;
    c.table = where;
    const toml::node* n = t.get(name_key);
    if (!n || !n->is_string())
        throw Error(Stage::Job,
                    fmt::format("{}: [{}] needs {} = \"NAME\" (see 'landquota plugins')",
                                file.string(), where, name_key));
    c.name = *n->value<std::string>();
    for (auto&& [k, v] : t) {
        const std::string key(k.str());
        if (key == name_key)
            continue;
        OptionValue value;
        if (v.is_string())
            value = *v.value<std::string>();
        else if (v.is_integer())
            value = *v.value<std::int64_t>();
        else if (v.is_floating_point())
            value = *v.value<double>();
        else if (v.is_boolean())
            value = *v.value<bool>();
        else if (const toml::array* a = v.as_array()) {
            std::vector<std::string> list;
            for (const auto& e : *a) {
                if (!e.is_string())
                    throw Error(Stage::Job,
                                fmt::format("{}:{}: '{}.{}' must be a list of strings",
                                            file.string(), e.source().begin.line, where, key));
                list.push_back(*e.value<std::string>());
            }
            value = list;
        } else
            throw Error(Stage::Job, fmt::format("{}:{}: '{}.{}' has a type no plugin option takes",
                                                file.string(), v.source().begin.line, where, key));
        c.options[key] = value;
    }
    return c;
}

std::vector<std::string> with_source_keys(std::vector<std::string> keys) {
    for (const char* k : {"path", "layer", "encoding"})
        keys.emplace_back(k);
    return keys;
}

void read_source(const TableReader& r, const std::filesystem::path& dir, const std::string& where,
                 LayerSource& s) {
    s.table = where;
    s.path = r.str("path", true);
    // Connection strings (PG:..., /vsizip/..., https://...) are passed to GDAL untouched; anything
    // else relative is taken from the job file's folder (even a file name with a colon in it).
    const auto colon = s.path.find(':');
    const bool looks_like_connection =
        s.path.starts_with("/vsi") ||
        (colon != std::string::npos && colon > 0 &&
         std::all_of(
             s.path.begin(), s.path.begin() + static_cast<long>(colon),
             [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; }) &&
         !std::filesystem::exists(dir / s.path));
    if (!looks_like_connection && std::filesystem::path(s.path).is_relative())
        s.path = (dir / s.path).lexically_normal().string();
    s.layer = r.str("layer", false);
    s.encoding = r.str("encoding", false);
}

} // namespace

bool code_matches(const std::string& code, const std::string& pattern) {
    if (!pattern.empty() && pattern.back() == '*')
        return code.starts_with(pattern.substr(0, pattern.size() - 1));
    return code == pattern;
}

Job load_job(const std::filesystem::path& file) {
    if (!std::filesystem::exists(file))
        throw Error(Stage::Job, fmt::format("{}: job file not found", file.string()));
    if (!std::filesystem::is_regular_file(file))
        throw Error(Stage::Job,
                    fmt::format("{}: is not a file (give the job's .toml file)", file.string()));
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw Error(Stage::Job, fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                            e.source().begin.column, e.description()));
    }
    Job job;
    job.file = std::filesystem::absolute(file).lexically_normal();
    const auto dir = job.file.parent_path();

    TableReader top(root, "", job.file,
                    {"job", "inputs", "reclaim", "allocation", "compensation", "ledger"});
    if (const toml::table* t = top.subtable("job")) {
        TableReader r(*t, "job", job.file, {"name", "crs", "densify_m", "repair_invalid"});
        job.name = r.str("name", false);
        job.crs = r.str("crs", false);
        job.densify_m = r.number("densify_m", job.densify_m);
        if (job.densify_m < 0.1 || job.densify_m > 1000.0)
            r.fail("key 'job.densify_m' must be between 0.1 and 1000 (metres)");
        job.repair_invalid = r.boolean("repair_invalid", job.repair_invalid);
    }
    if (job.name.empty())
        job.name = job.file.stem().string();

    const toml::table* inputs = top.subtable("inputs");
    if (!inputs)
        top.fail("missing table [inputs]");
    TableReader in(*inputs, "inputs", job.file,
                   {"parcels", "villages", "townships", "exclusions", "resettlement", "sites"});

    const toml::table* p = in.subtable("parcels");
    if (!p)
        in.fail("missing table [inputs.parcels]");
    {
        TableReader r(
            *p, "inputs.parcels", job.file,
            with_source_keys({"id", "landuse", "village", "village_class", "slope", "holder"}));
        read_source(r, dir, "inputs.parcels", job.parcels);
        job.parcels.id = r.str("id", true);
        job.parcels.landuse = r.str("landuse", true);
        job.parcels.village = r.str("village", false);
        job.parcels.village_class = r.str("village_class", false);
        job.parcels.slope = r.str("slope", false);
        job.parcels.holder = r.str("holder", false);
    }
    const toml::table* v = in.subtable("villages");
    if (!v)
        in.fail("missing table [inputs.villages]");
    {
        TableReader r(*v, "inputs.villages", job.file,
                      with_source_keys({"id", "name", "township", "relocate", "state", "accepted",
                                        "reclaim_to"}));
        read_source(r, dir, "inputs.villages", job.villages);
        job.villages.id = r.str("id", true);
        job.villages.name = r.str("name", false);
        job.villages.township = r.str("township", false);
        job.villages.relocate = r.str("relocate", false);
        job.villages.state = r.str("state", false);
        job.villages.accepted = r.str("accepted", false);
        job.villages.reclaim_to = r.str("reclaim_to", false);
    }
    if (const toml::table* t = in.subtable("townships")) {
        TableReader r(*t, "inputs.townships", job.file,
                      with_source_keys({"id", "name", "zone", "region", "indicators"}));
        TownshipInput ti;
        read_source(r, dir, "inputs.townships", ti);
        ti.id = r.str("id", true);
        ti.name = r.str("name", false);
        ti.zone = r.str("zone", false);
        ti.region = r.str("region", false);
        ti.indicators = r.strings("indicators", {});
        job.townships = ti;
    }
    if (const toml::node* ex = inputs->get("exclusions")) {
        const toml::array* arr = ex->as_array();
        if (!arr)
            in.fail("'inputs.exclusions' must be an array of tables: [[inputs.exclusions]]", *ex);
        std::size_t i = 0;
        for (const auto& e : *arr) {
            const std::string where = fmt::format("inputs.exclusions[{}]", i++);
            if (!e.is_table())
                in.fail(fmt::format("'{}' must be a table", where), e);
            TableReader r(*e.as_table(), where, job.file, with_source_keys({"name"}));
            ExclusionInput x;
            read_source(r, dir, where, x);
            x.name = r.str("name", false, x.layer.empty() ? where : x.layer);
            job.exclusions.push_back(x);
        }
    }
    if (const toml::table* t = in.subtable("resettlement")) {
        TableReader r(*t, "inputs.resettlement", job.file, with_source_keys({"id", "village"}));
        ResettlementInput ri;
        read_source(r, dir, "inputs.resettlement", ri);
        ri.id = r.str("id", false);
        ri.village = r.str("village", true);
        job.resettlement = ri;
    }

    if (const toml::table* t = in.subtable("sites")) {
        TableReader r(*t, "inputs.sites", job.file,
                      with_source_keys({"id", "name", "demand", "demand_unit", "attributes"}));
        SiteInput si;
        read_source(r, dir, "inputs.sites", si);
        si.id = r.str("id", true);
        si.name = r.str("name", false);
        si.demand = r.str("demand", true);
        si.demand_unit = r.str("demand_unit", false, "mu");
        if (si.demand_unit != "mu" && si.demand_unit != "m2")
            r.fail("key 'inputs.sites.demand_unit' must be \"mu\" or \"m2\"");
        if (const toml::table* a = r.subtable("attributes")) {
            for (auto&& [k, v] : *a) {
                if (!v.is_string())
                    r.fail(fmt::format("'inputs.sites.attributes.{}' must name a field (a string)",
                                       k.str()),
                           v);
                si.attributes[std::string(k.str())] = *v.value<std::string>();
            }
        }
        job.sites = si;
    }

    if (top.subtable("allocation")) {
        job.allocation = read_plugin_choice(*root.get("allocation")->as_table(), "allocation",
                                            "strategy", job.file);
    }
    if (const toml::node* c = root.get("compensation")) {
        if (const toml::table* t = c->as_table()) {
            job.compensation.push_back(read_plugin_choice(*t, "compensation", "model", job.file));
        } else if (const toml::array* a = c->as_array()) {
            std::size_t i = 0;
            for (const auto& e : *a) {
                const std::string where = fmt::format("compensation[{}]", i++);
                if (!e.is_table())
                    top.fail(fmt::format("'{}' must be a table", where), e);
                job.compensation.push_back(
                    read_plugin_choice(*e.as_table(), where, "model", job.file));
            }
        } else {
            top.fail("'compensation' must be a table [compensation] or tables [[compensation]]",
                     *c);
        }
    }
    job.ledger.path = dir / (job.name + ".ledger.sqlite");
    if (const toml::table* t = top.subtable("ledger")) {
        TableReader r(*t, "ledger", job.file, {"path", "on_shortfall", "wait_seconds"});
        const std::string path = r.str("path", false);
        if (!path.empty())
            job.ledger.path = std::filesystem::path(path).is_relative()
                                  ? (dir / path).lexically_normal()
                                  : std::filesystem::path(path);
        const std::string policy = r.str("on_shortfall", false, "partial");
        if (policy != "partial" && policy != "refuse")
            r.fail(
                "key 'ledger.on_shortfall' must be \"partial\" (take what remains) or \"refuse\"");
        job.ledger.refuse_shortfall = policy == "refuse";
        const double wait = r.number("wait_seconds", job.ledger.wait_seconds);
        if (wait < 0 || wait > 3600 || wait != std::floor(wait))
            r.fail("key 'ledger.wait_seconds' must be a whole number of seconds from 0 to 3600");
        job.ledger.wait_seconds = static_cast<int>(wait);
    }
    if ((job.allocation || !job.compensation.empty()) && !job.sites)
        throw Error(
            Stage::Job,
            fmt::format("{}: [allocation] and [compensation] need sites: add [inputs.sites]",
                        job.file.string()));
    if (!job.compensation.empty() && !job.allocation)
        throw Error(Stage::Job,
                    fmt::format("{}: [compensation] pays for transfers: add [allocation]",
                                job.file.string()));

    if (const toml::table* t = top.subtable("reclaim")) {
        TableReader r(
            *t, "reclaim", job.file,
            {"landuse", "village_class", "relocating_villages", "min_piece_m2", "max_slope_class"});
        job.reclaim.landuse = r.strings("landuse", job.reclaim.landuse);
        job.reclaim.village_class = r.strings("village_class", job.reclaim.village_class);
        job.reclaim.relocating_villages = r.strings("relocating_villages", {});
        job.reclaim.min_piece_m2 = r.number("min_piece_m2", job.reclaim.min_piece_m2);
        if (job.reclaim.min_piece_m2 < 0.0)
            r.fail("key 'reclaim.min_piece_m2' must not be negative");
        const double slope = r.number("max_slope_class", job.reclaim.max_slope_class);
        if (!(slope >= 0 && slope <= 5) || slope != std::floor(slope))
            r.fail("key 'reclaim.max_slope_class' must be a whole number from 0 (no rule) to 5");
        job.reclaim.max_slope_class = static_cast<int>(slope);
    }
    if (job.villages.relocate.empty() && job.reclaim.relocating_villages.empty())
        throw Error(Stage::Job,
                    fmt::format("{}: no relocating villages: set 'inputs.villages.relocate' "
                                "(a field) or 'reclaim.relocating_villages' (a list of codes)",
                                job.file.string()));
    return job;
}

} // namespace landquota
