#pragma once

// Building XML documents (QML, SLD, the QGIS project) with GDAL's CPL XML tree, which escapes
// names and values taken from the data.
#include <cpl_conv.h>
#include <cpl_minixml.h>
#include <memory>
#include <string>

namespace landquota::xml {

using Node = CPLXMLNode*;
using Document = std::unique_ptr<CPLXMLNode, decltype(&CPLDestroyXMLNode)>;

inline Document document(const char* root) {
    return Document(CPLCreateXMLNode(nullptr, CXT_Element, root), &CPLDestroyXMLNode);
}
inline Node element(Node parent, const char* name) {
    return CPLCreateXMLNode(parent, CXT_Element, name);
}
// An element holding text: <name>value</name>.
inline Node text(Node parent, const char* name, const std::string& value) {
    return CPLCreateXMLElementAndValue(parent, name, value.c_str());
}
inline void attr(Node n, const char* name, const std::string& value) {
    CPLAddXMLAttributeAndValue(n, name, value.c_str());
}
// The tree as text, after `prolog` (a DOCTYPE or XML declaration).
inline std::string serialize(const Document& doc, const std::string& prolog) {
    char* s = CPLSerializeXMLTree(doc.get());
    std::string out = prolog + s;
    CPLFree(s);
    return out;
}

} // namespace landquota::xml
