#include "pipeline/job_override.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <nlohmann/json.hpp>
#include <vector>

namespace landquota {

namespace {

struct KeyStep {
    std::string key;
    long index = -1; // compensation[1] -> 1
};

std::vector<KeyStep> split_key(const std::string& dotted, const std::string& fail_text) {
    std::vector<KeyStep> out;
    std::size_t start = 0;
    while (start <= dotted.size()) {
        const std::size_t dot = dotted.find('.', start);
        std::string part =
            dotted.substr(start, dot == std::string::npos ? std::string::npos : dot - start);
        KeyStep step;
        if (const auto open = part.find('['); open != std::string::npos && part.back() == ']') {
            try {
                step.index = std::stol(part.substr(open + 1, part.size() - open - 2));
            } catch (const std::exception&) {
                step.index = -2;
            }
            if (step.index < 0)
                throw Error(Stage::Job, fail_text + ": an index must be a whole number ≥ 0");
            part = part.substr(0, open);
        }
        if (part.empty())
            throw Error(Stage::Job, fail_text + ": a key part is empty");
        step.key = part;
        out.push_back(step);
        if (dot == std::string::npos)
            break;
        start = dot + 1;
    }
    return out;
}

// The value as a TOML node carrying the setting as its origin (messages then name the --set
// rather than a line of the file).
toml::table parse_value(const std::string& value, bool as_text, const std::string& origin) {
    if (!as_text) {
        try {
            return toml::parse("v = " + value, origin);
        } catch (const toml::parse_error&) {
            // not TOML (optimal, EPSG:4549, out/x.sqlite): taken as text below
        }
    }
    // JSON's escapes are TOML's basic-string escapes.
    return toml::parse("v = " + nlohmann::json(value).dump(), origin);
}

bool is_input_path(const std::vector<std::string>& keys) {
    return (keys.size() >= 3 && keys[0] == "inputs" && keys.back() == "path") ||
           (keys.size() == 2 && keys[0] == "ledger" && keys[1] == "path");
}

// What read_source takes as a path relative to the job file's folder.
bool is_relative_file(const std::string& path) {
    if (path.starts_with("/vsi") || std::filesystem::path(path).is_absolute())
        return false;
    const auto colon = path.find(':');
    return colon == std::string::npos || colon == 1; // PG:..., https://... stay as written
}

void absolutise(toml::node& n, std::vector<std::string>& keys, const std::filesystem::path& dir) {
    if (toml::table* t = n.as_table()) {
        for (auto&& [k, v] : *t) {
            keys.emplace_back(k.str());
            absolutise(v, keys, dir);
            keys.pop_back();
        }
    } else if (toml::array* a = n.as_array()) {
        for (auto& e : *a)
            absolutise(e, keys, dir);
    } else if (auto* s = n.as_string(); s && is_input_path(keys) && is_relative_file(s->get())) {
        s->get() = (dir / s->get()).lexically_normal().string();
    }
}

void merge(toml::table& base, const toml::table& over) {
    for (auto&& [k, v] : over) {
        toml::node* b = base.get(k.str());
        if (b && b->is_table() && v.is_table())
            merge(*b->as_table(), *v.as_table());
        else
            base.insert_or_assign(k, v);
    }
}

} // namespace

void apply_override(toml::table& root, const std::filesystem::path& file, const std::string& set) {
    const std::string origin = "--set " + set;
    const auto eq = set.find('=');
    if (eq == std::string::npos || eq == 0)
        throw Error(Stage::Job, trf("{}: {}: write --set KEY=VALUE, e.g. --set allocation.strategy="
                                    "optimal",
                                    file.string(), origin));
    const std::string fail_text = fmt::format("{}: {}", file.string(), origin);
    const auto steps = split_key(set.substr(0, eq), fail_text);
    const std::string value = set.substr(eq + 1);

    toml::table* t = &root;
    for (std::size_t i = 0; i + 1 < steps.size(); ++i) {
        const KeyStep& s = steps[i];
        toml::node* n = t->get(s.key);
        if (!n)
            n = &t->insert_or_assign(s.key, toml::table{}).first->second;
        if (s.index >= 0) {
            toml::array* a = n->as_array();
            if (!a || static_cast<std::size_t>(s.index) >= a->size() ||
                !(*a)[static_cast<std::size_t>(s.index)].is_table())
                throw Error(Stage::Job,
                            trf("{}: '{}' has no table [{}]", fail_text, s.key, s.index));
            n = &(*a)[static_cast<std::size_t>(s.index)];
        } else if (const toml::array* a = n->as_array(); a && a->size() == 1 && s.index < 0) {
            n = &(*n->as_array())[0]; // [[compensation]] with one entry: no index needed
        }
        if (!n->is_table())
            throw Error(Stage::Job, trf("{}: '{}' is not a table", fail_text, s.key));
        t = n->as_table();
    }
    const KeyStep& last = steps.back();
    if (last.index >= 0)
        throw Error(Stage::Job, trf("{}: the last key cannot be indexed", fail_text));
    const toml::node* old = t->get(last.key);
    if (old && (old->is_table() || old->is_array_of_tables()))
        throw Error(Stage::Job,
                    trf("{}: '{}' is a table; set one of its keys", fail_text, last.key));
    const bool as_text = old && old->is_string() && !value.starts_with('"');
    toml::table parsed = parse_value(value, as_text, origin);
    t->insert_or_assign(last.key, std::move(*parsed.get("v")));
}

void merge_job_tables(toml::table& base, const toml::table& over,
                      const std::filesystem::path& base_dir) {
    std::vector<std::string> keys;
    for (auto&& [k, v] : base) {
        keys.assign({std::string(k.str())});
        absolutise(v, keys, base_dir);
    }
    merge(base, over);
}

} // namespace landquota
