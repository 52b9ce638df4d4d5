#include "pipeline/job.hpp"

#include "core/did_you_mean.hpp"
#include "landquota/error.hpp"

#include <algorithm>
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
        if (auto s = n->value<std::string>(); s && n->is_string())
            return *s;
        fail(fmt::format("key '{}' must be a string", qualified(key)), *n);
    }

    double number(const std::string& key, double fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        if (n->is_integer() || n->is_floating_point())
            return *n->value<double>();
        fail(fmt::format("key '{}' must be a number", qualified(key)), *n);
    }

    bool boolean(const std::string& key, bool fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        if (n->is_boolean())
            return *n->value<bool>();
        fail(fmt::format("key '{}' must be true or false", qualified(key)), *n);
    }

    std::vector<std::string> strings(const std::string& key, std::vector<std::string> fallback) const {
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
        throw Error("job", fmt::format("{}: {}", file_.string(), msg));
    }
    [[noreturn]] void fail(const std::string& msg, const toml::node& n) const {
        const auto& src = n.source();
        throw Error("job", fmt::format("{}:{}: {}", file_.string(), src.begin.line, msg));
    }

private:
    const toml::table& t_;
    std::string where_;
    const std::filesystem::path& file_;
    std::vector<std::string> known_;
};

std::vector<std::string> with_source_keys(std::vector<std::string> keys) {
    for (const char* k : {"path", "layer", "encoding"})
        keys.emplace_back(k);
    return keys;
}

void read_source(const TableReader& r, const std::filesystem::path& dir, const std::string& where,
                 LayerSource& s) {
    s.table = where;
    s.path = r.str("path", true);
    // Connection strings (PG:..., /vsizip/..., http...) are passed to GDAL untouched.
    const bool is_connection = s.path.find(':') != std::string::npos || s.path.starts_with("/vsi");
    if (!is_connection && std::filesystem::path(s.path).is_relative())
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
        throw Error("job", fmt::format("{}: job file not found", file.string()));
    toml::table root;
    try {
        root = toml::parse_file(file.string());
    } catch (const toml::parse_error& e) {
        throw Error("job", fmt::format("{}:{}:{}: {}", file.string(), e.source().begin.line,
                                       e.source().begin.column, e.description()));
    }
    Job job;
    job.file = std::filesystem::absolute(file).lexically_normal();
    const auto dir = job.file.parent_path();

    TableReader top(root, "", job.file, {"job", "inputs", "reclaim"});
    if (const toml::table* t = top.subtable("job")) {
        TableReader r(*t, "job", job.file, {"name", "crs", "densify_m", "repair_invalid"});
        job.name = r.str("name", false);
        job.crs = r.str("crs", false);
        job.densify_m = r.number("densify_m", job.densify_m);
        if (!(job.densify_m > 0.0))
            r.fail("key 'job.densify_m' must be positive");
        job.repair_invalid = r.boolean("repair_invalid", job.repair_invalid);
    }
    if (job.name.empty())
        job.name = job.file.stem().string();

    const toml::table* inputs = top.subtable("inputs");
    if (!inputs)
        top.fail("missing table [inputs]");
    TableReader in(*inputs, "inputs", job.file,
                   {"parcels", "villages", "townships", "exclusions", "resettlement"});

    const toml::table* p = in.subtable("parcels");
    if (!p)
        in.fail("missing table [inputs.parcels]");
    {
        TableReader r(*p, "inputs.parcels", job.file,
                      with_source_keys({"id", "landuse", "village", "village_class", "slope"}));
        read_source(r, dir, "inputs.parcels", job.parcels);
        job.parcels.id = r.str("id", true);
        job.parcels.landuse = r.str("landuse", true);
        job.parcels.village = r.str("village", false);
        job.parcels.village_class = r.str("village_class", false);
        job.parcels.slope = r.str("slope", false);
    }
    const toml::table* v = in.subtable("villages");
    if (!v)
        in.fail("missing table [inputs.villages]");
    {
        TableReader r(*v, "inputs.villages", job.file,
                      with_source_keys({"id", "name", "township", "relocate"}));
        read_source(r, dir, "inputs.villages", job.villages);
        job.villages.id = r.str("id", true);
        job.villages.name = r.str("name", false);
        job.villages.township = r.str("township", false);
        job.villages.relocate = r.str("relocate", false);
    }
    if (const toml::table* t = in.subtable("townships")) {
        TableReader r(*t, "inputs.townships", job.file,
                      with_source_keys({"id", "name", "zone", "region"}));
        TownshipInput ti;
        read_source(r, dir, "inputs.townships", ti);
        ti.id = r.str("id", true);
        ti.name = r.str("name", false);
        ti.zone = r.str("zone", false);
        ti.region = r.str("region", false);
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

    if (const toml::table* t = top.subtable("reclaim")) {
        TableReader r(*t, "reclaim", job.file,
                      {"landuse", "village_class", "relocating_villages", "min_piece_m2",
                       "max_slope_class"});
        job.reclaim.landuse = r.strings("landuse", job.reclaim.landuse);
        job.reclaim.village_class = r.strings("village_class", job.reclaim.village_class);
        job.reclaim.relocating_villages = r.strings("relocating_villages", {});
        job.reclaim.min_piece_m2 = r.number("min_piece_m2", job.reclaim.min_piece_m2);
        if (job.reclaim.min_piece_m2 < 0.0)
            r.fail("key 'reclaim.min_piece_m2' must not be negative");
        const double slope = r.number("max_slope_class", job.reclaim.max_slope_class);
        if (slope < 0 || slope > 5 || slope != static_cast<int>(slope))
            r.fail("key 'reclaim.max_slope_class' must be a whole number from 0 (no rule) to 5");
        job.reclaim.max_slope_class = static_cast<int>(slope);
    }
    if (job.villages.relocate.empty() && job.reclaim.relocating_villages.empty())
        throw Error("job", fmt::format("{}: no relocating villages: set 'inputs.villages.relocate' "
                                       "(a field) or 'reclaim.relocating_villages' (a list of codes)",
                                       job.file.string()));
    return job;
}

} // namespace landquota
