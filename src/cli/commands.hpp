#pragma once

#include "cli/command.hpp"
#include "pipeline/validate.hpp"

#include <ostream>
#include <string>

namespace landquota::cli {

class RunCommand : public Command {
public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

private:
    std::string job_, out_;
    bool quiet_ = false, chosen_ = false;
};

class CheckCommand : public Command {
public:
    void setup(CLI::App& app) override;
    int run() override;
    bool chosen() const { return chosen_; }

private:
    std::string job_;
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

void print_findings(const FindingLog& log, std::ostream& os);

} // namespace landquota::cli
