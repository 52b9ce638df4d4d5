#pragma once

#include "landquota/allocation.hpp"
#include "landquota/money.hpp"

#include <map>
#include <string>
#include <vector>

namespace landquota {

// One payment to one payee.
struct Payment {
    std::string payment_id; // assigned by the engine
    std::string model;      // the compensation model that made it
    std::string payee_kind; // village, township, household, collective
    std::string payee_id;
    std::string transfer_id; // the transfer it pays for; "" for dividends and awards
    std::string lot_id;
    int year = 0; // payment year, 0 = at allocation
    Fen amount = 0;
    std::string basis; // how it was computed, in words an auditor can check
};

// A township's figures, for models that distribute by indicators (award pools).
struct TownshipFigures {
    std::string township_id, name, zone_id, region_id;
    AreaCm2x100 freed = 0, allocated_from = 0;
    std::map<std::string, double> indicators; // declared township fields
};

struct CompensationInput {
    const std::vector<QuotaLot>& lots;
    const std::vector<Site>& sites;
    const std::vector<Transfer>& transfers;
    const std::vector<TownshipFigures>& townships;
};

class CompensationModel {
  public:
    virtual ~CompensationModel() = default;
    virtual std::vector<Payment> compensate(const CompensationInput& in) = 0;
};

} // namespace landquota
