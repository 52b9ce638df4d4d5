#include "io/csv_writer.hpp"

#include "io/write_checks.hpp"
#include "landquota/error.hpp"

#include <cerrno>
#include <cstring>

namespace landquota {

CsvWriter::CsvWriter(const std::filesystem::path& file)
    : file_(file), out_(file, std::ios::binary) {
    if (!out_)
        throw Error(Stage::Publish, write_failure(file, std::strerror(errno)));
    out_ << "\xEF\xBB\xBF";
}

void CsvWriter::row(const std::vector<std::string>& cells) {
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (i)
            out_ << ',';
        const std::string& c = cells[i];
        if (c.find_first_of(",\"\r\n") == std::string::npos) {
            out_ << c;
            continue;
        }
        out_ << '"';
        for (char ch : c)
            out_ << (ch == '"' ? "\"\"" : std::string(1, ch));
        out_ << '"';
    }
    out_ << "\r\n";
}

void CsvWriter::close() {
    out_.close();
    if (!out_)
        throw Error(Stage::Publish, write_failure(file_, std::strerror(errno)));
}

} // namespace landquota
