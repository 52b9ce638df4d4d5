#pragma once

#include <filesystem>
#include <string>

namespace landquota {

// Lower-case hex SHA-256 of a file's bytes (OpenSSL libcrypto).
std::string sha256_file(const std::filesystem::path& file);

} // namespace landquota
