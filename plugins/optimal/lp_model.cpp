#include "lp_model.hpp"

#include "landquota/message.hpp"

#include <CbcModel.hpp>
#include <CbcSolver.hpp>
#include <ClpSimplex.hpp>
#include <CoinPackedMatrix.hpp>
#include <OsiClpSolverInterface.hpp>
#include <sstream>

#include <algorithm>
#include <cfloat>
#include <stdexcept>

namespace landquota::optimal {

namespace {

const char* clp_status_text(int status) {
    switch (status) {
    case 0:
        return "optimal";
    case 1:
        return "primal infeasible";
    case 2:
        return "dual infeasible (unbounded)";
    case 3:
        return "stopped on iterations or time";
    case 4:
        return "stopped due to errors";
    case 5:
        return "stopped by event handler";
    }
    return "unknown status";
}

// The LP over the pairs with the given column bounds, solved with CLP (minimising −w·x).
Solution solve_lp(const Problem& p, const std::vector<double>& lower,
                  const std::vector<double>& upper) {
    const int nl = static_cast<int>(p.supply.size());
    const int nrows = nl + static_cast<int>(p.demand.size());
    const int ncols = static_cast<int>(p.pairs.size());
    std::vector<CoinBigIndex> start(ncols + 1);
    std::vector<int> index(2 * static_cast<std::size_t>(ncols));
    std::vector<double> value(index.size(), 1.0), obj(ncols);
    for (int j = 0; j < ncols; ++j) {
        start[j] = 2 * j;
        index[2 * j] = static_cast<int>(p.pairs[j].lot);
        index[2 * j + 1] = nl + static_cast<int>(p.pairs[j].site);
        obj[j] = -p.pairs[j].weight;
    }
    start[ncols] = 2 * ncols;
    std::vector<double> row_lo(nrows, -COIN_DBL_MAX), row_up(nrows);
    std::copy(p.supply.begin(), p.supply.end(), row_up.begin());
    std::copy(p.demand.begin(), p.demand.end(), row_up.begin() + nl);

    ClpSimplex clp;
    clp.setLogLevel(0);
    clp.loadProblem(ncols, nrows, start.data(), index.data(), value.data(), lower.data(),
                    upper.data(), obj.data(), row_lo.data(), row_up.data());
    clp.setOptimizationDirection(1.0);
    clp.initialSolve();
    if (!clp.isProvenOptimal())
        throw std::runtime_error(std::string("optimal: CLP did not solve the allocation LP: ") +
                                 clp_status_text(clp.status()) + " (status " +
                                 std::to_string(clp.status()) + ", secondary " +
                                 std::to_string(clp.secondaryStatus()) + ")");
    Solution s;
    const double* x = clp.primalColumnSolution();
    s.x.assign(x, x + ncols);
    for (auto& v : s.x)
        v = std::max(v, 0.0);
    s.objective = -clp.objectiveValue();
    const double* dual = clp.dualRowSolution();
    // CLP's row dual is d(objective)/d(rhs) for the minimisation of −w·x: negate for value per mu.
    for (int i = 0; i < nl; ++i)
        s.supply_dual.push_back(std::max(0.0, -dual[i]));
    for (int i = nl; i < nrows; ++i)
        s.demand_dual.push_back(std::max(0.0, -dual[i]));
    s.status = "CLP: optimal after " + std::to_string(clp.numberIterations()) + " iterations";
    return s;
}

int quiet_callback(CbcModel*, int) {
    return 0;
}

struct MipResult {
    std::vector<int> chosen; // y_p per pair of p.pairs
    std::vector<double> x;   // x_p per pair of p.pairs
    double objective = 0;
    std::string status;
    bool time_limited = false;
    double gap = 0;
};

// x_p and y_p per usable pair, solved with CBC.
MipResult solve_mip(const Problem& p, const std::vector<double>& upper) {
    MipResult r;
    std::vector<std::size_t> usable; // pairs that can carry at least the minimum
    for (std::size_t j = 0; j < p.pairs.size(); ++j)
        if (upper[j] >= p.min_transfer)
            usable.push_back(j);
    r.chosen.assign(p.pairs.size(), 0);
    r.x.assign(p.pairs.size(), 0.0);
    if (usable.empty()) {
        r.status = "CBC: nothing to solve (no pair can carry the minimum transfer)";
        return r;
    }
    const int nl = static_cast<int>(p.supply.size());
    const int nb = nl + static_cast<int>(p.demand.size());
    const int nu = static_cast<int>(usable.size());
    const int nrows = nb + 2 * nu;
    // Columns 0..nu-1: x; nu..2nu-1: y.
    CoinPackedMatrix m(true, 0, 0);
    m.setDimensions(nrows, 0);
    std::vector<double> col_lo, col_up, obj;
    for (int k = 0; k < nu; ++k) {
        const Pair& pr = p.pairs[usable[k]];
        const int rows[4] = {static_cast<int>(pr.lot), nl + static_cast<int>(pr.site), nb + 2 * k,
                             nb + 2 * k + 1};
        const double vals[4] = {1.0, 1.0, 1.0, 1.0};
        m.appendCol(4, rows, vals);
        col_lo.push_back(0.0);
        col_up.push_back(upper[usable[k]]);
        obj.push_back(pr.weight);
    }
    for (int k = 0; k < nu; ++k) {
        const int rows[2] = {nb + 2 * k, nb + 2 * k + 1};
        const double vals[2] = {-upper[usable[k]], -p.min_transfer};
        m.appendCol(2, rows, vals);
        col_lo.push_back(0.0);
        col_up.push_back(1.0);
        obj.push_back(0.0);
    }
    std::vector<double> row_lo(nrows, -COIN_DBL_MAX), row_up(nrows, 0.0);
    std::copy(p.supply.begin(), p.supply.end(), row_up.begin());
    std::copy(p.demand.begin(), p.demand.end(), row_up.begin() + nl);
    for (int k = 0; k < nu; ++k) {
        row_lo[nb + 2 * k] = -COIN_DBL_MAX; // x − U y ≤ 0
        row_up[nb + 2 * k] = 0.0;
        row_lo[nb + 2 * k + 1] = 0.0; // x − min y ≥ 0
        row_up[nb + 2 * k + 1] = COIN_DBL_MAX;
    }

    OsiClpSolverInterface si;
    si.messageHandler()->setLogLevel(0);
    si.getModelPtr()->setLogLevel(0);
    si.loadProblem(m, col_lo.data(), col_up.data(), obj.data(), row_lo.data(), row_up.data());
    si.setObjSense(-1.0); // maximise
    for (int k = 0; k < nu; ++k)
        si.setInteger(nu + k);

    CbcModel model(si);
    model.setLogLevel(0);
    model.messageHandler()->setLogLevel(0);
    CbcSolverUsefulData data;
    data.noPrinting_ = true;
    data.useSignalHandler_ = false;
    CbcMain0(model, data);
    model.setLogLevel(0);
    // The search is bounded: a minimum transfer size can make the MILP take hours.
    std::ostringstream limit;
    limit << p.time_limit_s; // "0.05", "60"
    const std::string seconds = limit.str();
    const char* argv[] = {"landquota-optimal", "-log",   "0",    "-slog", "0", "-sec",
                          seconds.c_str(),     "-solve", "-quit"};
    CbcMain1(static_cast<int>(std::size(argv)), argv, model, quiet_callback, data);
    const bool timed_out = model.maximumSecondsReached();
    if (model.bestSolution() == nullptr && timed_out)
        throw PluginError(plugin_message(
            "no allocation found within time_limit_s = {} s (the minimum transfer makes the "
            "problem hard): raise time_limit_s, or lower or drop min_transfer_mu",
            seconds));
    if (model.bestSolution() == nullptr || (!model.isProvenOptimal() && !timed_out))
        throw std::runtime_error("optimal: CBC did not solve the allocation MILP (status " +
                                 std::to_string(model.status()) + ", secondary " +
                                 std::to_string(model.secondaryStatus()) + ")");
    const double* sol = model.bestSolution();
    for (int k = 0; k < nu; ++k) {
        r.chosen[usable[k]] = sol[nu + k] > 0.5 && sol[k] > 0.5 * p.min_transfer ? 1 : 0;
        r.x[usable[k]] = r.chosen[usable[k]] ? std::clamp(sol[k], 0.0, upper[usable[k]]) : 0.0;
    }
    r.objective = model.getObjValue();
    if (model.isProvenOptimal()) {
        r.status = "CBC: proven optimal after " + std::to_string(model.getNodeCount()) +
                   " nodes (objective " + std::to_string(model.getObjValue()) + ")";
        return r;
    }
    // Stopped by the time limit with a solution: the best found, and how far from the optimum it
    // can at most be (the proven bound).
    const double bound = model.getBestPossibleObjValue();
    r.gap = std::abs(bound - r.objective) / std::max(std::abs(r.objective), 1e-9);
    r.time_limited = true;
    r.status = "CBC: stopped at the time limit of " + seconds + " s after " +
               std::to_string(model.getNodeCount()) +
               " nodes; the best allocation found (objective " + std::to_string(r.objective) +
               ") is within " + std::to_string(100.0 * r.gap) + " % of the optimum (proven bound " +
               std::to_string(bound) + ")";
    return r;
}

} // namespace

Solution solve(const Problem& p) {
    for (const auto& pr : p.pairs)
        if (pr.lot >= p.supply.size() || pr.site >= p.demand.size())
            throw std::logic_error("optimal: pair refers to an unknown lot or site");
    std::vector<double> upper(p.pairs.size()), lower(p.pairs.size(), 0.0);
    for (std::size_t j = 0; j < p.pairs.size(); ++j)
        upper[j] = std::min(p.supply[p.pairs[j].lot], p.demand[p.pairs[j].site]);
    // Column upper bounds are left infinite in the LPs: x ≤ U is implied by the rows, and a bound
    // equal to a lot's supply would make that lot's dual ambiguous (the bound could take its
    // value).
    const std::vector<double> infinite(p.pairs.size(), COIN_DBL_MAX);
    if (!(p.min_transfer > 0))
        return solve_lp(p, lower, infinite);

    const MipResult mip = solve_mip(p, upper);
    const std::vector<int>& chosen = mip.chosen;
    std::size_t excluded = 0;
    for (std::size_t j = 0; j < p.pairs.size(); ++j) {
        if (upper[j] < p.min_transfer)
            ++excluded;
    }
    std::vector<double> fixed_upper = infinite;
    for (std::size_t j = 0; j < p.pairs.size(); ++j) {
        if (chosen[j])
            lower[j] = p.min_transfer;
        else
            fixed_upper[j] = 0.0;
    }
    // The binaries fixed at their optimum: the remaining LP gives the same objective and the duals.
    Solution s;
    try {
        s = solve_lp(p, lower, fixed_upper);
        s.status = mip.status + "; duals from " + s.status + " with the binaries fixed";
    } catch (const std::runtime_error& e) {
        // Only possible if CBC's solution sits at the edge of its tolerances: keep it, without
        // duals.
        s = Solution{};
        s.x = mip.x;
        s.objective = mip.objective;
        s.status =
            mip.status + "; no duals: the LP with the binaries fixed failed (" + e.what() + ")";
    }
    s.mip = true;
    s.time_limited = mip.time_limited;
    s.gap = mip.gap;
    s.pairs_excluded = excluded;
    return s;
}

} // namespace landquota::optimal
