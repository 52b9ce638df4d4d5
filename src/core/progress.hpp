#pragma once

#include "core/cancel.hpp"
#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <algorithm>
#include <cstdint>
#include <gdal.h>

namespace landquota {

// Progress in GDAL's form (fraction done, a message, user data; FALSE cancels), reported at most
// once per percent of `total` steps.
class Progress {
  public:
    Progress(GDALProgressFunc fn, void* arg, std::int64_t total)
        : fn_(fn), arg_(arg), total_(std::max<std::int64_t>(1, total)) {}
    void step(std::int64_t done, const char* what) {
        throw_if_cancelled();
        if (!fn_)
            return;
        const double frac = std::min(1.0, static_cast<double>(done) / static_cast<double>(total_));
        if (frac - last_ < 0.01 && done != total_)
            return;
        last_ = frac;
        if (!fn_(frac, what, arg_))
            throw Error(Stage::Run, tr("cancelled by the user"));
    }

  private:
    GDALProgressFunc fn_;
    void* arg_;
    std::int64_t total_;
    double last_ = -1.0;
};

} // namespace landquota
