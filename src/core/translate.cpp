#include "core/translate.hpp"

#include <boost/locale/generator.hpp>
#include <boost/locale/message.hpp>

#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <locale>
#include <memory>
#include <system_error>
#include <vector>

namespace landquota {
namespace {

Lang g_lang = Lang::En;
std::unique_ptr<std::locale> g_messages; // null: English

// Where the catalogues are: $LANDQUOTA_LOCALEDIR, then beside the executable (the build tree:
// build/share/locale), then ../share/locale from it (an installed bin/landquota). Never a path
// of the machine that built it, so a moved build or install still finds them.
std::vector<std::filesystem::path> catalogue_folders() {
    std::vector<std::filesystem::path> dirs;
    if (const char* env = std::getenv("LANDQUOTA_LOCALEDIR"); env && *env)
        dirs.emplace_back(env);
    std::error_code ec;
    const auto exe = std::filesystem::read_symlink("/proc/self/exe", ec);
    if (!ec) {
        dirs.push_back(exe.parent_path() / "share" / "locale");
        dirs.push_back(exe.parent_path().parent_path() / "share" / "locale");
    }
    return dirs;
}

} // namespace

void set_message_language(Lang lang) {
    g_lang = lang;
    g_messages.reset();
    if (lang == Lang::En)
        return;
    boost::locale::generator gen;
    bool found = false;
    for (const auto& dir : catalogue_folders()) {
        std::error_code ec;
        if (std::filesystem::exists(dir / "zh_CN" / "LC_MESSAGES" / "landquota.mo", ec)) {
            gen.add_messages_path(dir.string());
            found = true;
        }
    }
    if (!found) {
        std::cerr << "landquota: no Chinese message catalogue (share/locale/zh_CN/LC_MESSAGES/"
                     "landquota.mo beside the program): messages are in English\n";
        g_lang = Lang::En;
        return;
    }
    gen.add_messages_domain("landquota");
    g_messages = std::make_unique<std::locale>(gen("zh_CN.UTF-8"));
}

Lang message_language() {
    return g_lang;
}

Lang message_language_for(const std::string& asked, const std::string& locale) {
    if (asked == "zh")
        return Lang::Zh;
    if (asked == "en")
        return Lang::En;
    return locale.rfind("zh", 0) == 0 ? Lang::Zh : Lang::En;
}

const char* tr(const char* msgid) {
    if (!g_messages)
        return msgid;
    const auto& facet = std::use_facet<boost::locale::message_format<char>>(*g_messages);
    const char* t = facet.get(0, nullptr, msgid);
    return t ? t : msgid;
}

std::string tr(const Message& m) {
    return Message::fill(tr(m.id.c_str()), m.args);
}

std::vector<std::string> tr_all(const std::vector<Message>& messages) {
    std::vector<std::string> out;
    out.reserve(messages.size());
    for (const auto& m : messages)
        out.push_back(tr(m));
    return out;
}

std::string plugin_error_text(const std::exception& e) {
    if (const auto* p = dynamic_cast<const PluginError*>(&e))
        return tr(p->message());
    return e.what();
}

} // namespace landquota
