#include "pipeline/parcel_pass.hpp"

#include "core/blank.hpp"
#include "core/did_you_mean.hpp"
#include "core/translate.hpp"

#include "core/landuse_codes.hpp"

#include <cmath>
#include <fmt/format.h>
#include <set>

namespace landquota {

namespace {

bool is_slope_class(const std::string& v) {
    return v.size() == 1 && v[0] >= '1' && v[0] <= '5';
}

} // namespace

namespace {

using S = Finding::Severity;

// The cross-check's stated range: parcels up to 100 ha.
constexpr double kAreaCheckMaxM2 = 1e6;
// Parcels that cannot be reclaimed are cross-checked one in this many (the 1st, 17th, … read).
constexpr std::int64_t kCrossCheckEvery = 16;

void count(ParcelCounts& c, ParcelStatus s) {
    switch (s) {
    case ParcelStatus::Reclaimable:
        ++c.reclaimable;
        break;
    case ParcelStatus::Excluded:
        ++c.excluded;
        break;
    case ParcelStatus::NotEligible:
        ++c.not_eligible;
        break;
    case ParcelStatus::Outside:
        ++c.outside;
        break;
    }
}

// The parcels' duplicate ids, confirmed on the real ids after a hash collision was seen.
void report_duplicates(LayerReader& parcels, const std::vector<std::uint64_t>& suspects,
                       const std::string& id_field, FindingLog& log) {
    if (suspects.empty())
        return;
    const std::set<std::uint64_t> suspect(suspects.begin(), suspects.end());
    std::map<std::string, std::vector<GIntBig>> fids;
    parcels.rewind();
    SourceFeature f;
    while (parcels.next(f)) {
        const ParcelValues v(f);
        if (!v.id.empty() && suspect.count(DuplicateIdDetector::hash(v.id)))
            fids[v.id].push_back(f.fid);
    }
    const FeatureRef ref{&parcels, id_field};
    for (const auto& [id, list] : fids) {
        if (list.size() < 2)
            continue;
        std::string all;
        for (std::size_t i = 0; i < list.size(); ++i)
            all += (i ? ", " : "") + std::to_string(list[i]);
        SourceFeature at;
        at.fid = list[1];
        log.add(ref.finding(S::Error, "duplicate_id", at, id, id_field,
                            trf("id '{}' is used by {} features (FIDs {})", id, list.size(), all)));
    }
}

} // namespace

ParcelPass::ParcelPass(const Job& job, const ReferenceLayers& ref, const AreaCalculator& area,
                       std::vector<VillageQuota> villages, bool measure)
    : job_(job), area_(area), assigner_(ref), reclaimer_(job.reclaim, ref, area),
      corridors_(ref, area), measure_(measure), villages_file_(ref.villages_file) {
    result_.villages = std::move(villages);
}

std::optional<PassedParcel> ParcelPass::process_one(const SourceFeature& f, const FeatureRef& ref,
                                                    FindingLog& log) {
    const auto& P = job_.parcels;
    const ParcelValues v(f);
    ++result_.counts.parcels;
    bool usable = true;
    if (is_blank(v.id)) {
        log.add(ref.finding(S::Error, "missing_id", f, v.id, P.id,
                            tr("the id is empty or only spaces")));
        usable = false;
    } else {
        ids_.add(v.id);
    }
    if (v.landuse.empty()) {
        log.add(ref.finding(S::Error, "missing_value", f, v.id, P.landuse,
                            tr("the land-use code is empty")));
        usable = false;
    } else if (!landuse_name(v.landuse)) {
        log.add(ref.finding(S::Error, "unknown_landuse", f, v.id, P.landuse,
                            trf("'{}' is not a GB/T 21010-2017 land-use code", v.landuse)));
        usable = false;
    }
    // A slope class or village-attribute code outside its list would silently count as "no
    // rule" (text read as class 0 lets a steep parcel be reclaimed).
    if (!v.slope.empty() && !is_slope_class(v.slope)) {
        log.add(ref.finding(S::Error, "bad_slope_class", f, v.id, P.slope,
                            trf("'{}' is not a slope class (耕地坡度级别 1 to 5)", v.slope)));
        usable = false;
    }
    if (!v.village_class.empty() && !is_village_class(v.village_class)) {
        log.add(ref.finding(S::Error, "unknown_village_class", f, v.id, P.village_class,
                            trf("'{}' is not a village-attribute code (城镇村属性码: {})",
                                v.village_class, join(village_classes()))));
        usable = false;
    }
    bool was_repaired = false;
    GeomPtr g = checked_polygon(f, ref, v.id, job_.repair_invalid, log, &was_repaired);
    if (!g || !usable)
        return std::nullopt;
    // Assigning is part of checking (an unknown village code, a field that is not the village
    // code at all): check reports what run would.
    const Assignment a = assigner_.assign(g.get(), v.village);
    if (!v.village.empty())
        ++village_codes_given_;
    if (a.unknown_code && ++village_codes_unknown_ == 1)
        first_unknown_code_ = v.village;
    ++cover_.parcels;
    if (a.geometric_village.empty() && ++cover_.outside == 1)
        cover_.first_outside = ref.describe(f, v.id);
    if (a.mismatch && !a.geometric_village.empty() && ++cover_.mismatched == 1)
        cover_.first_mismatched = ref.describe(f, v.id);
    if (a.unknown_code)
        log.add(ref.finding(S::Warning, "unknown_village_code", f, v.id, P.village,
                            trf("village '{}' is not in the villages layer; "
                                "assigned by geometry to '{}'",
                                v.village, a.geometric_village)));
    else if (a.mismatch)
        log.add(ref.finding(
            S::Warning, "village_mismatch", f, v.id, P.village,
            trf("the field says village '{}' but the parcel lies mostly in '{}'", v.village,
                a.geometric_village.empty() ? tr("no village") : a.geometric_village)));
    if (!measure_ || log.errors() > 0)
        return std::nullopt; // after the first error only validation goes on

    PassedParcel out;
    out.source_fid = f.fid;
    if (was_repaired)
        out.repaired = to_ogr(g.get());
    out.geometry = was_repaired ? out.repaired.get() : f.geometry.get();

    VillageQuota* vq =
        a.village >= 0 ? &result_.villages[static_cast<std::size_t>(a.village)] : nullptr;
    ParcelFacts facts{v.landuse,     v.village_class,      v.slope, !P.village_class.empty(),
                      vq != nullptr, vq && vq->relocating, 0.0};
    // The cross-check (docs/methods.md, "Cross-check"): every parcel whose area can enter the
    // account, and a fixed sample of the rest by reading order, so an error in the official
    // formula shows wherever it lies, at a fraction of measuring everything twice.
    const bool cross_check =
        reclaimer_.may_reclaim(facts) || result_.counts.parcels % kCrossCheckEvery == 1;
    MeasuredArea measured;
    try {
        measured = area_.measure(*out.geometry, cross_check ? CrossCheck::Yes : CrossCheck::No);
    } catch (const Error& e) {
        if (e.stage() != Stage::Measure || e.kind() != Error::Kind::Input)
            throw;
        log.add(ref.finding(
            S::Error, "implausible_geometry", f, v.id, "",
            std::string(e.what()).substr(std::string(stage_name(Stage::Measure)).size() + 2)));
        return std::nullopt;
    }
    AreaCheck& check = result_.area_check;
    if (cross_check && measured.ellipsoidal_m2 <= kAreaCheckMaxM2) {
        ++check.parcels_checked;
        const double gap = std::abs(measured.ellipsoidal_m2 - measured.geodesic_m2);
        if (gap > check.max_abs_gap_m2) {
            check.max_abs_gap_m2 = gap;
            check.max_gap_parcel = v.id;
        }
    }
    facts.area_m2 = measured.ellipsoidal_m2;

    ReclaimOutcome r;
    try {
        r = reclaimer_.reclaim(facts, g.get());
    } catch (const OverlayFailure& e) { // that parcel's overlay only: bugs are not bad data
        log.add(ref.finding(S::Error, "overlay_failed", f, v.id, "", e.what()));
        return std::nullopt;
    }

    out.row = ParcelRow{v.id,
                        v.landuse,
                        vq ? vq->village_id : "",
                        vq ? vq->township_id : "",
                        vq ? vq->zone_id : "",
                        to_hundredths(measured.ellipsoidal_m2),
                        to_hundredths(measured.planar_m2),
                        r.reclaim,
                        r.status,
                        r.excluded_by,
                        r.reason};
    count(result_.counts, r.status);
    if (vq) {
        ++vq->parcels;
        vq->reclaim += r.reclaim;
        if (r.status == ParcelStatus::Reclaimable) {
            ++vq->reclaimable_parcels;
            result_.lot_parcels[vq->village_id].push_back(
                LotParcel{v.id, v.holder, v.landuse, r.reclaim});
            if (r.pieces && !job_.corridors.empty())
                corridors_.add(vq->village_id, r.pieces.get(), r.reclaim, result_.corridors);
        }
    }
    if (r.pieces) {
        out.pieces = to_ogr(r.pieces.get());
        const GEOSGeometry* kept = result_.reclaimed.add(v.id, f.fid, std::move(r.pieces));
        if (job_.allocation && vq)
            result_.lot_pieces[vq->village_id].push_back(kept);
    }
    return out;
}

ParcelPassResult ParcelPass::finish(LayerReader& parcels, FindingLog& log) {
    const auto& P = job_.parcels;
    report_duplicates(parcels, ids_.repeated_hashes(), P.id, log);
    // A few unknown codes are data slips (warnings); most of them mean the job maps the wrong
    // field, and a run on that would silently rest on geometry alone.
    if (village_codes_given_ > 0 && 2 * village_codes_unknown_ > village_codes_given_)
        log.add(Finding{S::Error, "wrong_village_field", P.path, parcels.layer_name(), "",
                        P.village,
                        trf("{} of {} values are not village codes of the villages layer "
                            "(e.g. '{}'): is 'inputs.parcels.village' the right field?",
                            village_codes_unknown_, village_codes_given_, first_unknown_code_)});
    check_village_cover(cover_, P, parcels.layer_name(), villages_file_, log);
    return std::move(result_);
}

ParcelPassResult run_parcel_pass(ParcelPass& pass, LayerReader& parcels, FindingLog& log,
                                 Progress& progress,
                                 const std::function<void(const PassedParcel&)>& sink) {
    const FeatureRef ref{&parcels, pass.id_field()};
    SourceFeature f;
    std::int64_t n = 0;
    while (parcels.next(f)) {
        progress.step(++n, "parcels");
        if (auto p = pass.process_one(f, ref, log))
            sink(*p);
    }
    return pass.finish(parcels, log);
}

} // namespace landquota
