#pragma once

// Test helpers: temporary folders, small real layers written with GDAL, and running the real
// command-line binary.
#include "landquota/plugin.hpp"

#include <filesystem>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace landquota::test {

namespace fs = std::filesystem;

class TempDir {
  public:
    TempDir();
    ~TempDir();
    const fs::path& path() const { return path_; }
    fs::path operator/(const std::string& s) const { return path_ / s; }

  private:
    fs::path path_;
};

// One feature: attribute values (as strings, "" = null) and a WKT geometry ("" = none).
struct Row {
    std::vector<std::string> values;
    std::string wkt;
};

// Writes a layer with GDAL. `crs` "" writes no CRS. Appends to an existing file (GPKG).
void write_layer(const fs::path& file, const std::string& driver, const std::string& layer,
                 const std::string& crs, const std::vector<std::string>& fields,
                 const std::vector<Row>& rows, const std::vector<std::string>& layer_options = {});

// A rectangle as WKT polygon (counter-clockwise).
std::string rect(double x0, double y0, double x1, double y1);

struct CliResult {
    int exit_code;
    std::string out, err;
};
// Runs the built landquota binary with arguments (shell-quoted by the caller where needed).
CliResult run_cli(const std::string& args);

// Starts the built landquota binary in a child process (for kill -9 and concurrency tests).
int spawn_cli(const std::vector<std::string>& args);

// A WKT geometry moved from one CRS to another, its edges first cut every `segment` units so they
// stay as straight as in the source plane.
std::string reproject_wkt(const std::string& wkt, const std::string& from, const std::string& to,
                          double segment);

std::string read_file(const fs::path& p);
void write_file(const fs::path& p, const std::string& text);

fs::path source_dir();
// The Wuyi sample (job.toml and wuyi.gpkg) copied into `dir`, its ledger moved to `dir`/`ledger`
// so a test never writes the shared out/wuyi.ledger.sqlite; returns the job file.
fs::path copy_wuyi_sample(const fs::path& dir, const std::string& ledger = "ledger.sqlite");

// A plugin from the built plugins folder, its options validated as from a job file.
std::unique_ptr<AllocationStrategy>
make_allocation(const std::string& name, const std::map<std::string, OptionValue>& options = {});
std::unique_ptr<CompensationModel>
make_compensation(const std::string& name, const std::map<std::string, OptionValue>& options = {});
std::unique_ptr<Analysis> make_analysis(const std::string& name,
                                        const std::map<std::string, OptionValue>& options = {});

} // namespace landquota::test
