#include "io/layer_reader.hpp"

#include "core/did_you_mean.hpp"
#include "core/translate.hpp"
#include "io/shapefile_parts.hpp"
#include "io/text_encoding.hpp"
#include "landquota/error.hpp"

#include <cerrno>
#include <cpl_error.h>
#include <cpl_string.h>
#include <cstring>
#include <filesystem>
#include <fmt/format.h>
#include <iconv.h>
#include <string_view>
#include <unistd.h>

namespace landquota {

namespace {
// Captures the last GDAL error message for our own error text, without GDAL printing it.
class QuietGdalErrors {
  public:
    QuietGdalErrors() {
        CPLPushErrorHandler(CPLQuietErrorHandler);
        CPLErrorReset();
    }
    ~QuietGdalErrors() { CPLPopErrorHandler(); }
    static std::string last() {
        const char* m = CPLGetLastErrorMsg();
        return m && *m ? m : tr("GDAL could not open it");
    }
};
} // namespace

LayerReader::LayerReader(const LayerSource& source, FieldRequest request)
    : source_(source), fields_(std::move(request.fields)), keys_(std::move(request.keys)) {
    const std::vector<std::string>& field_keys = keys_;
    CPLStringList open_options;
    if (!source_.encoding.empty()) {
        // A name no converter knows would be ignored by every driver but the Shapefile's, and
        // the text read unconverted: refuse it, whatever the source.
        const iconv_t cd = ::iconv_open("UTF-8", source_.encoding.c_str());
        if (cd == reinterpret_cast<iconv_t>(-1))
            throw Error(Stage::Ingest,
                        trf("{}: '{}.encoding' = \"{}\" is not an encoding this system "
                            "can read (e.g. \"GBK\", \"GB18030\", \"UTF-8\")",
                            source_.path, source_.table, source_.encoding));
        ::iconv_close(cd);
        // The Shapefile driver takes the code page as an open option; others ignore it, so
        // only pass it where it is understood.
        GDALDriverH drv = GDALIdentifyDriver(source_.path.c_str(), nullptr);
        if (drv && std::string(GDALGetDriverShortName(drv)) == "ESRI Shapefile")
            open_options.SetNameValue("ENCODING", source_.encoding.c_str());
    }
    {
        QuietGdalErrors quiet;
        ds_.reset(GDALDataset::Open(source_.path.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY,
                                    nullptr, open_options.List(), nullptr));
        if (!ds_) {
            // GDAL says "not recognized" for a file it may not read: name the real cause.
            if (std::filesystem::exists(source_.path) && ::access(source_.path.c_str(), R_OK) != 0)
                throw Error(Stage::Ingest,
                            trf("{}: cannot be read ({}), from '{}.path'; give the user "
                                "running landquota read access to it",
                                source_.path, std::strerror(errno), source_.table));
            throw Error(Stage::Ingest, trf("{}: cannot open ({}), from '{}.path'", source_.path,
                                           QuietGdalErrors::last(), source_.table));
        }
    }
    std::vector<std::string> layer_names;
    for (auto* l : ds_->GetLayers())
        layer_names.emplace_back(l->GetName());
    if (source_.layer.empty()) {
        if (layer_names.size() != 1)
            throw Error(Stage::Ingest,
                        trf("{}: has {} layers ({}); name one with '{}.layer'", source_.path,
                            layer_names.size(), join(layer_names), source_.table));
        layer_ = ds_->GetLayer(0);
    } else {
        layer_ = ds_->GetLayerByName(source_.layer.c_str());
        if (!layer_)
            throw Error(Stage::Ingest,
                        trf("{}: no layer '{}' (from '{}.layer'){}; layers: {}", source_.path,
                            source_.layer, source_.table, did_you_mean(source_.layer, layer_names),
                            join(layer_names)));
    }
    layer_name_ = layer_->GetName();

    OGRFeatureDefn* defn = layer_->GetLayerDefn();
    std::vector<std::string> names;
    for (int i = 0; i < defn->GetFieldCount(); ++i)
        names.emplace_back(defn->GetFieldDefn(i)->GetNameRef());
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (fields_[i].empty()) {
            field_index_.push_back(-1);
            continue;
        }
        const int idx = defn->GetFieldIndex(fields_[i].c_str());
        if (idx < 0)
            throw Error(Stage::Ingest, trf("{}, layer '{}': missing field '{}' (from '{}.{}'){}; "
                                           "fields: {}",
                                           source_.path, layer_name_, fields_[i], source_.table,
                                           i < field_keys.size() ? field_keys[i] : "?",
                                           did_you_mean(fields_[i], names), join(names)));
        field_index_.push_back(idx);
    }
    for (int idx : field_index_)
        text_field_.push_back(idx >= 0 && defn->GetFieldDefn(idx)->GetType() == OFTString);
    if (defn->GetGeomFieldCount() == 0)
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}': has no geometry", source_.path, layer_name_));
    refuse_text_in_numeric_columns(field_keys);

    const std::string driver = ds_->GetDriver() ? ds_->GetDriver()->GetDescription() : "";
    if (driver == "ESRI Shapefile") {
        namespace fs = std::filesystem;
        fs::path shp = fs::is_directory(source_.path)
                           ? fs::path(source_.path) / (layer_name_ + ".shp")
                           : fs::path(source_.path);
        if (fs::exists(shp))
            check_shapefile_parts(shp, layer_name_);
        fs::path cpg = shp, cpg_upper = shp;
        cpg.replace_extension(".cpg");
        cpg_upper.replace_extension(".CPG");
        gbk_suspect_ = source_.encoding.empty() && !fs::exists(cpg) && !fs::exists(cpg_upper);
    }
    // Only a count the driver knows without reading (GeoPackage, Shapefile, GeoJSON in memory):
    // reading is what is being checked.
    declared_count_ = layer_->GetFeatureCount(FALSE);
}

// SQLite stores any value in any column, and GDAL reads text in a REAL or INTEGER column of a
// GeoPackage as 0 without a word: a site's demand of "abc" became 0. Such values are found with
// SQLite's typeof() before the first feature is read. (A fraction in an INTEGER column would be
// truncated the same way.)
void LayerReader::refuse_text_in_numeric_columns(const std::vector<std::string>& field_keys) {
    const std::string driver = ds_->GetDriver() ? ds_->GetDriver()->GetDescription() : "";
    if (driver != "GPKG" && driver != "SQLite")
        return;
    const std::string fid = layer_->GetFIDColumn();
    if (fid.empty())
        return;
    auto quote = [](const std::string& name) {
        std::string q = "\"";
        for (char c : name)
            q += c == '"' ? std::string("\"\"") : std::string(1, c);
        return q + "\"";
    };
    OGRFeatureDefn* defn = layer_->GetLayerDefn();
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (field_index_[i] < 0)
            continue;
        const OGRFieldType type = defn->GetFieldDefn(field_index_[i])->GetType();
        if (type != OFTInteger && type != OFTInteger64 && type != OFTReal)
            continue;
        const std::string allowed = type == OFTReal ? "'integer', 'real'" : "'integer'";
        const std::string sql =
            fmt::format("SELECT {} AS bad_fid, CAST({} AS TEXT) AS bad_value FROM {} WHERE {} IS "
                        "NOT NULL AND typeof({}) NOT IN ({}) "
                        "LIMIT 1",
                        quote(fid), quote(fields_[i]), quote(layer_name_), quote(fields_[i]),
                        quote(fields_[i]), allowed);
        OGRLayer* found = ds_->ExecuteSQL(sql.c_str(), nullptr, nullptr);
        if (!found)
            continue; // a view or virtual table: nothing to ask
        OGRFeatureUniquePtr f(found->GetNextFeature());
        std::string value;
        GIntBig bad_fid = OGRNullFID;
        if (f) {
            // GDAL may take the FID column as the result's FID rather than as a field.
            const int i_fid = f->GetFieldIndex("bad_fid");
            bad_fid = i_fid >= 0 ? f->GetFieldAsInteger64(i_fid) : f->GetFID();
            value = f->GetFieldAsString(f->GetFieldIndex("bad_value"));
        }
        ds_->ReleaseResultSet(found);
        if (bad_fid == OGRNullFID)
            continue;
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}', FID {}, field '{}' (from '{}.{}'): holds '{}', "
                        "which is not {} (GDAL would read it as 0). Correct the value, or "
                        "leave it empty where the value is not known",
                        source_.path, layer_name_, bad_fid, fields_[i], source_.table,
                        i < field_keys.size() ? field_keys[i] : "?", value,
                        type == OFTReal ? tr("a number") : tr("a whole number")));
    }
}

LayerReader::~LayerReader() = default;

const OGRSpatialReference* LayerReader::crs() const {
    const OGRSpatialReference* s = layer_->GetSpatialRef();
    // GeoPackage's "Undefined cartesian/geographic SRS" entries come back as a local CRS: that
    // is no CRS at all for placing data on the Earth.
    // (GDAL 3.6 reports srs_id 0 as a geographic CRS named "Undefined geographic SRS".)
    if (!s || s->IsEmpty() || s->IsLocal() ||
        (s->GetName() && std::string_view(s->GetName()).starts_with("Undefined")))
        return nullptr;
    return s;
}

GIntBig LayerReader::feature_count() {
    return layer_->GetFeatureCount(TRUE);
}

std::optional<OGREnvelope> LayerReader::extent() {
    OGREnvelope env;
    if (layer_->GetExtent(&env, TRUE) != OGRERR_NONE)
        return std::nullopt;
    return env;
}

std::vector<std::pair<double, double>> LayerReader::extent_lon_lat() {
    const std::optional<OGREnvelope> found = extent();
    if (!found)
        throw Error(Stage::Ingest, trf("{}, layer '{}': cannot compute its extent (is it empty?)",
                                       source_.path, layer_name_));
    const OGREnvelope& env = *found;
    OGRSpatialReference src(*crs());
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRSpatialReference> geog(src.CloneGeogCS());
    geog->SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> ct(
        OGRCreateCoordinateTransformation(&src, geog.get()));
    std::vector<std::pair<double, double>> out{
        {env.MinX, env.MinY},
        {env.MaxX, env.MinY},
        {env.MaxX, env.MaxY},
        {env.MinX, env.MaxY},
        {0.5 * (env.MinX + env.MaxX), 0.5 * (env.MinY + env.MaxY)}};
    for (auto& [x, y] : out)
        if (!ct || !ct->Transform(1, &x, &y))
            throw Error(Stage::Ingest,
                        trf("{}, layer '{}': cannot place the layer's extent on the Earth "
                            "(are its coordinates in the units of its CRS?)",
                            source_.path, layer_name_));
    return out;
}

void LayerReader::centre_lon_lat(double& lon, double& lat) {
    const auto points = extent_lon_lat();
    lon = points.back().first;
    lat = points.back().second;
}

void LayerReader::set_working_crs(const OGRSpatialReference& working) {
    const OGRSpatialReference* from = crs();
    if (!from)
        throw Error(Stage::Ingest, trf("{}, layer '{}': has no CRS (a .prj file or a declared "
                                       "SRS is needed to place it)",
                                       source_.path, layer_name_));
    OGRSpatialReference src(*from);
    src.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    if (src.IsSame(&working)) {
        transform_.reset();
        return;
    }
    transform_.reset(OGRCreateCoordinateTransformation(&src, &working));
    if (!transform_)
        throw Error(Stage::Ingest,
                    trf("{}, layer '{}': cannot transform its CRS to the working CRS", source_.path,
                        layer_name_));
}

[[noreturn]] void LayerReader::stop_reading(const std::string& why) const {
    const std::string last = last_good_fid_ == OGRNullFID
                                 ? std::string(tr("before the first feature"))
                                 : trf("after FID {}, the last good feature", last_good_fid_);
    throw Error(Stage::Ingest,
                trf("{}, layer '{}': reading stopped {} ({} features read{}): {}. The "
                    "file is damaged or incomplete: restore it from a copy or export the "
                    "layer again; nothing was computed from it",
                    source_.path, layer_name_, last, read_count_,
                    declared_count_ >= 0 ? trf(" of {}", declared_count_) : "", why));
}

// The driver's count against what was read, so that a reader that stops early without a word
// (a page it skips) cannot pass for the end of the layer.
void LayerReader::check_complete() {
    if (declared_count_ < 0 || read_count_ == declared_count_)
        return;
    // The cheap count may be a stale cache (GeoPackage's gpkg_ogr_contents): ask for a real one.
    CPLErrorReset();
    const GIntBig counted = layer_->GetFeatureCount(TRUE);
    if (CPLGetLastErrorType() >= CE_Failure)
        stop_reading(CPLGetLastErrorMsg());
    if (counted != read_count_)
        stop_reading(
            trf("the layer holds {} features but only {} could be read", counted, read_count_));
    declared_count_ = counted;
}

void LayerReader::check_text(const SourceFeature& f) const {
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        if (!text_field_[i] || f.values[i].empty())
            continue;
        const std::string& v = f.values[i];
        const bool bad = !is_utf8(v);
        if (!bad && !(gbk_suspect_ && looks_like_gbk_read_as_latin1(v)))
            continue;
        const std::string where = fmt::format("{}, layer '{}', FID {}, field '{}' (from '{}.{}')",
                                              source_.path, layer_name_, f.fid, fields_[i],
                                              source_.table, i < keys_.size() ? keys_[i] : "?");
        if (gbk_suspect_)
            throw Error(
                Stage::Ingest,
                trf("{}: the text {} and the Shapefile has no .cpg file naming "
                    "its code page. If it was made in China it is most likely "
                    "GBK: add encoding = \"GBK\" to [{}] in the job (or put a "
                    ".cpg file holding GBK beside the .shp)",
                    where,
                    bad ? tr("is not UTF-8") : tr("looks like GBK read with the wrong code page"),
                    source_.table));
        throw Error(Stage::Ingest,
                    trf("{}: the text is not UTF-8{}. Save the layer again with UTF-8 "
                        "text",
                        where,
                        source_.encoding.empty()
                            ? ""
                            : trf(" (read with encoding '{}' from '{}.encoding')", source_.encoding,
                                  source_.table)));
    }
}

bool LayerReader::next(SourceFeature& out) {
    // GetNextFeature may log an error and return nothing, as if the layer had ended.
    CPLErrorReset();
    OGRFeatureUniquePtr f(layer_->GetNextFeature());
    if (CPLGetLastErrorType() >= CE_Failure)
        stop_reading(CPLGetLastErrorMsg());
    if (!f) {
        check_complete();
        return false;
    }
    out.fid = f->GetFID();
    out.values.assign(fields_.size(), std::string{});
    for (std::size_t i = 0; i < fields_.size(); ++i) {
        const int idx = field_index_[i];
        if (idx >= 0 && f->IsFieldSetAndNotNull(idx))
            out.values[i] = f->GetFieldAsString(idx);
    }
    check_text(out);
    out.geometry.reset(f->StealGeometry());
    if (out.geometry && out.geometry->hasCurveGeometry())
        out.geometry.reset(out.geometry->getLinearGeometry()); // arcs (FileGDB, CAD) to segments
    if (out.geometry)
        out.geometry->flattenTo2D(); // survey heights play no part in areas
    if (out.geometry && transform_ && !out.geometry->IsEmpty()) {
        if (out.geometry->transform(transform_.get()) != OGRERR_NONE)
            throw Error(Stage::Ingest,
                        trf("{}, layer '{}', FID {}: cannot reproject the geometry "
                            "to the working CRS ({})",
                            source_.path, layer_name_, out.fid, CPLGetLastErrorMsg()));
    }
    ++read_count_;
    last_good_fid_ = out.fid;
    return true;
}

void LayerReader::rewind() {
    layer_->ResetReading();
    read_count_ = 0;
    last_good_fid_ = OGRNullFID;
}

std::vector<std::string> LayerReader::files() const {
    std::vector<std::string> out;
    char** list = ds_->GetFileList();
    for (char** p = list; p && *p; ++p)
        out.emplace_back(*p);
    CSLDestroy(list);
    return out;
}

} // namespace landquota
