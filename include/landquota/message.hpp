#pragma once

// A plugin's words in the user's language. A plugin cannot reach the engine's catalogue (the
// plugin interface is headers only), so it hands over the English text with a {} where each
// argument goes, and the arguments already as text; the engine looks the text up in its
// catalogue (po/zh_CN.po holds the built-in plugins' messages) and fills in the arguments. A
// message the catalogue lacks, as a third party's would, shows in English.
//
// Mark each text with plugin_message("…", args...) so the catalogue tools find it:
//   throw PluginError(plugin_message("unit {} has a negative size", u.id));
//   result.notes.push_back(plugin_message("site {} short of {} m²", id, format_m2(need)));
// Numbers are formatted by the plugin (it knows their precision): placeholders are plain {}.

#include <stdexcept>
#include <string>
#include <type_traits>
#include <utility>
#include <vector>

namespace landquota {

struct Message {
    std::string id;                // the English text, {} where an argument goes
    std::vector<std::string> args; // in order

    Message() = default;
    // Plain text: a message that was not marked, shown as it is.
    Message(std::string text) : id(std::move(text)) {}
    Message(const char* text) : id(text) {}
    Message(std::string text, std::vector<std::string> arguments)
        : id(std::move(text)), args(std::move(arguments)) {}

    // `pattern` with its {} replaced by `args` in order; a {} beyond the arguments stays.
    static std::string fill(const std::string& pattern, const std::vector<std::string>& args) {
        std::string out;
        std::size_t next = 0, from = 0;
        for (std::size_t at; next < args.size() && (at = pattern.find("{}", from)) != pattern.npos;
             from = at + 2)
            out.append(pattern, from, at - from).append(args[next++]);
        return out.append(pattern, from, std::string::npos);
    }
    std::string english() const { return fill(id, args); }
    bool operator==(const Message& o) const { return id == o.id && args == o.args; }
};

namespace detail {
inline std::string message_arg(std::string s) {
    return s;
}
inline std::string message_arg(const char* s) {
    return s;
}
template <typename T, typename = std::enable_if_t<std::is_integral_v<T>>>
std::string message_arg(T n) {
    return std::to_string(n);
}
} // namespace detail

// Floating-point arguments are refused at compile time: format them to the precision they need.
template <typename... Args> Message plugin_message(const char* text, const Args&... args) {
    return Message(text, {detail::message_arg(args)...});
}

// An option value or input a plugin cannot use: the engine reports it as the user's error
// (exit 1), in the user's language. A plain std::invalid_argument is reported the same way, in
// English.
class PluginError : public std::invalid_argument {
  public:
    explicit PluginError(Message m) : std::invalid_argument(m.english()), message_(std::move(m)) {}
    const Message& message() const noexcept { return message_; }

  private:
    Message message_;
};

} // namespace landquota
