#pragma once

// Messages in the user's language. English text is the message id, so English needs no catalogue
// and a missing translation shows the English; Chinese comes from po/zh_CN.po, compiled to
// share/locale/zh_CN/LC_MESSAGES/landquota.mo and read by Boost.Locale, which needs no system
// locale (docs/architecture.md, "Messages and their translations").
//
// Mark every user-facing literal where it is written: tr("text") for fixed text,
// trf("text {}", args...) for fmt format strings, tr_later("text") for a literal stored now and
// passed to tr() later (a table of names). xgettext finds the three by name.
#include "landquota/message.hpp"

#include <fmt/format.h>

#include <string>
#include <utility>
#include <vector>

namespace landquota {

enum class Lang { Zh, En };

// Set once by the command line (--lang, else the locale) before any message is made. Chinese
// without a catalogue to read falls back to English and says so on stderr.
void set_message_language(Lang lang);
Lang message_language();

// The language messages take from `asked` ("zh", "en" or "") and the messages locale: "zh…"
// gives Chinese, anything else English.
Lang message_language_for(const std::string& asked, const std::string& locale);

// The translation of `msgid` in the message language, or `msgid` itself.
const char* tr(const char* msgid);

constexpr const char* tr_later(const char* msgid) {
    return msgid;
}

// A plugin's message (landquota/message.hpp) in the message language: its text looked up, its
// arguments filled in.
std::string tr(const Message& m);
std::vector<std::string> tr_all(const std::vector<Message>& messages);
// What a plugin threw, in the message language: a PluginError's message, else what() as it is.
std::string plugin_error_text(const std::exception& e);

template <typename... Args> std::string trf(const char* msgid, Args&&... args) {
    return fmt::format(fmt::runtime(tr(msgid)), std::forward<Args>(args)...);
}

} // namespace landquota
