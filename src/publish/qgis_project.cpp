#include "publish/qgis_project.hpp"

#include "io/write_checks.hpp"
#include "landquota/error.hpp"

#include "publish/xml_tree.hpp"

#include <cpl_conv.h>
#include <fmt/format.h>

namespace landquota {

namespace {

using namespace xml;

std::string wkt_of(const OGRSpatialReference& crs) {
    char* wkt = nullptr;
    const char* opts[] = {"FORMAT=WKT2_2018", nullptr};
    crs.exportToWkt(&wkt, opts);
    std::string out = wkt ? wkt : "";
    CPLFree(wkt);
    return out;
}

void spatialrefsys(Node parent, const OGRSpatialReference& crs) {
    Node s = element(parent, "spatialrefsys");
    text(s, "wkt", wkt_of(crs));
    const char* auth = crs.GetAuthorityName(nullptr);
    const char* code = crs.GetAuthorityCode(nullptr);
    if (auth && code)
        text(s, "authid", fmt::format("{}:{}", auth, code));
    text(s, "description", crs.GetName() ? crs.GetName() : "");
}

std::string layer_id(const StyledLayer& l) {
    return "landquota_" + l.style.layer;
}
std::string source(const std::string& gpkg_name, const StyledLayer& l) {
    return fmt::format("./{}|layername={}", gpkg_name, l.style.layer);
}

void layer_tree(Node root, const std::string& gpkg_name, const StoredStyles& s) {
    Node tree = element(root, "layer-tree-group");
    Node group = nullptr;
    std::string current;
    for (const auto& l : s.layers) {
        if (!group || l.style.group != current) {
            current = l.style.group;
            group = element(tree, "layer-tree-group");
            attr(group, "name", current);
            attr(group, "checked", "Qt::Checked");
            attr(group, "expanded", "1");
        }
        Node n = element(group, "layer-tree-layer");
        attr(n, "id", layer_id(l));
        attr(n, "name", l.style.title);
        attr(n, "source", source(gpkg_name, l));
        attr(n, "providerKey", "ogr");
        // The parcels are many and fine: off at first, so the county map opens quickly and clear.
        attr(n, "checked", l.style.layer == "parcels" ? "Qt::Unchecked" : "Qt::Checked");
        attr(n, "expanded", "0");
    }
}

void map_layers(Node root, const std::string& gpkg_name, const StoredStyles& s,
                const OGRSpatialReference& crs) {
    Node layers = element(root, "projectlayers");
    for (const auto& l : s.layers) {
        Node m = element(layers, "maplayer");
        attr(m, "type", "vector");
        attr(m, "geometry", l.style.geometry);
        attr(m, "labelsEnabled", l.style.label ? "1" : "0");
        text(m, "id", layer_id(l));
        text(m, "datasource", source(gpkg_name, l));
        text(m, "layername", l.style.title);
        spatialrefsys(element(m, "srs"), crs);
        attr(text(m, "provider", "ogr"), "encoding", "UTF-8");
        append_qml(m, l.style, l.fields);
    }
}

// What the map opens on: the county with a margin of 5 %, as the canvas extent and as the
// project's default view.
void view(Node root, const StoredStyles& s, const OGRSpatialReference& crs) {
    const double mx = (s.extent.MaxX - s.extent.MinX) * 0.05,
                 my = (s.extent.MaxY - s.extent.MinY) * 0.05;
    const std::string xmin = fmt::format("{:.2f}", s.extent.MinX - mx),
                      ymin = fmt::format("{:.2f}", s.extent.MinY - my),
                      xmax = fmt::format("{:.2f}", s.extent.MaxX + mx),
                      ymax = fmt::format("{:.2f}", s.extent.MaxY + my);
    Node c = element(root, "mapcanvas");
    attr(c, "name", "theMapCanvas");
    text(c, "units", "meters");
    Node e = element(c, "extent");
    text(e, "xmin", xmin);
    text(e, "ymin", ymin);
    text(e, "xmax", xmax);
    text(e, "ymax", ymax);
    spatialrefsys(element(c, "destinationsrs"), crs);

    Node v = element(root, "ProjectViewSettings");
    attr(v, "UseProjectScales", "0");
    attr(v, "rotation", "0");
    Node d = element(v, "DefaultViewExtent");
    attr(d, "xmin", xmin);
    attr(d, "ymin", ymin);
    attr(d, "xmax", xmax);
    attr(d, "ymax", ymax);
    spatialrefsys(d, crs);
}

} // namespace

void write_qgis_project(const std::filesystem::path& qgz, const std::string& gpkg_name,
                        const StoredStyles& layers, const OGRSpatialReference& crs,
                        const std::string& title) {
    const xml::Document tree = xml::document("qgis");
    xml::Node root = tree.get();
    attr(root, "version", "3.22.16");
    attr(root, "projectname", title);
    text(root, "title", title);
    spatialrefsys(element(root, "projectCrs"), crs);
    layer_tree(root, gpkg_name, layers);
    view(root, layers, crs);
    map_layers(root, gpkg_name, layers, crs);
    Node paths = element(element(root, "properties"), "Paths");
    attr(text(paths, "Absolute", "false"), "type", "bool");

    const std::string qgs =
        xml::serialize(tree, "<!DOCTYPE qgis PUBLIC 'http://mrcc.com/qgis.dtd' 'SYSTEM'>\n");
    // A .qgz is a zip holding the .qgs; GDAL's zip writer makes it.
    void* zip = CPLCreateZip(qgz.string().c_str(), nullptr);
    bool written = zip && CPLCreateFileInZip(zip, "project.qgs", nullptr) == CE_None &&
                   CPLWriteFileInZip(zip, qgs.data(), static_cast<int>(qgs.size())) == CE_None &&
                   CPLCloseFileInZip(zip) == CE_None;
    if (zip && CPLCloseZip(zip) != CE_None)
        written = false;
    if (!written)
        throw Error(Stage::Publish, write_failure(qgz, CPLGetLastErrorMsg()));
}

} // namespace landquota
