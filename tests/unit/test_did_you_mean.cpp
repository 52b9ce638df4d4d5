// Did-you-mean suggestions: optimal string alignment, transpositions weighed as the commonest
// typing slip.
#include "core/did_you_mean.hpp"

#include <catch2/catch.hpp>

using namespace landquota;

TEST_CASE("edit distance counts a transposition of adjacent letters as one edit") {
    CHECK(edit_distance("DLMB", "DLBM") == 1); // Levenshtein would say 2
    CHECK(edit_distance("DLMB", "DLMC") == 1);
    CHECK(edit_distance("abc", "abc") == 0);
    CHECK(edit_distance("ABC", "abc") == 0); // case does not count
    CHECK(edit_distance("", "abc") == 3);
    CHECK(edit_distance("kitten", "sitting") == 3);
    CHECK(edit_distance("ca", "abc") == 3); // OSA: no edit of a transposed pair
}

TEST_CASE("the did-you-mean for a field prefers a transposition to a substitution") {
    // The survey's fields, in the order a layer lists them.
    const std::vector<std::string> fields = {"BSM", "DLMC", "DLBM", "ZLDWDM", "ZLDWMC", "CZCSXM"};
    CHECK(closest_match("DLMB", fields) == "DLBM");
    CHECK(did_you_mean("DLMB", fields) == " (did you mean 'DLBM'?)");
    CHECK(closest_match("DLMC", fields) == "DLMC");
    CHECK(closest_match("ZLDWMD", fields) == "ZLDWDM"); // transposition beats ZLDWMC's substitution
    CHECK(closest_match("DLBN", fields) == "DLBM");
    CHECK(closest_match("XYZQRS", fields).empty()); // nothing close: no suggestion
    CHECK(did_you_mean("XYZQRS", fields).empty());
}
