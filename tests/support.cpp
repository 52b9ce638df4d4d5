#include "support.hpp"

#include "plugins/plugin_manager.hpp"
#include "run/run.hpp"

#include <array>
#include <cpl_string.h>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <random>
#include <sstream>
#include <stdexcept>
#include <sys/wait.h>
#include <unistd.h>

namespace landquota::test {

TempDir::TempDir() {
    std::random_device rd;
    path_ = fs::temp_directory_path() /
            ("landquota-test-" + std::to_string(rd()) + std::to_string(rd()));
    fs::create_directories(path_);
}

TempDir::~TempDir() {
    std::error_code ec;
    fs::remove_all(path_, ec);
}

void write_layer(const fs::path& file, const std::string& driver, const std::string& layer,
                 const std::string& crs, const std::vector<std::string>& fields,
                 const std::vector<Row>& rows, const std::vector<std::string>& layer_options) {
    init_gdal();
    GDALDatasetUniquePtr ds;
    if (fs::exists(file) && driver == "GPKG")
        ds.reset(GDALDataset::Open(file.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    else
        ds.reset(GetGDALDriverManager()
                     ->GetDriverByName(driver.c_str())
                     ->Create(file.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw std::runtime_error("cannot create " + file.string());
    OGRSpatialReference srs;
    OGRSpatialReference* psrs = nullptr;
    if (!crs.empty()) {
        srs.SetFromUserInput(crs.c_str());
        srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
        psrs = &srs;
    }
    CPLStringList lco;
    for (const auto& o : layer_options)
        lco.AddString(o.c_str());
    OGRLayer* l = ds->CreateLayer(layer.c_str(), psrs,
                                  driver == "ESRI Shapefile" ? wkbPolygon : wkbUnknown, lco.List());
    if (!l)
        throw std::runtime_error("cannot create layer " + layer + " in " + file.string());
    for (const auto& f : fields) {
        OGRFieldDefn d(f.c_str(), OFTString);
        l->CreateField(&d);
    }
    for (const auto& r : rows) {
        OGRFeature feat(l->GetLayerDefn());
        for (std::size_t i = 0; i < r.values.size(); ++i)
            if (!r.values[i].empty())
                feat.SetField(static_cast<int>(i), r.values[i].c_str());
        if (!r.wkt.empty()) {
            OGRGeometry* g = nullptr;
            OGRGeometryFactory::createFromWkt(r.wkt.c_str(), psrs, &g);
            feat.SetGeometryDirectly(g);
        }
        l->CreateFeature(&feat);
    }
}

std::string rect(double x0, double y0, double x1, double y1) {
    std::ostringstream s;
    s.precision(12);
    s << "POLYGON((" << x0 << " " << y0 << "," << x1 << " " << y0 << "," << x1 << " " << y1 << ","
      << x0 << " " << y1 << "," << x0 << " " << y0 << "))";
    return s.str();
}

CliResult run_cli(const std::string& args) {
    TempDir t;
    const std::string cmd = std::string(LANDQUOTA_BINARY) + " " + args + " >" +
                            (t / "out").string() + " 2>" + (t / "err").string();
    const int status = std::system(cmd.c_str());
    return CliResult{WIFEXITED(status) ? WEXITSTATUS(status) : -1, read_file(t / "out"),
                     read_file(t / "err")};
}

int spawn_cli(const std::vector<std::string>& args) {
    const pid_t child = fork();
    if (child == 0) {
        std::vector<char*> argv{const_cast<char*>(LANDQUOTA_BINARY)};
        for (const auto& a : args)
            argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        execv(LANDQUOTA_BINARY, argv.data());
        _exit(127);
    }
    return child;
}

std::string reproject_wkt(const std::string& wkt, const std::string& from, const std::string& to,
                          double segment) {
    init_gdal();
    OGRSpatialReference a, b;
    a.SetFromUserInput(from.c_str());
    b.SetFromUserInput(to.c_str());
    a.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    b.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(OGRCreateCoordinateTransformation(&a, &b));
    OGRGeometry* g = nullptr;
    OGRGeometryFactory::createFromWkt(wkt.c_str(), nullptr, &g);
    if (!g || !ct)
        throw std::runtime_error("cannot reproject " + wkt);
    g->segmentize(segment);
    g->transform(ct.get());
    char* text = nullptr;
    g->exportToWkt(&text, wkbVariantIso);
    std::string out = text;
    CPLFree(text);
    OGRGeometryFactory::destroyGeometry(g);
    return out;
}

std::string read_file(const fs::path& p) {
    std::ifstream in(p, std::ios::binary);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
}

void write_file(const fs::path& p, const std::string& text) {
    std::ofstream out(p, std::ios::binary);
    out << text;
}

fs::path source_dir() {
    return LANDQUOTA_SOURCE_DIR;
}

fs::path copy_wuyi_sample(const fs::path& dir, const std::string& ledger) {
    const fs::path sample = source_dir() / "sample_maps" / "wuyi";
    fs::copy_file(sample / "wuyi.gpkg", dir / "wuyi.gpkg");
    std::string job = read_file(sample / "job.toml");
    const std::string shared = "../../out/wuyi.ledger.sqlite";
    const auto at = job.find(shared);
    if (at == std::string::npos)
        throw std::runtime_error("the Wuyi sample's job names no ledger " + shared);
    job.replace(at, shared.size(), ledger);
    write_file(dir / "job.toml", job);
    return dir / "job.toml";
}

std::unique_ptr<AllocationStrategy>
make_allocation(const std::string& name, const std::map<std::string, OptionValue>& options) {
    auto& pm = PluginManager::instance();
    pm.load_all();
    const LoadedPlugin& p = pm.find("allocation", name);
    return p.allocation(pm.validate(p, options, "test"));
}

std::unique_ptr<CompensationModel>
make_compensation(const std::string& name, const std::map<std::string, OptionValue>& options) {
    auto& pm = PluginManager::instance();
    pm.load_all();
    const LoadedPlugin& p = pm.find("compensation", name);
    return p.compensation(pm.validate(p, options, "test"));
}

std::unique_ptr<Analysis> make_analysis(const std::string& name,
                                        const std::map<std::string, OptionValue>& options) {
    auto& pm = PluginManager::instance();
    pm.load_all();
    const LoadedPlugin& p = pm.find("analysis", name);
    return p.analysis(pm.validate(p, options, "test"));
}

} // namespace landquota::test
