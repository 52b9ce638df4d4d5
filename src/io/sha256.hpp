#pragma once

#include <filesystem>
#include <string>

namespace landquota {

// Lower-case hex SHA-256 of a file's bytes (OpenSSL libcrypto).
std::string sha256_file(const std::filesystem::path& file);

// Lower-case hex SHA-256 of bytes in memory.
std::string sha256_bytes(const std::string& bytes);

} // namespace landquota
