#pragma once

#include "landquota/model.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace landquota {

// Collects findings, keeping the first few hundred of each check in full and counting the rest,
// so a county with a million bad rows cannot exhaust memory.
class FindingLog {
  public:
    void add(Finding f) {
        (f.is_error() ? errors_ : warnings_) += 1;
        if (++counts_[f.check] <= kKeepPerCheck)
            kept_.push_back(std::move(f));
    }
    const std::vector<Finding>& kept() const { return kept_; }
    std::int64_t errors() const { return errors_; }
    std::int64_t warnings() const { return warnings_; }
    // check -> how many (kept or not)
    const std::map<std::string, std::int64_t>& counts() const { return counts_; }

    static constexpr std::int64_t kKeepPerCheck = 200;

  private:
    std::vector<Finding> kept_;
    std::map<std::string, std::int64_t> counts_;
    std::int64_t errors_ = 0, warnings_ = 0;
};

} // namespace landquota
