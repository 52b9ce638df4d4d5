#pragma once

// Text that is not what it claims: attribute values must reach the engine as UTF-8. A Shapefile
// made by Chinese desktop GIS without a .cpg holds GBK bytes; GDAL passes them on unchanged (no
// code page known) or reads them as Latin-1 (an LDID of ISO 8859-1), and either way names and
// codes would be compared and published garbled.
#include <string_view>

namespace landquota {

bool is_utf8(std::string_view text);

// Text that GDAL decoded as Latin-1 whose bytes, put back, are GBK double-byte characters: the
// mojibake of Chinese text read with the wrong code page ("ÎäÒÄ" for "武夷").
bool looks_like_gbk_read_as_latin1(std::string_view utf8);

} // namespace landquota
