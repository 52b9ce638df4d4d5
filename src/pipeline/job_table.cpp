#include "pipeline/job_table.hpp"

#include "landquota/error.hpp"

#include <algorithm>
#include <fmt/format.h>

namespace landquota {

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

} // namespace landquota
