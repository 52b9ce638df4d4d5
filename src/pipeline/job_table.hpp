#pragma once

// Reading one table of a job file: typed keys, unknown keys refused with a suggestion, errors
// naming the file, the line and the dotted key.
#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "io/layer_source.hpp"
#include "landquota/error.hpp"
#include "pipeline/job.hpp"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <fmt/format.h>
#include <string>
#include <toml++/toml.h>
#include <vector>

namespace landquota {

// Where a value was written, for messages: "job.toml:12", or "job.toml: --set key=value" for a
// value given on the command line.
std::string node_place(const std::filesystem::path& file, const toml::node& n);

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
                fail(trf("unknown key '{}'{}; known keys: {}", qualified(key),
                         did_you_mean(key, known_), join(known_)),
                     v);
        }
    }

    std::string str(const std::string& key, bool required, const std::string& fallback = {}) const {
        const toml::node* n = t_.get(key);
        if (!n) {
            if (required)
                fail(trf("missing key '{}'", qualified(key)));
            return fallback;
        }
        if (auto s = n->value<std::string>(); s && n->is_string()) {
            if (required && s->empty())
                fail(trf("key '{}' must not be empty", qualified(key)), *n);
            return *s;
        }
        fail(trf("key '{}' must be a string", qualified(key)), *n);
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
            fail(trf("key '{}' must be a number", qualified(key)), *n);
        if (!std::isfinite(v))
            fail(trf("key '{}' must be a finite number", qualified(key)), *n);
        return v;
    }

    bool boolean(const std::string& key, bool fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        if (n->is_boolean())
            return *n->value<bool>();
        fail(trf("key '{}' must be true or false", qualified(key)), *n);
    }

    std::vector<std::string> strings(const std::string& key,
                                     std::vector<std::string> fallback) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return fallback;
        const toml::array* a = n->as_array();
        if (!a)
            fail(trf("key '{}' must be a list of strings", qualified(key)), *n);
        std::vector<std::string> out;
        for (const auto& e : *a) {
            if (!e.is_string())
                fail(trf("key '{}' must be a list of strings", qualified(key)), e);
            out.push_back(*e.value<std::string>());
        }
        return out;
    }

    const toml::table* subtable(const std::string& key) const {
        const toml::node* n = t_.get(key);
        if (!n)
            return nullptr;
        if (!n->is_table())
            fail(trf("'{}' must be a table", qualified(key)), *n);
        return n->as_table();
    }

    const std::filesystem::path& file() const { return file_; }

    std::string qualified(const std::string& key) const {
        return where_.empty() ? key : where_ + "." + key;
    }

    [[noreturn]] void fail(const std::string& msg) const {
        throw Error(Stage::Job, trf("{}: {}", file_.string(), msg));
    }
    [[noreturn]] void fail(const std::string& msg, const toml::node& n) const {
        throw Error(Stage::Job, trf("{}: {}", node_place(file_, n), msg));
    }

  private:
    const toml::table& t_;
    std::string where_;
    const std::filesystem::path& file_;
    std::vector<std::string> known_;
};

// A plugin table: the key naming the plugin, the rest are options shared by the kind's plugins,
// and sub-tables hold one plugin's own options; kept as typed values for the plugin manager to
// check against the plugins' declarations.
PluginChoice read_plugin_choice(const toml::table& t, const std::string& where,
                                const std::string& name_key, const std::filesystem::path& file);

// The keys every layer table has (path, layer, encoding) added to its own.
std::vector<std::string> with_source_keys(std::vector<std::string> keys);

// A layer table's source: the path (relative ones from the job file's folder; GDAL connection
// strings untouched), layer and encoding.
void read_source(const TableReader& r, const std::filesystem::path& dir, const std::string& where,
                 LayerSource& s);

} // namespace landquota
