// Messages in Chinese and English (po/zh_CN.po through core/translate.hpp), on the real binary:
// the Wuyi sample's summary with --lang zh and with LANG=zh_CN.UTF-8 (a locale this machine does
// not have installed) is Chinese, with the same figures as the English; a bad job's error names
// the same file and key in both languages, exit 1; finding codes are the same in both.
#include "support.hpp"

#include <catch2/catch.hpp>
#include <cstdlib>
#include <optional>
#include <regex>

#include "mini_county.hpp"

using namespace landquota;
using namespace landquota::test;

namespace {

const fs::path kJob = source_dir() / "sample_maps" / "wuyi" / "job.toml";

// Sets the messages locale for the children run_cli starts, and puts it back.
class MessagesLocale {
  public:
    explicit MessagesLocale(const char* lang) {
        for (const char* var : {"LC_ALL", "LC_MESSAGES", "LANG"}) {
            const char* v = std::getenv(var);
            saved_.emplace_back(var, v ? std::optional<std::string>(v) : std::nullopt);
            unsetenv(var);
        }
        setenv("LANG", lang, 1);
    }
    ~MessagesLocale() {
        for (const auto& [var, v] : saved_)
            v ? setenv(var, v->c_str(), 1) : unsetenv(var);
    }

  private:
    std::vector<std::pair<const char*, std::optional<std::string>>> saved_;
};

std::string without(std::string text, const std::string& part) {
    for (std::size_t at; (at = text.find(part)) != std::string::npos;)
        text.replace(at, part.size(), "<dir>");
    return text;
}

std::vector<std::string> numbers(const std::string& text) {
    std::vector<std::string> out;
    static const std::regex number(R"(\d+(\.\d+)?)");
    for (auto it = std::sregex_iterator(text.begin(), text.end(), number);
         it != std::sregex_iterator(); ++it)
        out.push_back(it->str());
    return out;
}

std::vector<std::string> lines(const std::string& text) {
    std::vector<std::string> out;
    std::size_t start = 0;
    for (std::size_t nl; (nl = text.find('\n', start)) != std::string::npos; start = nl + 1)
        out.push_back(text.substr(start, nl - start));
    return out;
}

std::size_t count(const std::string& text, const std::string& part) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(part, at)) != std::string::npos; at += part.size())
        ++n;
    return n;
}

bool has_cjk_text(const std::string& s) {
    // Any of U+4E00..U+9FFF in UTF-8: a lead byte E4..E9.
    for (unsigned char c : s)
        if (c >= 0xE4 && c <= 0xE9)
            return true;
    return false;
}

// The English summary's label ("allocated  ", "parcels    "), or "" for a line without one.
std::string label(const std::string& line) {
    static const std::regex labelled(R"(^([a-z]+) +\S)");
    std::smatch m;
    return std::regex_search(line, m, labelled) ? m[1].str() : "";
}

} // namespace

TEST_CASE("language: the run's summary is Chinese with --lang zh or a zh locale, English "
          "otherwise, with the same figures",
          "[cli][language]") {
    TempDir dir;
    auto run = [&](const std::string& name, const std::string& lang) {
        const fs::path out = dir / name;
        const CliResult r =
            run_cli("run " + kJob.string() + " --out " + out.string() + " --ledger " +
                    (dir / (name + ".sqlite")).string() + " --operator tester --quiet" + lang);
        INFO(name << " stdout:\n" << r.out << "\nstderr:\n" << r.err);
        REQUIRE(r.exit_code == 0);
        return without(without(r.out, out.string()), (dir / (name + ".sqlite")).string());
    };
    std::string en, zh, by_locale, c_locale;
    {
        MessagesLocale c("C.UTF-8");
        en = run("en", " --lang en");
        zh = run("zh", " --lang zh");
        c_locale = run("c", "");
    }
    {
        MessagesLocale chinese("zh_CN.UTF-8");
        by_locale = run("locale", "");
    }
    INFO("English:\n" << en << "\nChinese:\n" << zh);
    CHECK(c_locale == en);
    CHECK(by_locale == zh);
    CHECK(numbers(zh) == numbers(en));
    const auto en_lines = lines(en), zh_lines = lines(zh);
    REQUIRE(en_lines.size() == zh_lines.size());
    std::size_t labelled = 0;
    for (std::size_t i = 0; i < en_lines.size(); ++i) {
        const std::string l = label(en_lines[i]);
        if (l.empty())
            continue;
        ++labelled;
        INFO(en_lines[i] << "\n" << zh_lines[i]);
        CHECK(label(zh_lines[i]).empty()); // no English label left
        CHECK(has_cjk_text(zh_lines[i]));
    }
    CHECK(labelled >= 8); // job, output, crs, parcels, unit, allocated, objective, ledger, paid
}

TEST_CASE("language: a bad job's error is Chinese with --lang zh and names the same file and key, "
          "exit 1 in both",
          "[cli][language][job]") {
    TempDir dir;
    std::string text = read_file(kJob);
    const std::string gpkg = (kJob.parent_path() / "wuyi.gpkg").string();
    for (std::size_t at; (at = text.find("\"wuyi.gpkg\"")) != std::string::npos;)
        text.replace(at, 11, "\"" + gpkg + "\"");
    text.replace(text.find("name = \"wuyi\""), 13, "name = \"wuyi\"\nnmae = \"typo\"");
    const fs::path job = dir / "bad.toml";
    write_file(job, text);
    MessagesLocale c("C.UTF-8");
    const CliResult en = run_cli("check " + job.string() + " --lang en");
    const CliResult zh = run_cli("check " + job.string() + " --lang zh");
    INFO("English:\n" << en.err << "\nChinese:\n" << zh.err);
    CHECK(en.exit_code == 1);
    CHECK(zh.exit_code == 1);
    for (const CliResult* r : {&en, &zh}) {
        CHECK_THAT(r->err, Catch::Contains(job.string()));
        CHECK_THAT(r->err, Catch::Contains("'job.nmae'"));
        CHECK_THAT(r->err, Catch::Contains("'name'")); // the did-you-mean
    }
    CHECK_THAT(en.err, Catch::Contains("unknown key 'job.nmae'"));
    CHECK_THAT(zh.err, !Catch::Contains("unknown key"));
    CHECK(has_cjk_text(zh.err));
    CHECK_FALSE(has_cjk_text(en.err));
}

TEST_CASE("language: findings keep their codes, file, layer, feature and field in both languages",
          "[cli][language][validate]") {
    TempDir dir;
    MiniCounty m;
    m.parcels[3].values[0] = "P1"; // P4 takes P1's id: duplicate_id
    const fs::path job = m.write(dir.path());
    MessagesLocale c("C.UTF-8");
    const CliResult en = run_cli("check " + job.string() + " --lang en");
    const CliResult zh = run_cli("check " + job.string() + " --lang zh");
    INFO("English:\n" << en.out << "\nChinese:\n" << zh.out);
    CHECK(en.exit_code == 1);
    CHECK(zh.exit_code == 1);
    // "<severity> [<code>] <where>: <message>": the codes, in order, are the same.
    static const std::regex code(R"(\[([a-z_]+)\] )");
    auto codes = [](const std::string& text) {
        std::vector<std::string> out;
        for (auto it = std::sregex_iterator(text.begin(), text.end(), code);
             it != std::sregex_iterator(); ++it)
            out.push_back((*it)[1].str());
        return out;
    };
    REQUIRE_FALSE(codes(en.out).empty());
    CHECK(codes(zh.out) == codes(en.out));
    CHECK_THAT(en.out, Catch::Contains("error [duplicate_id]"));
    CHECK_THAT(zh.out, Catch::Contains("[duplicate_id]"));
    CHECK_THAT(zh.out, !Catch::Contains("error [duplicate_id]"));
    CHECK_THAT(zh.out, Catch::Contains("'BSM'"));
    CHECK_THAT(zh.out, Catch::Contains("'P1'"));
    CHECK_THAT(zh.out, !Catch::Contains("is used by"));
    CHECK(has_cjk_text(zh.out));
    CHECK(numbers(zh.out) == numbers(en.out));
}

TEST_CASE("language: a plugin's error and notes are Chinese with --lang zh, through the engine's "
          "catalogue, with the same values",
          "[cli][language][plugins]") {
    TempDir dir;
    MessagesLocale c("C.UTF-8");
    // average refuses the price: the error comes from the plugin (landquota/pay.hpp).
    const std::string bad =
        "check " + kJob.string() + " --set compensation.average.price_yuan_per_mu=300000.125";
    const CliResult en = run_cli(bad + " --lang en");
    const CliResult zh = run_cli(bad + " --lang zh");
    INFO("English:\n" << en.err << "\nChinese:\n" << zh.err);
    CHECK(en.exit_code == 1);
    CHECK(zh.exit_code == 1);
    CHECK_THAT(en.err, Catch::Contains("option 'price_yuan_per_mu': amount has more than two "
                                       "decimals"));
    CHECK_THAT(zh.err, Catch::Contains("选项 'price_yuan_per_mu'：金额超过两位小数"));
    CHECK_THAT(zh.err, !Catch::Contains("more than two decimals"));
    CHECK(numbers(zh.err) == numbers(en.err));

    // priority's notes on the sites it could not fill, in the summary.
    auto run = [&](const std::string& lang) {
        const fs::path out = dir / lang;
        const CliResult r = run_cli("run " + kJob.string() + " --out " + out.string() +
                                    " --ledger " + (dir / (lang + ".sqlite")).string() +
                                    " --operator tester --quiet --lang " + lang);
        INFO(r.out << r.err);
        REQUIRE(r.exit_code == 0);
        return r.out;
    };
    const std::string en_run = run("en"), zh_run = run("zh");
    INFO("English:\n" << en_run << "\nChinese:\n" << zh_run);
    const std::size_t en_notes = count(en_run, " short of "), zh_notes = count(zh_run, " 尚缺 ");
    CHECK(en_notes > 0);
    CHECK(zh_notes == en_notes);
}
