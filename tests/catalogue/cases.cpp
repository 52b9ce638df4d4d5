#include "catalogue.hpp"

#include <set>
#include <stdexcept>
#include <toml++/toml.h>

namespace landquota::test::catalogue {

namespace {

// The two commands most rows use, so a row names only what differs.
const std::vector<std::string> kRun{"run",      "{job}",    "--out",  "{out}",
                                    "--ledger", "{ledger}", "--quiet"};
const std::vector<std::string> kCheck{"check", "{job}", "--ledger", "{ledger}"};
const std::vector<std::string> kDefaultInvariants{"output", "ledger", "no-temp"};

std::vector<std::string> strings(const toml::node* node, const std::string& where) {
    std::vector<std::string> out;
    if (!node)
        return out;
    const toml::array* a = node->as_array();
    if (!a)
        throw std::runtime_error(where + " must be an array of strings");
    for (const auto& v : *a) {
        const auto s = v.value<std::string>();
        if (!s)
            throw std::runtime_error(where + " must be an array of strings");
        out.push_back(*s);
    }
    return out;
}

} // namespace

std::vector<Case> load_cases(const fs::path& table) {
    toml::table root;
    try {
        root = toml::parse_file(table.string());
    } catch (const toml::parse_error& e) {
        throw std::runtime_error(table.string() + ":" + std::to_string(e.source().begin.line) +
                                 ": " + std::string(e.description()));
    }
    const toml::array* rows = root["case"].as_array();
    if (!rows)
        throw std::runtime_error(table.string() + ": no [[case]] rows");
    std::vector<Case> cases;
    std::set<std::string> ids;
    const std::set<std::string> keys{"id",      "base",       "recipe", "command", "exit",
                                     "message", "invariants", "fault",  "why"};
    const std::set<std::string> invariants{"output", "ledger", "no-temp", "atomic"};
    for (const auto& node : *rows) {
        const toml::table* t = node.as_table();
        if (!t)
            throw std::runtime_error(table.string() + ": a [[case]] is not a table");
        Case c;
        c.id = (*t)["id"].value_or(std::string());
        const std::string where = table.string() + ", case '" + c.id + "' (line " +
                                  std::to_string(t->source().begin.line) + ")";
        if (c.id.empty() || !ids.insert(c.id).second)
            throw std::runtime_error(where + ": 'id' is missing or used twice");
        for (const auto& [key, value] : *t)
            if (!keys.count(std::string(key.str())))
                throw std::runtime_error(where + ": unknown key '" + std::string(key.str()) + "'");
        c.base = (*t)["base"].value_or(std::string("mini"));
        if (c.base != "mini" && c.base != "wuyi" && c.base != "cadastre")
            throw std::runtime_error(where + ": base must be mini, wuyi or cadastre");
        if (const toml::array* r = (*t)["recipe"].as_array())
            for (const auto& step : *r)
                c.recipe.push_back(strings(&step, where + ": recipe step"));
        const toml::node* command = t->get("command");
        if (!command || command->value<std::string>() == "run")
            c.command = kRun;
        else if (command->value<std::string>() == "check")
            c.command = kCheck;
        else
            c.command = strings(command, where + ": command");
        const auto exit = (*t)["exit"].value<std::int64_t>();
        if (!exit)
            throw std::runtime_error(where + ": 'exit' is missing");
        c.exit_code = static_cast<int>(*exit);
        c.message = strings(t->get("message"), where + ": message");
        c.invariants = t->get("invariants") ? strings(t->get("invariants"), where + ": invariants")
                                            : kDefaultInvariants;
        for (const auto& i : c.invariants)
            if (!invariants.count(i))
                throw std::runtime_error(where + ": unknown invariant '" + i + "'");
        c.fault = (*t)["fault"].value_or(std::string());
        if (c.exit_code != 0 && c.exit_code != -9 && c.message.empty())
            throw std::runtime_error(where + ": a failing case must list its message fragments");
        cases.push_back(std::move(c));
    }
    return cases;
}

std::string Places::expand(std::string text) const {
    const std::pair<std::string, std::string> keys[] = {{"{job}", (dir / "job.toml").string()},
                                                        {"{out}", out.string()},
                                                        {"{ledger}", ledger.string()},
                                                        {"{dir}", dir.string()}};
    for (const auto& [key, value] : keys)
        for (auto at = text.find(key); at != std::string::npos;
             at = text.find(key, at + value.size()))
            text.replace(at, key.size(), value);
    return text;
}

} // namespace landquota::test::catalogue
