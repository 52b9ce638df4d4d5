#include "io/output_folder.hpp"

#include "core/environment_fault.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <cerrno>
#include <charconv>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <fmt/format.h>
#include <fstream>
#include <nlohmann/json.hpp>
#include <unistd.h>

namespace landquota {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path destination)
    : dest_(fs::absolute(destination).lexically_normal()) {
    if (dest_.filename().empty())
        dest_ = dest_.parent_path();
    // Refuse to replace a folder that is not a previous landquota output: a typo in --out must
    // never wipe someone's documents.
    if (fs::exists(dest_) &&
        !(fs::is_directory(dest_) && (fs::is_empty(dest_) || is_landquota_output(dest_))))
        throw Error(Stage::Publish, trf("{}: exists and is not a landquota output folder; "
                                        "choose another --out",
                                        dest_.string()));
    // The parent is created for the temporary folder, and removed again if the run fails.
    for (fs::path p = dest_.parent_path(); !p.empty() && !fs::exists(p); p = p.parent_path())
        created_.push_back(p);
    tmp_ = dest_.parent_path() / fmt::format(".{}.tmp-{}", dest_.filename().string(), ::getpid());
    try {
        fs::create_directories(dest_.parent_path());
        remove_stale_siblings();
        fs::remove_all(tmp_);
        fs::create_directories(tmp_);
    } catch (const fs::filesystem_error& e) {
        // No destructor runs for a constructor that throws: undo here what was made.
        std::error_code ec;
        fs::remove_all(tmp_, ec);
        remove_created_parents();
        // Permissions or a read-only or full disk: the user's to fix, named by the --out folder.
        const std::string advice = environment_advice(e.code());
        if (advice.empty())
            throw;
        throw Error(Stage::Publish, trf("{}: the output folder cannot be written ({}: {}); choose "
                                        "another --out",
                                        dest_.string(), e.path1().string(), advice));
    }
}

void OutputFolder::remove_stale_siblings() const {
    // A run killed outright (kill -9, power loss) cannot clean up after itself: its hidden
    // ".NAME.tmp-PID" or ".NAME.old-PID" folder stays. The next run for the same destination
    // removes those whose process is gone. The destination itself is never touched here.
    const std::string tmp_prefix = "." + dest_.filename().string() + ".tmp-";
    const std::string old_prefix = "." + dest_.filename().string() + ".old-";
    std::error_code ec;
    for (const auto& e : fs::directory_iterator(dest_.parent_path(), ec)) {
        const std::string name = e.path().filename().string();
        std::string pid;
        if (name.starts_with(tmp_prefix))
            pid = name.substr(tmp_prefix.size());
        else if (name.starts_with(old_prefix))
            pid = name.substr(old_prefix.size());
        else
            continue;
        long value = 0;
        const auto [end, err] = std::from_chars(pid.data(), pid.data() + pid.size(), value);
        if (pid.empty() || err != std::errc{} || end != pid.data() + pid.size() || value <= 0)
            continue;
        const pid_t p = static_cast<pid_t>(value);
        if (p == ::getpid() || ::kill(p, 0) == 0 || errno != ESRCH)
            continue; // its run is still going
        if (name.starts_with(old_prefix) && !fs::exists(dest_))
            fs::rename(e.path(), dest_,
                       ec); // killed between its two renames: restore the old output
        else
            fs::remove_all(e.path(), ec);
    }
}

OutputFolder::~OutputFolder() {
    if (committed_ || placed_)
        return; // placed but neither discarded nor put back: a failed put_back leaves all as is
    std::error_code ec;
    fs::remove_all(tmp_, ec);
    remove_created_parents();
}

void OutputFolder::remove_created_parents() const {
    std::error_code ec;
    for (const auto& p : created_) // innermost first; only while empty
        if (fs::is_empty(p, ec))
            fs::remove(p, ec);
}

bool OutputFolder::is_landquota_output(const fs::path& dir) {
    std::ifstream in(dir / "manifest.json");
    if (!in)
        return false;
    const auto m = nlohmann::json::parse(in, nullptr, /*allow_exceptions=*/false);
    return m.is_object() && m.contains("engine") && m["engine"].is_object() &&
           m["engine"].value("name", "") == "landquota";
}

void OutputFolder::commit() {
    put_in_place();
    discard_old();
}

void OutputFolder::put_in_place() {
    if (!fs::exists(dest_)) {
        fs::rename(tmp_, dest_);
        placed_ = true;
        return;
    }
    // Swap new and old in one atomic step (Linux renameat2 RENAME_EXCHANGE), so at every instant
    // one complete output is in place; the old one is then under the temporary name.
    if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_EXCHANGE) == 0) {
        old_ = tmp_;
        exchanged_ = placed_ = true;
        return;
    }
    // Filesystems without the exchange: move the old aside first. A crash between the two
    // renames leaves ".NAME.old-PID", which the next run puts back (remove_stale_siblings).
    const fs::path aside =
        dest_.parent_path() / fmt::format(".{}.old-{}", dest_.filename().string(), ::getpid());
    fs::remove_all(aside);
    fs::rename(dest_, aside);
    old_ = aside;
    try {
        fs::rename(tmp_, dest_);
    } catch (...) {
        std::error_code ec;
        fs::rename(old_, dest_, ec);
        old_.clear();
        throw;
    }
    placed_ = true;
}

void OutputFolder::put_back() {
    if (!placed_)
        return;
    if (exchanged_) {
        if (::renameat2(AT_FDCWD, tmp_.c_str(), AT_FDCWD, dest_.c_str(), RENAME_EXCHANGE) != 0)
            throw fs::filesystem_error("cannot put the previous output back", tmp_, dest_,
                                       std::error_code(errno, std::generic_category()));
    } else {
        fs::rename(dest_, tmp_);
        if (!old_.empty())
            fs::rename(old_, dest_);
    }
    old_.clear();
    exchanged_ = placed_ = false; // the new output is in tmp_ again, removed with this object
}

void OutputFolder::discard_old() {
    committed_ = true;
    if (old_.empty())
        return;
    std::error_code ec; // the new output is in place: failing to remove the old is no failure
    fs::remove_all(old_, ec);
    old_.clear();
}

} // namespace landquota
