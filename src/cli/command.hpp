#pragma once

#include <CLI/CLI.hpp>

namespace landquota::cli {

// One class per subcommand (osmium-tool's model): it declares its options on the parser and runs
// when chosen, returning the process exit code.
class Command {
  public:
    virtual ~Command() = default;
    virtual void setup(CLI::App& app) = 0;
    virtual int run() = 0;
};

// Prints progress to stderr in GDAL's callback form: one updating line on a terminal (step, %,
// time taken and left), plain lines every 10 % elsewhere. The step "done" clears the line.
int stderr_progress(double fraction, const char* message, void* data);

} // namespace landquota::cli
