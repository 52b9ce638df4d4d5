#include "io/output_folder.hpp"
#include "landquota/error.hpp"
#include "support.hpp"

#include <catch2/catch.hpp>

using namespace landquota;
using namespace landquota::test;

namespace {
std::string manifest(int run) {
    return "{\"engine\": {\"name\": \"landquota\"}, \"run\": " + std::to_string(run) + "}";
}
} // namespace

TEST_CASE("an output folder appears only on commit, and replaces the old one whole", "[publish]") {
    TempDir dir;
    const fs::path dest = dir / "out";
    {
        OutputFolder f(dest);
        write_file(f.path() / "manifest.json", manifest(1));
        CHECK_FALSE(fs::exists(dest));
        f.commit();
    }
    CHECK(read_file(dest / "manifest.json") == manifest(1));
    {
        OutputFolder f(dest);
        write_file(f.path() / "manifest.json", manifest(2));
        // Abandoned (an error): the old output stays, the temporary folder goes.
    }
    CHECK(read_file(dest / "manifest.json") == manifest(1));
    {
        OutputFolder f(dest);
        write_file(f.path() / "manifest.json", manifest(3));
        f.commit();
    }
    CHECK(read_file(dest / "manifest.json") == manifest(3));
    std::size_t entries = 0;
    for ([[maybe_unused]] const auto& e : fs::directory_iterator(dir.path()))
        ++entries;
    CHECK(entries == 1); // nothing but "out"
}

TEST_CASE("an old output moved aside by a killed run is put back", "[publish]") {
    TempDir dir;
    // What a run killed between "old aside" and "new in place" leaves (PID above pid_max: dead).
    fs::create_directories(dir / ".out.old-4194305");
    write_file(dir / ".out.old-4194305" / "manifest.json", manifest(1));
    OutputFolder f(dir / "out");
    CHECK(read_file(dir / "out" / "manifest.json") == manifest(1));
    CHECK_FALSE(fs::exists(dir / ".out.old-4194305"));
}

TEST_CASE("a folder that is not ours is refused, even with a manifest.json of its own",
          "[publish]") {
    TempDir dir;
    fs::create_directories(dir / "docs");
    write_file(dir / "docs" / "a.txt", "x");
    CHECK_THROWS_AS(OutputFolder(dir / "docs"), Error);
    fs::create_directories(dir / "webapp");
    write_file(dir / "webapp" / "manifest.json", "{\"name\": \"my web app\"}");
    write_file(dir / "webapp" / "index.html", "<html>");
    CHECK_THROWS_AS(OutputFolder(dir / "webapp"), Error);
    CHECK(read_file(dir / "webapp" / "index.html") == "<html>");
}

TEST_CASE("a failed run leaves no folder it created", "[publish]") {
    TempDir dir;
    { OutputFolder f(dir / "a" / "b" / "out"); } // never committed
    CHECK_FALSE(fs::exists(dir / "a"));
}

TEST_CASE("an output folder that cannot be made leaves no parent it created", "[publish]") {
    TempDir dir;
    // A name of 250 bytes is a valid folder, but its hidden ".NAME.tmp-PID" sibling is longer
    // than a file name may be: the parents are made, then the temporary folder fails.
    const fs::path dest = dir / "new" / "x" / std::string(250, 'o');
    CHECK_THROWS(OutputFolder(dest));
    CHECK_FALSE(fs::exists(dir / "new"));
    CHECK(fs::is_empty(dir.path()));
}
