// tables.xlsx: every table of publish/tables.hpp as a sheet (publish/workbook.cpp), for a
// spreadsheet.
#include "publish/tables.hpp"

namespace landquota {

namespace {

class TablesXlsxWriter final : public Writer {
  public:
    explicit TablesXlsxWriter(const WriterContext& c) : file_(c.folder / "tables.xlsx") {}
    void finish(const RunResults& r) override { write_workbook(file_, run_tables(r)); }

  private:
    std::filesystem::path file_;
};

} // namespace

std::unique_ptr<Writer> make_tables_xlsx_writer(const WriterContext& c) {
    return std::make_unique<TablesXlsxWriter>(c);
}

} // namespace landquota
