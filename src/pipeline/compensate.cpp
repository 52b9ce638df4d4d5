#include "pipeline/compensate.hpp"

#include "core/translate.hpp"
#include "landquota/error.hpp"

#include <fmt/format.h>
#include <map>
#include <set>

namespace landquota {

std::vector<Payment> compensate(const std::vector<ResolvedPlugin>& models,
                                const CompensationInput& in) {
    std::map<std::string, std::string> transfers; // transfer id -> its lot
    std::set<std::string> lots;
    for (const auto& t : in.transfers)
        transfers[t.transfer_id] = t.lot_id;
    for (const auto& l : in.lots)
        lots.insert(l.lot_id);
    std::vector<Payment> out;
    for (const auto& model : models) {
        const LoadedPlugin& p = *model.plugin;
        std::vector<Payment> payments;
        try {
            payments = p.compensation(model.options)->compensate(in);
        } catch (const std::invalid_argument& e) {
            throw Error(Stage::Compensate,
                        trf("[{}] model '{}': {}", model.table, p.info.name, plugin_error_text(e)));
        } catch (const Error&) {
            throw;
        } catch (const std::exception& e) {
            throw Error(Stage::Compensate, trf("model '{}' failed: {}", p.info.name, e.what()),
                        Error::Kind::Internal);
        }
        for (auto& pay : payments) {
            auto broken = [&](const std::string& what) {
                return Error(Stage::Compensate,
                             trf("model '{}' ({}) returned an impossible payment: {}", p.info.name,
                                 p.file, what),
                             Error::Kind::Internal);
            };
            if (pay.amount <= 0)
                throw broken(
                    fmt::format("{} fen to {} {}", pay.amount, pay.payee_kind, pay.payee_id));
            if (!pay.transfer_id.empty() && !transfers.count(pay.transfer_id))
                throw broken("unknown transfer '" + pay.transfer_id + "'");
            if (!pay.lot_id.empty() && !lots.count(pay.lot_id))
                throw broken("unknown lot '" + pay.lot_id + "'");
            // The ledger's verification refuses this too; refusing it here keeps it out.
            if (!pay.transfer_id.empty() && !pay.lot_id.empty() &&
                transfers.at(pay.transfer_id) != pay.lot_id)
                throw broken(fmt::format("it names lot '{}' but transfer '{}' is from lot '{}'",
                                         pay.lot_id, pay.transfer_id,
                                         transfers.at(pay.transfer_id)));
            if (pay.payee_id.empty())
                throw broken("a payment without a payee");
            pay.model = p.info.name;
            out.push_back(std::move(pay));
        }
    }
    int n = 0;
    for (auto& pay : out)
        pay.payment_id = fmt::format("P{:05d}", ++n);
    return out;
}

} // namespace landquota
