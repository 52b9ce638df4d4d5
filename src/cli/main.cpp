#include "cli/commands.hpp"
#include "core/cancel.hpp"
#include "core/environment_fault.hpp"
#include "core/translate.hpp"
#include "geo/versions.hpp"
#include "landquota/error.hpp"
#include "landquota/version.hpp"
#include "publish/report_language.hpp"
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
std::string g_lang;

// The stages' names (include/landquota/error.hpp, untranslated there) marked for the catalogue.
[[maybe_unused]] constexpr const char* kStageNames[] = {
    landquota::tr_later("job"),      landquota::tr_later("plugins"),
    landquota::tr_later("ingest"),   landquota::tr_later("validate"),
    landquota::tr_later("geometry"), landquota::tr_later("measure"),
    landquota::tr_later("assign"),   landquota::tr_later("reclaim"),
    landquota::tr_later("quota"),    landquota::tr_later("lots"),
    landquota::tr_later("allocate"), landquota::tr_later("compensate"),
    landquota::tr_later("analyse"),  landquota::tr_later("manifest"),
    landquota::tr_later("publish"),  landquota::tr_later("commit"),
    landquota::tr_later("ledger"),   landquota::tr_later("audit"),
    landquota::tr_later("run")};

// The stage prefix of an Error ("job: …") as a clerk reads it, in the message language.
std::string translated(const landquota::Error& e) {
    using namespace landquota;
    const std::string what = e.what();
    const std::string prefix = std::string(stage_name(e.stage())) + ": ";
    if (message_language() == Lang::En || what.rfind(prefix, 0) != 0)
        return what;
    return std::string(tr(stage_name(e.stage()))) + tr(": ") + what.substr(prefix.size());
}
} // namespace

const std::string& landquota::cli::asked_language() {
    return g_lang;
}

int main(int argc, char** argv) {
    using namespace landquota;
    install_cancel_handlers();
    CLI::App app{"landquota: construction-land quota from parcel layers (城乡建设用地增减挂钩)"};
    const LibraryVersions lib = library_versions();
    app.set_version_flag("--version", trf("landquota {} (GDAL {}, PROJ {}, GEOS {})", kVersion,
                                          lib.gdal, lib.proj, lib.geos));
    app.require_subcommand(1);
    app.add_option("--lang", g_lang,
                   "language of messages, report.html and report.md: zh or en (default: the "
                   "locale's; reports in the C locale are Chinese when the village names are)")
        ->check(CLI::IsMember({"zh", "en"}));
    // Subcommands pass options they do not know to the parent: --lang after the subcommand too.
    app.fallthrough();
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
    // Before any message is made: messages in the language asked for, else the locale's.
    set_message_language(message_language_for(g_lang, messages_locale()));
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
        std::cerr << tr("landquota: ") << translated(e) << "\n";
        return static_cast<int>(e.exit_code());
    } catch (const std::filesystem::filesystem_error& e) {
        // A file or folder the machine refused (permissions, a full or read-only disk).
        const std::string advice = environment_advice(e.code());
        if (advice.empty()) {
            std::cerr << tr("landquota: internal error: ") << e.what() << "\n";
            return 2;
        }
        std::cerr << tr("landquota: ") << e.path1().string() << ": " << advice << "\n";
        return 1;
    } catch (const std::exception& e) {
        std::cerr << tr("landquota: internal error: ") << e.what() << "\n";
        return 2;
    }
}
