#include "io/output_folder.hpp"

#include "landquota/error.hpp"

#include <fmt/format.h>
#include <unistd.h>

namespace landquota {

namespace fs = std::filesystem;

OutputFolder::OutputFolder(fs::path destination) : dest_(fs::absolute(destination).lexically_normal()) {
    if (dest_.filename().empty())
        dest_ = dest_.parent_path();
    // Refuse to replace a folder that is not a previous landquota output: a typo in --out must
    // never wipe someone's documents.
    if (fs::exists(dest_) && !(fs::is_directory(dest_) && fs::exists(dest_ / "manifest.json")) &&
        !(fs::is_directory(dest_) && fs::is_empty(dest_)))
        throw Error("publish", fmt::format("{}: exists and is not a landquota output folder; "
                                           "choose another --out",
                                           dest_.string()));
    fs::create_directories(dest_.parent_path());
    tmp_ = dest_.parent_path() / fmt::format(".{}.tmp-{}", dest_.filename().string(), ::getpid());
    fs::remove_all(tmp_);
    fs::create_directories(tmp_);
}

OutputFolder::~OutputFolder() {
    if (!committed_) {
        std::error_code ec;
        fs::remove_all(tmp_, ec);
    }
}

void OutputFolder::commit() {
    // Move the old output aside first, so at every instant either the old or the new one is in
    // place under the destination name.
    fs::path old;
    if (fs::exists(dest_)) {
        old = dest_.parent_path() / fmt::format(".{}.old-{}", dest_.filename().string(), ::getpid());
        fs::remove_all(old);
        fs::rename(dest_, old);
    }
    fs::rename(tmp_, dest_);
    committed_ = true;
    if (!old.empty())
        fs::remove_all(old);
}

} // namespace landquota
