#include "publish/gpkg_styles.hpp"

#include "io/write_checks.hpp"
#include "landquota/error.hpp"
#include "publish/field_names.hpp"
#include "publish/sld.hpp"

#include <algorithm>
#include <fmt/format.h>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>

namespace landquota {

namespace {

[[noreturn]] void fail(const std::filesystem::path& gpkg, const std::string& what) {
    throw Error(Stage::Publish,
                write_failure(gpkg, fmt::format("{}: {}", what, CPLGetLastErrorMsg())));
}

// The table QGIS creates for styles in a GeoPackage (QgsOgrProviderUtils), so QGIS finds its
// layers' default styles without a plugin.
OGRLayer* create_layer_styles(GDALDataset& ds, const std::filesystem::path& gpkg) {
    CPLStringList opts;
    opts.SetNameValue("FID", "id");
    OGRLayer* l = ds.CreateLayer("layer_styles", nullptr, wkbNone, opts.List());
    if (!l)
        fail(gpkg, "layer_styles");
    const std::pair<const char*, OGRFieldType> fields[] = {{"f_table_catalog", OFTString},
                                                           {"f_table_schema", OFTString},
                                                           {"f_table_name", OFTString},
                                                           {"f_geometry_column", OFTString},
                                                           {"styleName", OFTString},
                                                           {"styleQML", OFTString},
                                                           {"styleSLD", OFTString},
                                                           {"useAsDefault", OFTInteger},
                                                           {"description", OFTString},
                                                           {"owner", OFTString},
                                                           {"ui", OFTString},
                                                           {"update_time", OFTDateTime}};
    for (const auto& [name, type] : fields) {
        OGRFieldDefn d(name, type);
        if (type == OFTInteger)
            d.SetSubType(OFSTBoolean);
        if (l->CreateField(&d) != OGRERR_NONE)
            fail(gpkg, std::string("layer_styles.") + name);
    }
    return l;
}

void sql(GDALDataset& ds, const std::filesystem::path& gpkg, const std::string& statement) {
    CPLErrorReset();
    ds.ExecuteSQL(statement.c_str(), nullptr, nullptr);
    if (CPLGetLastErrorType() >= CE_Failure)
        fail(gpkg, "gpkg_data_columns");
}

std::string quoted(const std::string& s) {
    std::string out = "'";
    for (char c : s)
        out += c == '\'' ? std::string("''") : std::string(1, c);
    return out + "'";
}

// GeoPackage 1.3, schema extension (F.9): the aliases as each column's name and title.
void store_data_columns(GDALDataset& ds, const std::filesystem::path& gpkg,
                        const std::vector<StyledLayer>& layers) {
    sql(ds, gpkg,
        "CREATE TABLE IF NOT EXISTS gpkg_data_columns (table_name TEXT NOT NULL, column_name "
        "TEXT NOT NULL, name TEXT, title TEXT, description TEXT, mime_type TEXT, "
        "constraint_name TEXT, CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name), "
        "CONSTRAINT gdc_tn UNIQUE (table_name, name))");
    sql(ds, gpkg,
        "CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (constraint_name TEXT NOT NULL, "
        "constraint_type TEXT NOT NULL, value TEXT, min NUMERIC, min_is_inclusive BOOLEAN, max "
        "NUMERIC, max_is_inclusive BOOLEAN, description TEXT, CONSTRAINT gdcc_ntv UNIQUE "
        "(constraint_name, constraint_type, value))");
    for (const char* table : {"gpkg_data_columns", "gpkg_data_column_constraints"})
        sql(ds, gpkg,
            fmt::format("INSERT INTO gpkg_extensions (table_name, column_name, extension_name, "
                        "definition, scope) VALUES ('{}', NULL, 'gpkg_schema', "
                        "'http://www.geopackage.org/spec/#extension_schema', 'read-write')",
                        table));
    for (const auto& l : layers)
        for (const auto& f : l.fields)
            sql(ds, gpkg,
                fmt::format("INSERT INTO gpkg_data_columns (table_name, column_name, name, title) "
                            "VALUES ({}, {}, {}, {})",
                            quoted(l.style.layer), quoted(f.name), quoted(f.alias),
                            quoted(f.alias)));
}

} // namespace

StoredStyles store_styles(const std::filesystem::path& gpkg, const std::vector<LayerStyle>& styles,
                          const std::vector<Table>& tables) {
    GDALDatasetUniquePtr ds(
        GDALDataset::Open(gpkg.string().c_str(), GDAL_OF_VECTOR | GDAL_OF_UPDATE));
    if (!ds)
        fail(gpkg, "the map styles");
    StoredStyles out;
    std::vector<std::string> geometry_columns;
    for (const auto& style : styles) {
        OGRLayer* layer = ds->GetLayerByName(style.layer.c_str());
        if (!layer)
            continue;
        StyledLayer s{style, {}};
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const std::string name = defn->GetFieldDefn(i)->GetNameRef();
            const auto own = style.field_aliases.find(name);
            s.fields.push_back(
                {name, own != style.field_aliases.end() ? own->second : field_zh(name)});
        }
        if (style.layer == "villages" && layer->GetExtent(&out.extent, TRUE) != OGRERR_NONE)
            fail(gpkg, "the villages' extent");
        geometry_columns.push_back(layer->GetGeometryColumn());
        out.layers.push_back(std::move(s));
    }

    if (ds->StartTransaction() != OGRERR_NONE)
        fail(gpkg, "the map styles");
    OGRLayer* table = create_layer_styles(*ds, gpkg);
    for (std::size_t i = 0; i < out.layers.size(); ++i) {
        const StyledLayer& l = out.layers[i];
        OGRFeature f(table->GetLayerDefn());
        f.SetField("f_table_catalog", "");
        f.SetField("f_table_schema", "");
        f.SetField("f_table_name", l.style.layer.c_str());
        f.SetField("f_geometry_column", geometry_columns[i].c_str());
        f.SetField("styleName", l.style.layer.c_str());
        f.SetField("styleQML", to_qml(l.style, l.fields).c_str());
        f.SetField("styleSLD", to_sld(l.style).c_str());
        f.SetField("useAsDefault", 1);
        f.SetField("description", l.style.description.c_str());
        f.SetField("owner", "landquota");
        if (table->CreateFeature(&f) != OGRERR_NONE)
            fail(gpkg, "the style of layer '" + l.style.layer + "'");
    }
    // The attribute tables' aliases, as the styled layers' (they have no style: no geometry).
    std::vector<StyledLayer> aliased = out.layers;
    for (const Table& t : tables) {
        OGRLayer* layer = ds->GetLayerByName(t.name.c_str());
        if (!layer)
            continue;
        StyledLayer s{LayerStyle{}, {}};
        s.style.layer = t.name;
        OGRFeatureDefn* defn = layer->GetLayerDefn();
        for (int i = 0; i < defn->GetFieldCount(); ++i) {
            const std::string name = defn->GetFieldDefn(i)->GetNameRef();
            const auto c = std::find_if(t.columns.begin(), t.columns.end(),
                                        [&](const Column& col) { return col.key == name; });
            s.fields.push_back({name, c != t.columns.end() ? c->zh : field_zh(name)});
        }
        aliased.push_back(std::move(s));
    }
    store_data_columns(*ds, gpkg, aliased);
    if (ds->CommitTransaction() != OGRERR_NONE)
        fail(gpkg, "the map styles");
    close_checked(ds, gpkg, Stage::Publish);
    return out;
}

} // namespace landquota
