// libFuzzer target: the job-file reader (load_job) on arbitrary bytes. Every outcome must be a
// Job or an input error naming the file; never a crash, a hang or an internal error.
#include "fuzz_support.hpp"
#include "pipeline/job.hpp"

#include <cstddef>
#include <cstdint>
#include <filesystem>
#include <fstream>
#include <string>
#include <unistd.h>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    // load_job reads a file (paths in it are resolved from its folder), so the bytes go to one.
    static const std::filesystem::path file = std::filesystem::temp_directory_path() /
                                              ("landquota-fuzz-" + std::to_string(::getpid())) /
                                              "job.toml";
    std::filesystem::create_directories(file.parent_path());
    {
        std::ofstream out(file, std::ios::binary | std::ios::trunc);
        out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
    }
    landquota::fuzz::expect_input_errors_only([&] { (void)landquota::load_job(file); });
    return 0;
}
