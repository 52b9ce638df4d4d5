#pragma once

#include <cstdint>
#include <map>
#include <stdexcept>
#include <string>
#include <variant>
#include <vector>

namespace landquota {

// A plugin option, declared once: the engine validates the job file against it, fills in the
// default, and `landquota plugins` prints it.
enum class OptionType { String, Number, Integer, Boolean, StringList };

inline const char* to_string(OptionType t) {
    switch (t) {
    case OptionType::String:
        return "string";
    case OptionType::Number:
        return "number";
    case OptionType::Integer:
        return "integer";
    case OptionType::Boolean:
        return "boolean";
    case OptionType::StringList:
        return "list of strings";
    }
    return "?";
}

using OptionValue = std::variant<std::string, double, std::int64_t, bool, std::vector<std::string>>;

struct OptionSpec {
    std::string name;
    OptionType type = OptionType::String;
    OptionValue default_value; // used when the job file does not set it
    std::string help;
    bool required = false; // no default: the job file must set it
};

// Validated option values handed to a plugin's factory: every declared option is present (set or
// defaulted) with its declared type.
class OptionValues {
  public:
    OptionValues() = default;
    explicit OptionValues(std::map<std::string, OptionValue> v) : values_(std::move(v)) {}

    const std::string& str(const std::string& name) const { return get<std::string>(name); }
    double number(const std::string& name) const { return get<double>(name); }
    std::int64_t integer(const std::string& name) const { return get<std::int64_t>(name); }
    bool boolean(const std::string& name) const { return get<bool>(name); }
    const std::vector<std::string>& strings(const std::string& name) const {
        return get<std::vector<std::string>>(name);
    }
    const std::map<std::string, OptionValue>& all() const { return values_; }

  private:
    template <typename T> const T& get(const std::string& name) const {
        const auto it = values_.find(name);
        if (it == values_.end())
            throw std::logic_error("plugin asked for undeclared option '" + name + "'");
        return std::get<T>(it->second);
    }
    std::map<std::string, OptionValue> values_;
};

} // namespace landquota
