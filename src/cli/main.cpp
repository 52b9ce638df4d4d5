#include "cli/commands.hpp"
#include "core/cancel.hpp"
#include "core/environment_fault.hpp"
#include "geo/versions.hpp"
#include "landquota/error.hpp"
#include "landquota/version.hpp"
#include "run/run.hpp"

#include <cpl_error.h>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fmt/format.h>
#include <iostream>
#include <unistd.h>

namespace {
// The first SIGINT/SIGTERM asks the run to stop cleanly (core/cancel.hpp); SA_RESETHAND makes a
// second one end the process at once.
void request_cancel(int signal) {
    landquota::cancel_signal().store(signal, std::memory_order_relaxed);
}
void install_cancel_handlers() {
    struct sigaction sa {};
    sa.sa_handler = request_cancel;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESETHAND;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
    // A file-size limit (ulimit -f) must fail the write with EFBIG, which is reported, rather than
    // kill the process half-way through an output.
    signal(SIGXFSZ, SIG_IGN);
}
} // namespace

int main(int argc, char** argv) {
    using namespace landquota;
    install_cancel_handlers();
    CLI::App app{"landquota: construction-land quota from parcel layers (城乡建设用地增减挂钩)"};
    const LibraryVersions lib = library_versions();
    app.set_version_flag("--version", fmt::format("landquota {} (GDAL {}, PROJ {}, GEOS {})",
                                                  kVersion, lib.gdal, lib.proj, lib.geos));
    app.require_subcommand(1);
    cli::RunCommand run;
    cli::RunCommand plan(true);
    cli::CompareCommand compare;
    cli::CheckCommand check;
    cli::PluginsCommand plugins;
    cli::AuditCommand audit;
    run.setup(app);
    plan.setup(app);
    compare.setup(app);
    check.setup(app);
    plugins.setup(app);
    audit.setup(app);
    try {
        app.parse(argc, argv);
    } catch (const CLI::ParseError& e) {
        return app.exit(e) == 0 ? 0 : 1;
    }
    try {
        init_gdal();
        // Our own messages carry GDAL's text where it matters; its raw stderr lines only confuse.
        CPLSetErrorHandler(CPLQuietErrorHandler);
        if (run.chosen())
            return run.run();
        if (plan.chosen())
            return plan.run();
        if (compare.chosen())
            return compare.run();
        if (check.chosen())
            return check.run();
        if (plugins.chosen())
            return plugins.run();
        if (audit.chosen())
            return audit.run();
        return 1;
    } catch (const Error& e) {
        std::cerr << "landquota: " << e.what() << "\n";
        return static_cast<int>(e.exit_code());
    } catch (const std::filesystem::filesystem_error& e) {
        // A file or folder the machine refused (permissions, a full or read-only disk).
        const std::string advice = environment_advice(e.code());
        if (advice.empty()) {
            std::cerr << "landquota: internal error: " << e.what() << "\n";
            return 2;
        }
        std::cerr << "landquota: " << e.path1().string() << ": " << advice << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << "landquota: internal error: " << e.what() << "\n";
        return 2;
    }
}
