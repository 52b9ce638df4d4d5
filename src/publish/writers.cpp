#include "publish/writer.hpp"

namespace landquota {

#define LANDQUOTA_WRITER(name) std::unique_ptr<Writer> make_##name##_writer(const WriterContext&);
#include "publish/writers.def"
#undef LANDQUOTA_WRITER

std::vector<std::unique_ptr<Writer>> make_writers(const WriterContext& context) {
    std::vector<std::unique_ptr<Writer>> out;
#define LANDQUOTA_WRITER(name) out.push_back(make_##name##_writer(context));
#include "publish/writers.def"
#undef LANDQUOTA_WRITER
    return out;
}

} // namespace landquota
