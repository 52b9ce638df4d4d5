// A plugin's message (landquota/message.hpp) is filled in order and translated by the engine
// (core/translate.hpp) from the real catalogue built from po/zh_CN.po.
#include "core/translate.hpp"
#include "landquota/message.hpp"

#include <catch2/catch.hpp>

using namespace landquota;

namespace {

// Puts the message language back whatever a test does.
struct LanguageGuard {
    ~LanguageGuard() { set_message_language(Lang::En); }
};

} // namespace

TEST_CASE("plugin message: arguments fill the {} in order; text without arguments is left alone",
          "[translate]") {
    CHECK(plugin_message("site {} short of {} m²", std::string("S04"), "80000.00").english() ==
          "site S04 short of 80000.00 m²");
    CHECK(plugin_message("{} of {}", 3, std::int64_t{7}).english() == "3 of 7");
    // A plain note (no arguments) keeps any braces it has.
    CHECK(Message("a {} b").english() == "a {} b");
    // An argument holding {} is not filled again.
    CHECK(plugin_message("{} and {}", "{}", "x").english() == "{} and x");
    // More placeholders than arguments: the rest stay as written.
    CHECK(Message::fill("{}-{}", {"a"}) == "a-{}");
}

TEST_CASE("plugin message: the engine translates a PluginError and notes, and leaves an "
          "unmarked error and an unknown text in English",
          "[translate]") {
    LanguageGuard guard;
    const Message note = plugin_message("site {} short of {} m²", "S04", "80000.00");
    const PluginError marked(plugin_message("option 'capacity' must be 1 or more"));
    const std::invalid_argument plain("option 'capacity' must be 1 or more");
    const Message unknown = plugin_message("a third party's {} text", "own");

    set_message_language(Lang::En);
    CHECK(tr(note) == note.english());
    CHECK(plugin_error_text(marked) == marked.what());

    set_message_language(Lang::Zh);
    REQUIRE(message_language() == Lang::Zh); // the catalogue was found
    const std::string zh = tr(note);
    CHECK(zh != note.english());
    CHECK(zh.find("S04") != std::string::npos);
    CHECK(zh.find("80000.00") < zh.size());
    CHECK(zh.find("S04") < zh.find("80000.00")); // in the English order
    CHECK(plugin_error_text(marked) != marked.what());
    CHECK(plugin_error_text(plain) == plain.what());
    CHECK(tr(unknown) == "a third party's own text");
    CHECK(tr_all({note, unknown}) == std::vector<std::string>{zh, "a third party's own text"});
}
