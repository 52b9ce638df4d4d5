#include "io/sha256.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <fstream>
#include <memory>
#include <openssl/evp.h>
#include <vector>

namespace landquota {

namespace {

class Digest {
  public:
    Digest() : ctx_(EVP_MD_CTX_new(), EVP_MD_CTX_free) {
        EVP_DigestInit_ex(ctx_.get(), EVP_sha256(), nullptr);
    }
    void add(const char* data, std::size_t n) { EVP_DigestUpdate(ctx_.get(), data, n); }
    std::string hex() {
        unsigned char md[EVP_MAX_MD_SIZE];
        unsigned int len = 0;
        EVP_DigestFinal_ex(ctx_.get(), md, &len);
        std::string out;
        for (unsigned int i = 0; i < len; ++i)
            out += fmt::format("{:02x}", md[i]);
        return out;
    }

  private:
    std::unique_ptr<EVP_MD_CTX, decltype(&EVP_MD_CTX_free)> ctx_;
};

} // namespace

std::string sha256_file(const std::filesystem::path& file) {
    std::ifstream in(file, std::ios::binary);
    if (!in)
        throw Error(Stage::Manifest, trf("{}: cannot read to hash it", file.string()));
    Digest d;
    std::vector<char> buf(1 << 16);
    while (in) {
        in.read(buf.data(), static_cast<std::streamsize>(buf.size()));
        if (in.gcount() > 0)
            d.add(buf.data(), static_cast<std::size_t>(in.gcount()));
    }
    return d.hex();
}

std::string sha256_bytes(const std::string& bytes) {
    Digest d;
    d.add(bytes.data(), bytes.size());
    return d.hex();
}

} // namespace landquota
