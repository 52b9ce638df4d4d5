// libFuzzer target: what `audit verify` does with an entry's stored content, which anyone holding
// the file can set to any bytes: parse it, put it in canonical form and read it back as a lot,
// a transfer and a payment. Canonical form must be a fixed point (the canonical form of its own
// parse is itself), and nothing may crash or hang: verify reports what it cannot read as a failed
// check.
#include "ledger/content.hpp"
#include "ledger/ledger.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <nlohmann/json.hpp>

using nlohmann::json;

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    namespace ledger = landquota::ledger;
    namespace d = landquota::ledger::detail;
    const std::string text(reinterpret_cast<const char*>(data), size);
    try {
        const json c = json::parse(text); // as verify_entries does
        const std::string form = ledger::canonical(c);
        if (ledger::canonical(json::parse(form)) != form) {
            std::fprintf(stderr, "canonical form is not a fixed point: %s\n", form.c_str());
            std::abort();
        }
        for (auto read : {+[](const json& j) { (void)d::lot_from(j); },
                          +[](const json& j) { (void)d::transfer_from(j); },
                          +[](const json& j) { (void)d::payment_from(j); }}) {
            try {
                read(c);
            } catch (const std::exception&) { // verify: "content unreadable"
            }
        }
    } catch (const std::exception&) { // verify: "content unreadable"
    }
    return 0;
}
