#pragma once

#include <string>
#include <vector>

namespace landquota {

// Levenshtein distance, for "did you mean" suggestions.
std::size_t edit_distance(const std::string& a, const std::string& b);

// The closest candidate to `word` if it is close enough to be a likely misspelling, else "".
std::string closest_match(const std::string& word, const std::vector<std::string>& candidates);

// " (did you mean 'x'?)" or "", ready to append to a message.
std::string did_you_mean(const std::string& word, const std::vector<std::string>& candidates);

// "a, b, c" for messages that list what exists.
std::string join(const std::vector<std::string>& items, const std::string& sep = ", ");

} // namespace landquota
