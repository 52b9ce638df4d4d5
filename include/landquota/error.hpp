#pragma once

#include <stdexcept>
#include <string>

namespace landquota {

// Exit codes of the command line: success, bad input, internal error.
enum class ExitCode : int { Ok = 0, BadInput = 1, Internal = 2 };

// One exception type for the whole engine (PDAL's model): the message is prefixed with the
// stage that raised it, and the kind decides the exit code.
class Error : public std::runtime_error {
  public:
    enum class Kind { Input, Internal };

    Error(std::string stage, const std::string& message, Kind kind = Kind::Input)
        : std::runtime_error(stage + ": " + message), stage_(std::move(stage)), kind_(kind) {}

    const std::string& stage() const noexcept { return stage_; }
    Kind kind() const noexcept { return kind_; }
    ExitCode exit_code() const noexcept {
        return kind_ == Kind::Input ? ExitCode::BadInput : ExitCode::Internal;
    }

  private:
    std::string stage_;
    Kind kind_;
};

} // namespace landquota
