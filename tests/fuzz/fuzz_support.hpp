#pragma once

// What every fuzz target treats as a finding: a landquota::Error of kind Input is the expected
// answer to bad bytes (exit 1); an Internal error or any other exception would be exit 2 ("please
// report it") for a user's mistake, so it aborts and libFuzzer keeps the input.
#include "landquota/error.hpp"

#include <cstdio>
#include <cstdlib>
#include <exception>

namespace landquota::fuzz {

template <class F> void expect_input_errors_only(F&& f) {
    try {
        f();
    } catch (const Error& e) {
        if (e.kind() != Error::Kind::Input) {
            std::fprintf(stderr, "internal error on bad input: %s\n", e.what());
            std::abort();
        }
    } catch (const std::exception& e) {
        std::fprintf(stderr, "exception other than landquota::Error: %s\n", e.what());
        std::abort();
    }
}

} // namespace landquota::fuzz
