#pragma once

// Faults of the machine, not of landquota: a file the user may not read or write, a full or
// read-only disk. They are exit 1 with what to do, never "internal error" (exit 2).
#include "core/translate.hpp"

#include <cerrno>
#include <string>
#include <system_error>

namespace landquota {

// What to do about an operating-system error, or "" when it is no environment fault.
inline std::string environment_advice(int error) {
    switch (error) {
    case EACCES:
    case EPERM:
        return tr("permission denied: give the user running landquota access to it, or choose "
                  "another path");
    case EROFS:
        return tr("the disk is read-only: choose a path on a writable disk");
    case ENOSPC:
    case EDQUOT:
        return tr("the disk is full: free space, or choose a path on another disk");
    case EFBIG:
        return tr("the file is larger than this system allows (a file-size limit): raise the limit "
                  "(ulimit -f) or choose another disk");
    case ENOENT:
    case ENOTDIR:
        return tr("no such file or folder: check the path");
    case EISDIR:
        return tr("it is a folder, not a file: check the path");
    case EIO:
        return tr("the disk could not be read or written: check it, then run again");
    default:
        return {};
    }
}

inline std::string environment_advice(const std::error_code& ec) {
    return ec.category() == std::generic_category() || ec.category() == std::system_category()
               ? environment_advice(ec.value())
               : std::string();
}

} // namespace landquota
