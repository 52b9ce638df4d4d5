// Progress on stderr. On a terminal: one line, rewritten in place, with the step, its percentage,
// the time it has taken and, once a few percent are done, the time left; steps that end within a
// second are never shown. Elsewhere (a log file, a pipe): plain lines, one per step and 10 %, so a
// log stays readable.
#include "cli/command.hpp"

#include <chrono>
#include <cstdio>
#include <string>
#include <unistd.h>

namespace landquota::cli {

namespace {

using Clock = std::chrono::steady_clock;

struct ProgressState {
    bool terminal = isatty(STDERR_FILENO) == 1;
    std::string step;
    Clock::time_point started = Clock::now(), last_draw{};
    int last_decile = -1;
    bool drawn = false; // the terminal line holds something to clear
};

std::string duration(double s) {
    const long t = static_cast<long>(s + 0.5);
    return t >= 60 ? std::to_string(t / 60) + " min " + std::to_string(t % 60) + " s"
                   : std::to_string(t) + " s";
}

void draw(ProgressState& st, double fraction) {
    const auto now = Clock::now();
    const double elapsed = std::chrono::duration<double>(now - st.started).count();
    if (elapsed < 1.0 || now - st.last_draw < std::chrono::milliseconds(100))
        return;
    st.last_draw = now;
    std::string line = st.step;
    if (fraction > 0.0)
        line += " " + std::to_string(static_cast<int>(fraction * 100.0)) + "%";
    line += ", " + duration(elapsed);
    if (fraction >= 0.03 && fraction < 1.0)
        line += ", about " + duration(elapsed * (1.0 - fraction) / fraction) + " left";
    std::fprintf(stderr, "\r%s\x1b[K", line.c_str());
    std::fflush(stderr);
    st.drawn = true;
}

} // namespace

int stderr_progress(double fraction, const char* message, void*) {
    static ProgressState st;
    const std::string step = message ? message : "";
    if (step != st.step) {
        st.step = step;
        st.started = Clock::now();
        st.last_decile = -1;
    }
    if (step == "done") {
        if (st.terminal && st.drawn)
            std::fprintf(stderr, "\r\x1b[K"); // the summary follows on stdout
        st.drawn = false;
        return 1;
    }
    if (st.terminal) {
        draw(st, fraction);
        return 1;
    }
    const int decile = static_cast<int>(fraction * 10.0);
    if (decile != st.last_decile) {
        // A step starts with its name alone: most steps never report a fraction, and "0%" would
        // read as "stuck".
        if (st.last_decile < 0 && decile == 0)
            std::fprintf(stderr, "%s\n", step.c_str());
        else
            std::fprintf(stderr, "%s %3d%%\n", step.c_str(), decile * 10);
        st.last_decile = decile;
    }
    return 1;
}

} // namespace landquota::cli
