#pragma once

// Plausibility: data that read without an error but cannot be what the job means. Coordinates
// in degrees labelled as metres (or the reverse, or in millimetres) would give a quota from
// nonsense areas; a working CRS used far from its zone bends every planar figure; villages that
// do not cover the parcels drop parcels from the accounts. Bounds are in docs/methods.md.
#include "core/finding_log.hpp"
#include "io/layer_reader.hpp"
#include "pipeline/job.hpp"

#include <cstdint>
#include <string>

namespace landquota {

// The bounds, named so tests and docs use the same numbers.
inline constexpr double kMaxCountySpanM = 2'000'000.0; // no county is 2,000 km across
inline constexpr double kMinMedianParcelM2 = 1.0;      // below: coordinates in km, or in m as mm
inline constexpr double kMaxMedianParcelM2 = 1e7;      // 10 km²; above: mm or cm labelled metres
inline constexpr double kWarnScaleError = 1e-4;        // 1:10,000
inline constexpr double kMaxScaleError = 1e-2;         // 1:100
inline constexpr double kMaxOutsideShare = 0.05;       // parcels outside every village: dropped
inline constexpr double kMaxMismatchedShare = 0.20; // field and geometry disagree: the field wins
inline constexpr std::int64_t kMinUncoveredForError = 10; // fewer are slips whatever the share
inline constexpr double kWrongLayerShare = 0.5;           // an error whatever the count

// The layer's extent against its CRS: a projected CRS whose coordinates all lie within ±180/±90
// (degrees labelled metres), a geographic CRS with coordinates beyond ±360/±90 (metres labelled
// degrees), a projected extent wider than any county. Throws an Input error saying what to fix.
// An empty layer or one without a CRS is left to the checks that report those.
void check_layer_extent(LayerReader& layer);

// The median planar area of the first parcels (up to `sample`) of a layer in a projected CRS, in
// that CRS and before set_working_crs, within [kMinMedianParcelM2, kMaxMedianParcelM2]. Throws
// an Input error saying what to fix; rewinds the layer.
void check_parcel_sizes(LayerReader& parcels, std::size_t sample = 1001);

// The working CRS's scale error at the corners and the centre of the parcels' extent: a warning
// finding above kWarnScaleError, an Input error above kMaxScaleError.
void check_crs_distortion(const Job& job, const OGRSpatialReference& working,
                          const std::string& working_label, LayerReader& parcels, FindingLog& log);

// How the parcels met the villages in the parcel pass.
struct VillageCover {
    std::int64_t parcels = 0;    // parcels that reached assignment
    std::int64_t outside = 0;    // in no village polygon at all
    std::int64_t mismatched = 0; // the village field names another village than the geometry
    std::string first_outside, first_mismatched; // "BSM=… (FID n)", for the message
};

// A few parcels outside every village or in another village than their field says are slips
// (one warning each kind, the parcels themselves are listed where it matters); beyond
// kMaxOutsideShare or kMaxMismatchedShare (and at least kMinUncoveredForError parcels), or beyond
// kWrongLayerShare at all, it is an error: the villages layer, its CRS or the village field is
// wrong. Mismatches are allowed more: the parcel keeps its field's village, and village outlines
// drawn roughly disagree at their edges (7.5 % of the real cadastre test's parcels, whose
// "villages" are convex hulls).
void check_village_cover(const VillageCover& cover, const ParcelInput& parcels,
                         const std::string& parcels_layer, const std::string& villages_file,
                         FindingLog& log);

} // namespace landquota
