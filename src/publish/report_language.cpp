#include "publish/report_language.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <cstdlib>

namespace landquota {

Lang choose_language(const std::string& asked, const std::string& locale,
                     const std::vector<std::string>& names) {
    if (asked == "zh")
        return Lang::Zh;
    if (asked == "en")
        return Lang::En;
    if (!asked.empty())
        throw Error(Stage::Publish, trf("report language '{}': use zh or en", asked));
    if (locale.rfind("zh", 0) == 0)
        return Lang::Zh;
    // "C.UTF-8" is the C locale too: it names no language.
    const std::string base = locale.substr(0, locale.find('.'));
    if (!base.empty() && base != "C" && base != "POSIX")
        return Lang::En;
    for (const auto& n : names)
        if (has_cjk(n))
            return Lang::Zh;
    return Lang::En;
}

std::string messages_locale() {
    for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"})
        if (const char* v = std::getenv(var); v && *v)
            return v;
    return "";
}

bool has_cjk(const std::string& s) {
    for (std::size_t i = 0; i < s.size();) {
        const auto c = static_cast<unsigned char>(s[i]);
        if (c < 0x80) {
            ++i;
            continue;
        }
        const int len = c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : 2;
        if (i + len > s.size())
            return false;
        char32_t cp = c & (len == 4 ? 0x07 : len == 3 ? 0x0F : 0x1F);
        for (int k = 1; k < len; ++k)
            cp = (cp << 6) | (static_cast<unsigned char>(s[i + k]) & 0x3F);
        // CJK Unified Ideographs, Extension A, Compatibility Ideographs, Extensions B and later.
        if ((cp >= 0x4E00 && cp <= 0x9FFF) || (cp >= 0x3400 && cp <= 0x4DBF) ||
            (cp >= 0xF900 && cp <= 0xFAFF) || (cp >= 0x20000 && cp <= 0x3134F))
            return true;
        i += len;
    }
    return false;
}

} // namespace landquota
