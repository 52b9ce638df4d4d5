#pragma once

// The optimal plugin's model, independent of the engine's types: a transportation problem with
// optional minimum transfer sizes, in mu, solved with COIN-OR CLP (LP) or CBC (MILP).
//
//   maximise   Σ_p w_p x_p                   over the allowed (lot, site) pairs p
//   subject to Σ_{p from lot l} x_p ≤ supply_l
//              Σ_{p to site s}  x_p ≤ demand_s
//              0 ≤ x_p, and if min > 0: x_p = 0 or min ≤ x_p ≤ U_p = min(supply_l, demand_s)
//              (binary y_p: x_p ≤ U_p y_p, x_p ≥ min y_p)
//
// Duals come from CLP; for the MILP the binaries are fixed at their optimal values and the
// remaining LP is re-solved.
#include <cstddef>
#include <string>
#include <vector>

namespace landquota::optimal {

struct Pair {
    std::size_t lot = 0, site = 0; // indices into supply / demand
    double weight = 0;             // benefit per mu
};

struct Problem {
    std::vector<double> supply; // mu, per lot
    std::vector<double> demand; // mu, per site
    std::vector<Pair> pairs;    // allowed pairs only
    double min_transfer = 0;    // mu; 0: plain LP
    double time_limit_s = 60;   // the MILP's search stops here with the best solution found
};

struct Solution {
    std::vector<double> x;           // mu, per pair
    double objective = 0;            // the solver's objective (maximised)
    std::vector<double> supply_dual; // value of one more mu in each lot (≥ 0), empty if unavailable
    std::vector<double> demand_dual; // value of one more mu of each site's demand
    std::string status;              // human-readable solver status
    bool mip = false;
    std::size_t pairs_excluded = 0; // pairs whose U < min: no transfer possible
    bool time_limited = false;      // the MILP stopped at the time limit (not proven optimal)
    double gap = 0;                 // then: at most this far below the optimum (relative)
};

// Throws std::invalid_argument when the MILP finds no solution within the time limit (the user
// can change the options), std::runtime_error when the solver fails otherwise.
Solution solve(const Problem& p);

} // namespace landquota::optimal
