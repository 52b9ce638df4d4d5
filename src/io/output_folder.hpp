#pragma once

#include <filesystem>
#include <vector>

namespace landquota {

// An output folder written atomically: everything goes to a hidden temporary sibling, which is
// renamed over the destination only by commit(). Destroyed without commit (an error, an
// exception), the temporary folder and the parents it created are removed and the destination is
// untouched.
//
// commit() is put_in_place() then discard_old(); a caller with a second record to commit (the
// ledger) commits it in between, and calls put_back() if that fails, so that neither is changed
// without the other.
class OutputFolder {
  public:
    explicit OutputFolder(std::filesystem::path destination);
    ~OutputFolder();
    OutputFolder(const OutputFolder&) = delete;
    OutputFolder& operator=(const OutputFolder&) = delete;

    const std::filesystem::path& path() const { return tmp_; } // where to write now
    const std::filesystem::path& destination() const { return dest_; }
    void commit();

    // The new output at the destination; a previous one kept aside until discard_old().
    void put_in_place();
    // Undoes put_in_place(): the previous output (or none) at the destination again, the new one
    // back in the temporary folder, removed with this object.
    void put_back();
    // Removes the previous output kept aside; the commit is then final.
    void discard_old();

    // A folder holding a manifest.json written by landquota.
    static bool is_landquota_output(const std::filesystem::path& dir);

  private:
    void remove_stale_siblings() const;
    void remove_created_parents() const;

    std::filesystem::path dest_, tmp_;
    std::vector<std::filesystem::path> created_; // parents this run created, innermost first
    std::filesystem::path old_;                  // the previous output while kept aside, else empty
    bool exchanged_ = false; // old_ got there by an atomic exchange (old_ == tmp_)
    bool placed_ = false;    // put in place, not yet put back
    bool committed_ = false;
};

} // namespace landquota
