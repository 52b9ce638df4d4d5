#pragma once

#include <filesystem>
#include <vector>

namespace landquota {

// An output folder written atomically: everything goes to a hidden temporary sibling, which is
// renamed over the destination only by commit(). Destroyed without commit (an error, an
// exception), the temporary folder is removed and the destination is untouched.
class OutputFolder {
  public:
    explicit OutputFolder(std::filesystem::path destination);
    ~OutputFolder();
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    const std::filesystem::path& path() const { return tmp_; } // where to write now
    const std::filesystem::path& destination() const { return dest_; }
    void commit();

    // A folder holding a manifest.json written by landquota.
    static bool is_landquota_output(const std::filesystem::path& dir);

  private:
    void remove_stale_siblings() const;

    std::filesystem::path dest_, tmp_;
    std::vector<std::filesystem::path> created_; // parents this run created, innermost first
    bool committed_ = false;
};

} // namespace landquota
