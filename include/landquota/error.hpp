#pragma once

#include <stdexcept>
#include <string>

namespace landquota {

// Exit codes of the command line: success, bad input, internal error.
enum class ExitCode : int { Ok = 0, BadInput = 1, Internal = 2 };

// Where an error arose: the stages of a run (docs/architecture.md) and the modules around them.
// A closed set, so messages and tests can rely on the names.
enum class Stage {
    Job,        // reading the job file
    Plugins,    // finding, loading and checking plugins and their options
    Ingest,     // opening inputs, the working CRS, reading reference layers
    Validate,   // per-feature checks
    Geometry,   // geometry conversions between GDAL and GEOS
    Measure,    // ellipsoidal areas
    Assign,     // parcel -> village -> township -> zone -> region
    Reclaim,    // eligibility and clipping
    Quota,      // freed quota per unit
    Lots,       // lots and sites placed in units
    Allocate,   // the allocation plugin and its checks
    Compensate, // the compensation plugins and their checks
    Analyse,    // the analysis plugins (index, pairing, clusters) and their checks
    Manifest,   // the run's provenance
    Publish,    // writing outputs into the temporary folder
    Commit,     // the ledger transaction and the output folder's rename
    Ledger,     // the audit ledger's store
    Audit,      // audit subcommands
    Run,        // the run as a whole (cancellation)
};

inline const char* stage_name(Stage s) noexcept {
    switch (s) {
    case Stage::Job:
        return "job";
    case Stage::Plugins:
        return "plugins";
    case Stage::Ingest:
        return "ingest";
    case Stage::Validate:
        return "validate";
    case Stage::Geometry:
        return "geometry";
    case Stage::Measure:
        return "measure";
    case Stage::Assign:
        return "assign";
    case Stage::Reclaim:
        return "reclaim";
    case Stage::Quota:
        return "quota";
    case Stage::Lots:
        return "lots";
    case Stage::Allocate:
        return "allocate";
    case Stage::Compensate:
        return "compensate";
    case Stage::Analyse:
        return "analyse";
    case Stage::Manifest:
        return "manifest";
    case Stage::Publish:
        return "publish";
    case Stage::Commit:
        return "commit";
    case Stage::Ledger:
        return "ledger";
    case Stage::Audit:
        return "audit";
    case Stage::Run:
        return "run";
    }
    return "?";
}

// One exception type for the whole engine (PDAL's model): the message is prefixed with the
// stage that raised it, and the kind decides the exit code.
class Error : public std::runtime_error {
  public:
    enum class Kind { Input, Internal };

    Error(Stage stage, const std::string& message, Kind kind = Kind::Input)
        : std::runtime_error(std::string(stage_name(stage)) + ": " + message), stage_(stage),
          kind_(kind) {}

    Stage stage() const noexcept { return stage_; }
    Kind kind() const noexcept { return kind_; }
    ExitCode exit_code() const noexcept {
        return kind_ == Kind::Input ? ExitCode::BadInput : ExitCode::Internal;
    }

  private:
    Stage stage_;
    Kind kind_;
};

} // namespace landquota
