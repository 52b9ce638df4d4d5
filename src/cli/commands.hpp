#pragma once

#include "cli/command.hpp"
#include "core/translate.hpp"
#include "pipeline/manifest.hpp"
#include "pipeline/validate.hpp"

#include <ostream>
#include <string>
#include <vector>

namespace landquota::cli {

// --lang, an option of every subcommand: "zh", "en" or "" (the locale's). It sets the language
// of messages (core/translate.hpp) and of the reports (publish/report_language.hpp).
const std::string& asked_language();

// --set KEY=VALUE, repeatable: overrides a job-file key for this run (recorded with it).
void add_set_option(CLI::App* sub, std::vector<std::string>& sets);

// `run`, or `plan` (the same run, written as a plan and never committed to the ledger; `run
// --dry-run` is its synonym).
class RunCommand : public Command {
  public:
    explicit RunCommand(bool plan = false) : plan_(plan) {}
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

  private:
    void print_allocation(const AllocationSummary& a, const std::string& head) const;
    std::string job_, out_, ledger_, operator_;
    std::vector<std::string> sets_;
    bool plan_ = false, quiet_ = false, chosen_ = false;
};

class CompareCommand : public Command {
  public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

  private:
    std::vector<std::string> jobs_, sets_;
    std::string out_, ledger_, operator_;
    bool quiet_ = false, chosen_ = false;
};

class CheckCommand : public Command {
  public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

  private:
    std::string job_, ledger_;
    std::vector<std::string> sets_;
    bool chosen_ = false;
};

class PluginsCommand : public Command {
  public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

  private:
    bool chosen_ = false;
};

class AuditCommand : public Command {
  public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return !action_.empty(); }

  private:
    int verify();
    int trace();
    int history();
    int reverse();
    int export_tables();
    std::string action_, ledger_, head_, site_, village_, geojson_, transfer_, reason_, operator_,
        out_;
    bool xlsx_ = false;
};

void print_findings(const FindingLog& log, std::ostream& os);

} // namespace landquota::cli
