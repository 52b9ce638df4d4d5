#pragma once

#include <string>
#include <vector>

namespace landquota {

// Optimal-string-alignment distance (Damerau–Levenshtein without repeated edits of one
// substring), case-insensitive: insertions, deletions, substitutions and transpositions of two
// adjacent letters each count one edit.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The closest candidate to `word` if it is close enough to be a likely misspelling, else "".
// A transposition weighs half an edit: swapping two keys is the commonest slip and keeps every
// letter, so `DLMB` is taken for `DLBM` rather than `DLMC`.
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "", ready to append to a message.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c" for messages that list what exists.
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

} // namespace landquota
