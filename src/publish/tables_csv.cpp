// tables/<table>.csv: every table of publish/tables.hpp, exact figures as text (RFC 4180, UTF-8
// with a byte-order mark).
#include "io/csv_writer.hpp"
#include "publish/tables.hpp"

namespace landquota {

namespace {

class TablesCsvWriter final : public Writer {
  public:
    explicit TablesCsvWriter(const WriterContext& c) : dir_(c.folder / "tables") {
        std::filesystem::create_directories(dir_);
    }

    void finish(const RunResults& r) override {
        for (const Table& t : run_tables(r)) {
            CsvWriter csv(dir_ / (t.name + ".csv"));
            std::vector<std::string> cells;
            for (const auto& c : t.columns)
                cells.push_back(c.key);
            csv.row(cells);
            for (const auto& row : t.rows) {
                cells.clear();
                for (std::size_t i = 0; i < row.size(); ++i)
                    cells.push_back(cell_text(row[i], t.columns[i].unit));
                csv.row(cells);
            }
            csv.close();
        }
    }

  private:
    std::filesystem::path dir_;
};

} // namespace

std::unique_ptr<Writer> make_tables_csv_writer(const WriterContext& c) {
    return std::make_unique<TablesCsvWriter>(c);
}

} // namespace landquota
