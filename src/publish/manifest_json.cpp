// manifest.json: the run's provenance (pipeline/manifest.hpp) as JSON.
#include "io/write_checks.hpp"
#include "landquota/error.hpp"
#include "publish/writer.hpp"

#include <cerrno>
#include <cstring>
#include <fstream>

namespace landquota {

namespace {

class ManifestJsonWriter final : public Writer {
  public:
    explicit ManifestJsonWriter(const WriterContext& c) : file_(c.folder / "manifest.json") {}

    void finish(const RunResults& r) override {
        std::ofstream m(file_, std::ios::binary);
        m << r.manifest.to_json().dump(2) << "\n";
        m.close(); // the last buffer is written here: a full disk shows only now
        if (!m)
            throw Error(Stage::Publish, write_failure(file_, std::strerror(errno)));
    }

  private:
    std::filesystem::path file_;
};

} // namespace

std::unique_ptr<Writer> make_manifest_json_writer(const WriterContext& c) {
    return std::make_unique<ManifestJsonWriter>(c);
}

} // namespace landquota
