#include "io/text_encoding.hpp"

#include <cstdint>
#include <string>

namespace landquota {

bool is_utf8(std::string_view text) {
    std::size_t i = 0;
    while (i < text.size()) {
        const auto c = static_cast<unsigned char>(text[i]);
        std::size_t extra = 0;
        std::uint32_t cp = 0;
        if (c < 0x80) {
            ++i;
            continue;
        } else if ((c & 0xE0) == 0xC0) {
            extra = 1;
            cp = c & 0x1F;
        } else if ((c & 0xF0) == 0xE0) {
            extra = 2;
            cp = c & 0x0F;
        } else if ((c & 0xF8) == 0xF0) {
            extra = 3;
            cp = c & 0x07;
        } else {
            return false;
        }
        if (i + extra >= text.size())
            return false;
        for (std::size_t k = 1; k <= extra; ++k) {
            const auto d = static_cast<unsigned char>(text[i + k]);
            if ((d & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (d & 0x3F);
        }
        // Overlong forms, surrogates and values past Unicode are not UTF-8 either.
        if ((extra == 1 && cp < 0x80) || (extra == 2 && cp < 0x800) ||
            (extra == 3 && (cp < 0x10000 || cp > 0x10FFFF)) || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

bool looks_like_gbk_read_as_latin1(std::string_view utf8) {
    // Back to the bytes: every non-ASCII character must be U+0080..U+00FF (two UTF-8 bytes).
    std::string bytes;
    for (std::size_t i = 0; i < utf8.size(); ++i) {
        const auto c = static_cast<unsigned char>(utf8[i]);
        if (c < 0x80) {
            bytes += static_cast<char>(c);
            continue;
        }
        if ((c != 0xC2 && c != 0xC3) || i + 1 >= utf8.size())
            return false;
        const auto d = static_cast<unsigned char>(utf8[++i]);
        bytes += static_cast<char>(((c & 0x03) << 6) | (d & 0x3F));
    }
    // GBK: a lead byte 0x81..0xFE, then a trail byte 0x40..0xFE other than 0x7F; no high byte
    // left over, and at least one common hanzi of GB 2312 (A1..F7, A1..FE), so that Latin-1 text
    // ("Müller" is also a GBK pair) is not taken for Chinese.
    std::size_t hanzi = 0;
    for (std::size_t i = 0; i < bytes.size(); ++i) {
        const auto b = static_cast<unsigned char>(bytes[i]);
        if (b < 0x80)
            continue;
        if (b == 0x80 || b == 0xFF || i + 1 >= bytes.size())
            return false;
        const auto t = static_cast<unsigned char>(bytes[++i]);
        if (t < 0x40 || t == 0x7F || t == 0xFF)
            return false;
        if (b >= 0xA1 && b <= 0xF7 && t >= 0xA1)
            ++hanzi;
    }
    return hanzi > 0;
}

} // namespace landquota
