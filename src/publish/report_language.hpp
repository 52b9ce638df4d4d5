#pragma once

// The language of the run's reports (report.html, report.md): asked for with --lang, else the
// locale's, else the data's — Chinese when the village names are Chinese.
#include "core/translate.hpp"

#include <string>
#include <vector>

namespace landquota {

// `asked` is "zh", "en" or "" (automatic). `locale` is the messages locale (see below): one
// starting with "zh" gives Chinese, any other named one English; "", "C" and "POSIX" say nothing,
// and then the names decide: Chinese if any holds a CJK character.
Lang choose_language(const std::string& asked, const std::string& locale,
                     const std::vector<std::string>& names);

// The locale messages are shown in, by POSIX precedence: LC_ALL, else LC_MESSAGES, else LANG.
std::string messages_locale();

// True when the UTF-8 text holds a CJK ideograph.
bool has_cjk(const std::string& utf8);

} // namespace landquota
