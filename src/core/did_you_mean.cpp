#include "core/did_you_mean.hpp"

#include "core/translate.hpp"

#include <algorithm>
#include <cctype>

namespace landquota {

namespace {

bool same_letter(char x, char y) {
    return std::tolower(static_cast<unsigned char>(x)) ==
           std::tolower(static_cast<unsigned char>(y));
}

// Optimal string alignment with a cost for each kind of edit (full rows: a transposition looks
// two rows back).
std::size_t osa(const std::string& a, const std::string& b, std::size_t edit,
                std::size_t transposition) {
    const std::size_t n = a.size(), m = b.size();
    std::vector<std::vector<std::size_t>> d(n + 1, std::vector<std::size_t>(m + 1));
    for (std::size_t i = 0; i <= n; ++i)
        d[i][0] = i * edit;
    for (std::size_t j = 0; j <= m; ++j)
        d[0][j] = j * edit;
    for (std::size_t i = 1; i <= n; ++i)
        for (std::size_t j = 1; j <= m; ++j) {
            const bool same = same_letter(a[i - 1], b[j - 1]);
            d[i][j] = std::min(
                {d[i - 1][j] + edit, d[i][j - 1] + edit, d[i - 1][j - 1] + (same ? 0 : edit)});
            if (i > 1 && j > 1 && same_letter(a[i - 1], b[j - 2]) &&
                same_letter(a[i - 2], b[j - 1]) && !same)
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + transposition);
        }
    return d[n][m];
}

} // namespace

std::size_t edit_distance(const std::string& a, const std::string& b) {
    return osa(a, b, 1, 1);
}

std::string closest_match(const std::string& word, const std::vector<std::string>& candidates) {
    // In half edits: an insertion, deletion or substitution is 2, a transposition 1.
    std::string best;
    std::size_t best_d = std::string::npos;
    for (const auto& c : candidates) {
        const std::size_t d = osa(word, c, 2, 1);
        if (d < best_d) {
            best_d = d;
            best = c;
        }
    }
    // A third of the word's length, at least 2 edits, counts as a likely misspelling.
    const std::size_t limit = 2 * std::max<std::size_t>(2, word.size() / 3);
    return best_d <= limit ? best : std::string{};
}

std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates) {
    const std::string m = closest_match(word, candidates);
    return m.empty() ? std::string{} : trf(" (did you mean '{}'?)", m);
}

std::string join(const std::vector<std::string>& items, const std::string& sep) {
    std::string out;
    for (std::size_t i = 0; i < items.size(); ++i)
        out += (i ? sep : "") + items[i];
    return out;
}

} // namespace landquota
