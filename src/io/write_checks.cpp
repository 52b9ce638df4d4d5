#include "io/write_checks.hpp"

#include <cpl_error.h>
#include <fmt/format.h>

namespace landquota {

std::string write_failure(const std::filesystem::path& file, const std::string& reason) {
    return fmt::format("{}: cannot be written ({}); free space on that disk, or give --out a "
                       "folder you may write to",
                       file.string(), reason.empty() ? "unknown reason" : reason);
}

void close_checked(GDALDatasetUniquePtr& ds, const std::filesystem::path& file, Stage stage) {
    if (!ds)
        return;
    CPLErrorReset();
    ds->FlushCache(true);
    bool failed = CPLGetLastErrorType() >= CE_Failure;
    std::string reason = failed ? CPLGetLastErrorMsg() : "";
    ds.reset(); // GDALClose
    if (!failed && CPLGetLastErrorType() >= CE_Failure) {
        failed = true;
        reason = CPLGetLastErrorMsg();
    }
    if (failed)
        throw Error(stage, write_failure(file, reason));
}

} // namespace landquota
