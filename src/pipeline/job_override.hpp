#pragma once

// Changing a parsed job file before it is read: `--set dotted.key=value` from the command line
// (PDAL's --stage.option), and `[job] base = "other.toml"`, a job that extends another.
#include <filesystem>
#include <string>
#include <toml++/toml.h>

namespace landquota {

// Applies one "dotted.key=value" (keys may index arrays of tables: compensation[1].model) to the
// table, creating tables on the way. Errors name the setting.
void apply_override(toml::table& root, const std::filesystem::path& file, const std::string& set);

// Merges `over` onto `base`, key by key: tables merge, anything else replaces. Relative input
// and ledger paths of the base are first made absolute from the base file's folder, so a variant
// may live in another folder than the job it extends.
void merge_job_tables(toml::table& base, const toml::table& over,
                      const std::filesystem::path& base_dir);

} // namespace landquota
