#pragma once

#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

namespace landquota {

// RFC 4180 CSV in UTF-8 with a byte-order mark (so spreadsheet programs show Chinese names
// correctly), CRLF line ends, fields quoted only when they need it.
class CsvWriter {
  public:
    explicit CsvWriter(const std::filesystem::path& file);
    void row(const std::vector<std::string>& cells);
    void close();

  private:
    std::filesystem::path file_;
    std::ofstream out_;
};

} // namespace landquota
