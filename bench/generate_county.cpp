// landquota-gen: writes a synthetic county GeoPackage for the landquota engine.
//
//   landquota-gen --out FILE.gpkg [--parcels N] [--seed S] [--force]
//
// The county is placed where Wuyi (武义, Zhejiang) is and uses its 18 real township names, but
// every geometry, village, code and attribute is synthetic. Layers (EPSG:4549, x = easting):
// townships, villages, parcels, redline, farmland, resettlement, sites, and the context lines
// rivers and roads; field names follow the third national land survey (see
// sample_maps/wuyi/README.md).
//
// Layout:
//   * the county is an irregular oval; townships are the Voronoi cells of 18 seeds in three rows
//     (the 7 northern townships, then two rows of southern ones), villages the Voronoi cells of
//     relaxed random seeds inside each township;
//   * a river flows north through the county and a main road runs north-south; their surfaces
//     are cut out of the villages they cross and become 1101 / 1003 parcels;
//   * all those boundaries are noded together on a millimetre grid and polygonized, so townships,
//     villages and corridor parcels share their vertices exactly;
//   * inside each village: a settlement of jittered grid cells around the centre (homesteads,
//     streets, a school, a workshop), field roads leading out of it, and fields and woods as
//     Voronoi cells stretched along the village's valley, denser near the settlement. These are
//     noded again within the village (lines end on the village's own boundary vertices), so
//     parcels fill the village exactly and never overlap.
//
// Output is deterministic for the same arguments: all randomness comes from std::mt19937_64
// streams derived from the seed, mapped to doubles by hand; GEOS operations are deterministic.

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include "geos_ops.hpp"

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <limits>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <tuple>
#include <vector>

namespace {

constexpr double kSquareMetresPerMu = 10000.0 / 15.0;
constexpr double kTargetFreedMu = 800.0;  // the south's freed quota in the default sample
constexpr double kMinReclaimPiece = 50.0; // m²; smaller pieces are dropped by the engine
constexpr double kMeanResettlementShare = 0.275;
constexpr double kMinSiteReclaim = 1000.0;  // m²; below this a relocating village gets no site
constexpr double kExpectedClipKeep = 0.945; // share of construction left after red line / farmland
constexpr std::uint64_t kDefaultSeed = 330723;
constexpr long kMinParcels = 3000; // below this the fixed minimum layout overshoots N by far
constexpr long kMaxParcels = 20'000'000;
constexpr int kTransactionSize = 10'000;
constexpr const char* kFixedTimestamp = "2024-01-01T00:00:00.000Z";

// ---------------------------------------------------------------------------------------------
// Errors and options

struct UsageError : std::runtime_error {
    using std::runtime_error::runtime_error;
};

struct Options {
    std::filesystem::path out;
    std::optional<long> parcels;
    std::uint64_t seed = kDefaultSeed;
    bool force = false;
};

constexpr const char* kUsage =
    "usage: landquota-gen --out FILE.gpkg [--parcels N] [--seed S] [--force]\n"
    "\n"
    "Writes a synthetic county GeoPackage (EPSG:4549) placed where Wuyi county is.\n"
    "  --out FILE.gpkg  output file (refuses to overwrite unless --force)\n"
    "  --parcels N      make a county of roughly N parcels, N >= 3000 (default: the small sample)\n"
    "  --seed S         random seed, an unsigned integer (default 330723)\n"
    "  --force          overwrite FILE if it exists\n";

template <class T> T parseNumber(std::string_view flag, std::string_view text) {
    T value{};
    const auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (ec != std::errc{} || end != text.data() + text.size())
        throw UsageError(fmt::format("{} expects a non-negative integer, got '{}'", flag, text));
    return value;
}

Options parseArgs(int argc, char** argv) {
    Options options;
    bool haveOut = false;
    for (int i = 1; i < argc; ++i) {
        const std::string_view arg = argv[i];
        auto value = [&]() -> std::string_view {
            if (i + 1 >= argc)
                throw UsageError(fmt::format("{} needs a value", arg));
            return argv[++i];
        };
        if (arg == "--help" || arg == "-h") {
            fmt::print("{}", kUsage);
            std::exit(0);
        } else if (arg == "--out") {
            options.out = std::string(value());
            haveOut = true;
        } else if (arg == "--parcels") {
            const auto text = value();
            if (!text.empty() && text.front() == '-')
                throw UsageError(fmt::format("--parcels must be positive, got '{}'", text));
            const long n = parseNumber<long>(arg, text);
            if (n < kMinParcels || n > kMaxParcels)
                throw UsageError(fmt::format("--parcels must be between {} and {}, got {}",
                                             kMinParcels, kMaxParcels, n));
            options.parcels = n;
        } else if (arg == "--seed") {
            options.seed = parseNumber<std::uint64_t>(arg, value());
        } else if (arg == "--force") {
            options.force = true;
        } else {
            throw UsageError(fmt::format("unknown argument '{}'", arg));
        }
    }
    if (!haveOut || options.out.empty())
        throw UsageError("--out FILE.gpkg is required");
    if (options.out.extension() != ".gpkg")
        throw UsageError(fmt::format("--out must end in .gpkg, got '{}'", options.out.string()));
    return options;
}

// ---------------------------------------------------------------------------------------------
// Deterministic random numbers

std::uint64_t splitmix64(std::uint64_t x) {
    x += 0x9E3779B97F4A7C15ull;
    x = (x ^ (x >> 30)) * 0xBF58476D1CE4E5B9ull;
    x = (x ^ (x >> 27)) * 0x94D049BB133111EBull;
    return x ^ (x >> 31);
}

// Independent streams (layout, one per village, ...) so that e.g. the parcels of village 7 do
// not change when the number of parcels in village 6 changes.
enum class Stream : std::uint64_t { Layout = 1, Settlement, Fields, Redline, Resettlement, Sites };

std::uint64_t streamSeed(std::uint64_t seed, Stream stream, std::uint64_t index = 0) {
    return splitmix64(splitmix64(seed ^ splitmix64(static_cast<std::uint64_t>(stream))) + index);
}

class Rng {
  public:
    explicit Rng(std::uint64_t seed) : engine_(seed) {}
    // Own mapping to [0, 1): std::uniform_real_distribution differs between standard libraries.
    double uniform() { return static_cast<double>(engine_() >> 11) * 0x1.0p-53; }
    double uniform(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int integer(int lo, int hi) { // inclusive
        return lo + static_cast<int>(engine_() % static_cast<std::uint64_t>(hi - lo + 1));
    }
    bool chance(double p) { return uniform() < p; }

  private:
    std::mt19937_64 engine_;
};

// ---------------------------------------------------------------------------------------------
// Land use (GB/T 21010-2017 as used by the third land survey)

struct LandUse {
    std::string_view code;
    std::string_view name;
};

constexpr std::array kLandUses = std::to_array<LandUse>({
    {"0101", "水田"},
    {"0102", "水浇地"},
    {"0103", "旱地"},
    {"0201", "果园"},
    {"0202", "茶园"},
    {"0203", "橡胶园"},
    {"0204", "其他园地"},
    {"0301", "乔木林地"},
    {"0302", "竹林地"},
    {"0305", "灌木林地"},
    {"0307", "其他林地"},
    {"0401", "天然牧草地"},
    {"0403", "人工牧草地"},
    {"0404", "其他草地"},
    {"0501", "零售商业用地"},
    {"0502", "批发市场用地"},
    {"0503", "餐饮用地"},
    {"0504", "旅馆用地"},
    {"0505", "商务金融用地"},
    {"0506", "娱乐用地"},
    {"0507", "其他商服用地"},
    {"0508", "物流仓储用地"},
    {"0601", "工业用地"},
    {"0602", "采矿用地"},
    {"0603", "盐田"},
    {"0701", "城镇住宅用地"},
    {"0702", "农村宅基地"},
    {"0801", "机关团体用地"},
    {"0802", "新闻出版用地"},
    {"0803", "教育用地"},
    {"0804", "科研用地"},
    {"0805", "医疗卫生用地"},
    {"0806", "社会福利用地"},
    {"0807", "文化设施用地"},
    {"0808", "体育用地"},
    {"0809", "公用设施用地"},
    {"0810", "公园与绿地"},
    {"0901", "特殊用地"},
    {"1001", "铁路用地"},
    {"1002", "轨道交通用地"},
    {"1003", "公路用地"},
    {"1004", "城镇村道路用地"},
    {"1005", "交通服务场站用地"},
    {"1006", "农村道路"},
    {"1007", "机场用地"},
    {"1008", "港口码头用地"},
    {"1009", "管道运输用地"},
    {"1101", "河流水面"},
    {"1102", "湖泊水面"},
    {"1103", "水库水面"},
    {"1104", "坑塘水面"},
    {"1105", "沿海滩涂"},
    {"1106", "内陆滩涂"},
    {"1107", "沟渠"},
    {"1108", "沼泽地"},
    {"1109", "水工建筑用地"},
    {"1110", "冰川及永久积雪"},
    {"1201", "空闲地"},
    {"1202", "设施农用地"},
    {"1203", "田坎"},
    {"1204", "盐碱地"},
    {"1205", "沙地"},
    {"1206", "裸土地"},
    {"1207", "裸岩石砾地"},
});

std::string_view landUseName(std::string_view code) {
    for (const auto& use : kLandUses)
        if (use.code == code)
            return use.name;
    throw std::logic_error(fmt::format("land-use code {} is not in the GB/T 21010 table", code));
}

bool isArable(std::string_view code) {
    return code.starts_with("01");
}

// What the engine reclaims: rural construction land (with CZCSXM 203).
bool isReclaimableCode(std::string_view code) {
    return code == "0702" || code == "0601" || code == "0602" || code.starts_with("08") ||
           code == "1004";
}

struct Weighted {
    std::string_view value;
    int weight;
};

std::string_view pick(Rng& rng, std::span<const Weighted> table) {
    const int total = std::accumulate(table.begin(), table.end(), 0,
                                      [](int sum, const Weighted& w) { return sum + w.weight; });
    int roll = rng.integer(0, total - 1);
    for (const auto& entry : table) {
        if (roll < entry.weight)
            return entry.value;
        roll -= entry.weight;
    }
    return table.back().value;
}

constexpr std::array<Weighted, 10> kNorthFields{{{"0101", 50},
                                                 {"0102", 12},
                                                 {"0103", 10},
                                                 {"0201", 8},
                                                 {"0202", 3},
                                                 {"0301", 6},
                                                 {"0305", 2},
                                                 {"0404", 4},
                                                 {"1104", 4},
                                                 {"1202", 1}}};
constexpr std::array<Weighted, 11> kSouthInnerFields{{{"0101", 35},
                                                      {"0103", 15},
                                                      {"0102", 4},
                                                      {"0201", 8},
                                                      {"0202", 8},
                                                      {"0301", 12},
                                                      {"0302", 4},
                                                      {"0404", 5},
                                                      {"1104", 4},
                                                      {"0305", 3},
                                                      {"1202", 2}}};
// Outermost ring of a southern patch: the hillside.
constexpr std::array<Weighted, 8> kSouthOuterFields{{{"0301", 40},
                                                     {"0302", 12},
                                                     {"0305", 10},
                                                     {"0307", 4},
                                                     {"0202", 8},
                                                     {"0103", 10},
                                                     {"0101", 8},
                                                     {"0404", 8}}};
constexpr std::array<Weighted, 3> kNorthSlopes{{{"1", 60}, {"2", 30}, {"3", 10}}};
constexpr std::array<Weighted, 5> kSouthSlopes{
    {{"1", 10}, {"2", 30}, {"3", 30}, {"4", 20}, {"5", 10}}};
// Settlement cells besides the guaranteed school / workshop / green space.
constexpr std::array<Weighted, 2> kVillageSettlement{{{"0702", 96}, {"1104", 4}}};
constexpr std::array<Weighted, 3> kNorthVillageSettlement{
    {{"0702", 86}, {"0601", 10}, {"1104", 4}}};
constexpr std::array<Weighted, 7> kTownSeatSettlement{
    {{"0701", 70}, {"0601", 15}, {"0810", 5}, {"0809", 3}, {"0803", 3}, {"0805", 2}, {"0801", 2}}};

// ---------------------------------------------------------------------------------------------
// Townships and names

enum class Region { North, South };

struct TownshipSpec {
    std::string_view code;
    std::string_view name;
    std::string_view alliance; // LM: alliance of a southern town, "北部" in the north
    Region region;
    int row;    // row of township seeds: 0 = north, 1 and 2 = south
    int weight; // relative size; the sample has 2 × weight villages (less one, sometimes)
};

// West to east within each row. The codes follow the 街道 0xx / 镇 1xx / 乡 2xx convention but
// are not the official statistical codes.
constexpr std::array<TownshipSpec, 18> kTownships{{
    {"330723106", "茭道镇", "北部", Region::North, 0, 2},
    {"330723101", "履坦镇", "北部", Region::North, 0, 3},
    {"330723001", "壶山街道", "北部", Region::North, 0, 2},
    {"330723002", "熟溪街道", "北部", Region::North, 0, 2},
    {"330723003", "白洋街道", "北部", Region::North, 0, 3},
    {"330723103", "泉溪镇", "北部", Region::North, 0, 2},
    {"330723102", "桐琴镇", "北部", Region::North, 0, 3},
    {"330723201", "大田乡", "熟溪联盟", Region::South, 1, 2},
    {"330723204", "坦洪乡", "熟溪联盟", Region::South, 1, 3},
    {"330723104", "王宅镇", "王宅联盟", Region::South, 1, 3},
    {"330723202", "白姆乡", "王宅联盟", Region::South, 1, 2},
    {"330723203", "俞源乡", "王宅联盟", Region::South, 1, 3},
    {"330723107", "柳城畲族镇", "柳城联盟", Region::South, 2, 3},
    {"330723205", "西联乡", "柳城联盟", Region::South, 2, 2},
    {"330723206", "三港乡", "柳城联盟", Region::South, 2, 2},
    {"330723207", "大溪口乡", "柳城联盟", Region::South, 2, 3},
    {"330723105", "桃溪镇", "桃溪联盟", Region::South, 2, 2},
    {"330723108", "新宅镇", "桃溪联盟", Region::South, 2, 3},
}};

// Industrial sites (建新区) asking for quota, one per listed northern township. Only the 博来
// power-tool project at 桐琴 (95 mu, 6亿元) comes from the seed article; the others are made up
// so that demand (905 mu) exceeds the south's supply (~804 mu) and the policies differ.
struct SiteSpec {
    std::string_view id, name, township;
    double demandMu, investmentYuan, taxWanPerMu;
    int priority, earliestYear;
};
constexpr std::array<SiteSpec, 6> kSites{{
    {"S01", "博来电动工具项目", "330723102", 95, 6e8, 35, 1, 2025},
    {"S02", "履坦智能装备产业园", "330723101", 180, 9e8, 28, 2, 2025},
    {"S03", "泉溪新材料项目", "330723103", 150, 5e8, 32, 2, 2026},
    {"S04", "白洋文旅装备项目", "330723003", 120, 3e8, 18, 3, 2026},
    {"S05", "茭道汽配产业园", "330723106", 260, 8e8, 22, 2, 2027},
    {"S06", "壶山数字经济园", "330723001", 100, 4e8, 40, 3, 2026},
}};

// Township seeds lie in three rows, north to south: the 7 northern townships, then the southern
// ones in two rows (5 and 6). Each row's share of the county's height, from the north:
constexpr std::array<double, 4> kRowEdges{0.0, 0.27, 0.62, 1.0};
constexpr double kCountyHalfWidth = 16'500.0;  // m, before the outline's waviness
constexpr double kCountyHalfHeight = 20'500.0; // m

constexpr std::array<std::string_view, 40> kNameFirst{
    "上", "下", "前", "后", "东", "西", "南", "北", "大", "小", "新", "老", "高", "陈",
    "王", "李", "张", "刘", "徐", "周", "吴", "郑", "何", "朱", "叶", "杨", "潘", "汤",
    "金", "应", "俞", "钱", "章", "雅", "桐", "竹", "桃", "梅", "松", "柳"};
constexpr std::array<std::string_view, 30> kNameSecond{
    "溪", "坑", "岭", "坪", "塘", "湾", "源", "坞", "田", "岙", "山", "垄", "畈", "头", "口",
    "宅", "庄", "岩", "桥", "墩", "埠", "洋", "坦", "川", "阳", "店", "圩", "园", "门", "降"};

// Unique village names "<first><second>村", in a seed-dependent order; numbered beyond that.
class VillageNames {
  public:
    explicit VillageNames(Rng& rng) : order_(kNameFirst.size() * kNameSecond.size()) {
        std::iota(order_.begin(), order_.end(), std::size_t{0});
        for (std::size_t i = order_.size() - 1; i > 0; --i) // Fisher-Yates with our own Rng
            std::swap(order_[i],
                      order_[static_cast<std::size_t>(rng.integer(0, static_cast<int>(i)))]);
    }
    std::string name(std::size_t index) const {
        const std::size_t combo = order_[index % order_.size()];
        std::string name = fmt::format("{}{}", kNameFirst[combo / kNameSecond.size()],
                                       kNameSecond[combo % kNameSecond.size()]);
        if (const std::size_t round = index / order_.size(); round > 0)
            name += std::to_string(round + 1);
        return name + "村";
    }

  private:
    std::vector<std::size_t> order_;
};
// ---------------------------------------------------------------------------------------------
// Geometry helpers

using county::Geom;
using county::Point;

struct Rect {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    double width() const { return maxx - minx; }
    double height() const { return maxy - miny; }
};

// Survey coordinates carry mm precision; rounding also makes output independent of how a
// coordinate was computed once stored.
double mm(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

Rect envelopeOf(const GEOSGeometry& g) {
    Rect r;
    county::envelope(g, r.minx, r.miny, r.maxx, r.maxy);
    return r;
}

Geom rectangle(const Rect& r) {
    const std::array<Point, 4> ring{{{mm(r.minx), mm(r.miny)},
                                     {mm(r.maxx), mm(r.miny)},
                                     {mm(r.maxx), mm(r.maxy)},
                                     {mm(r.minx), mm(r.maxy)}}};
    return county::polygon(ring);
}

// OGR copy of a GEOS polygon, exterior ring counter-clockwise and holes clockwise.
std::unique_ptr<OGRPolygon> toOgr(const GEOSGeometry& polygon) {
    auto out = std::make_unique<OGRPolygon>();
    bool exterior = true;
    for (const auto& ring : county::rings(polygon)) {
        auto* linear = new OGRLinearRing;
        linear->setNumPoints(static_cast<int>(ring.size()));
        for (std::size_t i = 0; i < ring.size(); ++i)
            linear->setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
        if (linear->isClockwise() == exterior)
            linear->reverseWindingOrder();
        out->addRingDirectly(linear);
        exterior = false;
    }
    return out;
}

std::unique_ptr<OGRLineString> toOgrLine(const GEOSGeometry& line) {
    auto out = std::make_unique<OGRLineString>();
    for (const auto& p : county::coordinates(line))
        out->addPoint(mm(p.x), mm(p.y));
    return out;
}

// Area of the polygonal parts of g that are at least minPiece m² (pieces are what the engine
// keeps after clipping).
double areaOfPieces(const GEOSGeometry& g, double minPiece) {
    double sum = 0;
    for (const auto* part : county::parts(g)) {
        if (!county::isPolygon(*part))
            continue;
        const double a = county::area(*part);
        sum += a >= minPiece ? a : 0.0;
    }
    return sum;
}

double dist(Point a, Point b) {
    return std::hypot(a.x - b.x, a.y - b.y);
}

// A star-shaped irregular polygon: the red line and the shape of settlements.
struct Blob {
    Point centre;
    double radius = 1000;
    double a1 = 0, p1 = 0, a2 = 0, p2 = 0;
    int k1 = 2, k2 = 5;

    static Blob random(Rng& rng, Point centre, double radius) {
        Blob b;
        b.centre = centre;
        b.radius = radius;
        b.a1 = rng.uniform(0.08, 0.2);
        b.k1 = rng.integer(2, 3);
        b.p1 = rng.uniform(0, 2 * std::numbers::pi);
        b.a2 = rng.uniform(0.03, 0.08);
        b.k2 = rng.integer(5, 7);
        b.p2 = rng.uniform(0, 2 * std::numbers::pi);
        return b;
    }
    double r(double theta) const {
        return radius * (1 + a1 * std::sin(k1 * theta + p1) + a2 * std::sin(k2 * theta + p2));
    }
    // Distance of p from the centre relative to the blob's radius in that direction.
    double relative(Point p) const {
        return dist(p, centre) / r(std::atan2(p.y - centre.y, p.x - centre.x));
    }
    Geom polygon(int vertices = 72) const {
        std::vector<Point> ring;
        for (int i = 0; i < vertices; ++i) {
            const double t = 2 * std::numbers::pi * i / vertices;
            ring.push_back({mm(centre.x + r(t) * std::cos(t)), mm(centre.y + r(t) * std::sin(t))});
        }
        return county::polygon(ring);
    }
};

// ---------------------------------------------------------------------------------------------
// County layout: outline, townships and villages as Voronoi cells, a river and a main road

// Vertices of every boundary lie at most this far apart, so that lines inside a village can end
// on a boundary vertex (see makeParcels) without moving far.
constexpr double kBoundaryStep = 30.0;
constexpr double kRiverHalfWidth = 18.0; // 武义江-like river, 36 m wide
constexpr double kRoadHalfWidth = 8.0;   // main road, 16 m wide (1003 公路用地)
constexpr double kFieldRoadHalfWidth = 2.5;
constexpr double kFieldStretch = 2.2; // fields are this much longer than wide

enum class SettlementStyle { Village, NorthVillage, TownSeat };

struct Settlement {
    Point centre;
    std::vector<Geom> cells;
    std::vector<std::string_view> codes; // land use of each cell
    Geom polygon;                        // union of the cells
    Rect box;
    double area = 0;
};

struct Village {
    int township = 0;
    std::size_t index = 0; // county-wide, stable: seeds the village's random streams
    std::string code, name;
    bool seat = false, relocating = false;
    Point seed;
    double orientation = 0; // direction of the village's fields (valley), radians
    Geom polygon;
    std::vector<Geom> land;                                  // faces outside river and road
    std::vector<std::pair<Geom, std::string_view>> corridor; // river (1101) and road (1003) faces
    std::size_t mainLand = 0;                                // the largest land face
    Settlement settlement;
    bool farmlandIntoSettlement = false; // a farmland block cuts the construction cluster
    bool redlineOverSettlement = false;  // a red-line polygon cuts the construction cluster
};

struct Township {
    const TownshipSpec* spec = nullptr;
    Point seed;
    Geom raw;     // Voronoi cell clipped to the outline, before noding
    Geom polygon; // union of its villages
    std::vector<std::size_t> villages;
    std::vector<Point> villageSeeds; // in the order of `villages`
    std::size_t seat = 0;
};

struct County {
    Geom outline;
    Point centre;
    std::vector<Township> townships;
    std::vector<Village> villages;
    Geom river, road;         // centre lines inside the county
    Geom riverBand, roadBand; // their surfaces
    std::vector<Blob> redlines;
    std::size_t slivers = 0; // faces under 1 m² (should stay 0)
    std::size_t relocatingCount() const {
        return static_cast<std::size_t>(std::count_if(
            villages.begin(), villages.end(), [](const Village& v) { return v.relocating; }));
    }
};

// An ellipse with a few random harmonics: an outline without straight edges.
Geom makeOutline(Rng& rng, Point centre) {
    constexpr std::array<std::pair<int, double>, 5> harmonics{
        {{2, 0.05}, {3, 0.05}, {5, 0.025}, {8, 0.012}, {13, 0.006}}};
    std::array<double, harmonics.size()> phase{};
    for (auto& p : phase)
        p = rng.uniform(0, 2 * std::numbers::pi);
    std::vector<Point> ring;
    constexpr int vertices = 360;
    for (int i = 0; i < vertices; ++i) {
        const double t = 2 * std::numbers::pi * i / vertices;
        const double c = std::cos(t), s = std::sin(t);
        double r = 1.0 / std::hypot(c / kCountyHalfWidth, s / kCountyHalfHeight);
        double wave = 1.0;
        for (std::size_t h = 0; h < harmonics.size(); ++h)
            wave += harmonics[h].second * std::sin(harmonics[h].first * t + phase[h]);
        r *= wave;
        ring.push_back({mm(centre.x + r * c), mm(centre.y + r * s)});
    }
    return county::polygon(ring);
}

// West and east ends of the outline on the parallel y.
std::pair<double, double> widthAt(const GEOSGeometry& outline, double y) {
    const Rect e = envelopeOf(outline);
    const std::array<Point, 2> pts{{{e.minx - 10, y}, {e.maxx + 10, y}}};
    const Geom cut = county::intersection(*county::line(pts), outline);
    const Rect c = envelopeOf(*cut);
    return {c.minx, c.maxx};
}

std::size_t nearest(std::span<const Point> seeds, Point p) {
    std::size_t best = 0;
    double bestD = std::numeric_limits<double>::max();
    for (std::size_t i = 0; i < seeds.size(); ++i) {
        const double d =
            (seeds[i].x - p.x) * (seeds[i].x - p.x) + (seeds[i].y - p.y) * (seeds[i].y - p.y);
        if (d < bestD) {
            bestD = d;
            best = i;
        }
    }
    return best;
}

// Voronoi cells of the seeds clipped to `area`, in the order of the seeds.
std::vector<Geom> voronoiCells(std::span<const Point> seeds, const GEOSGeometry& area) {
    const Geom extent = county::buffer(area, 2000);
    const Geom cells = county::voronoi(seeds, *extent, false);
    std::vector<Geom> out(seeds.size());
    for (const auto* cell : county::parts(*cells))
        for (std::size_t i = 0; i < seeds.size(); ++i)
            if (!out[i] && county::contains(*cell, seeds[i])) {
                out[i] = county::intersection(*cell, area);
                break;
            }
    for (std::size_t i = 0; i < seeds.size(); ++i)
        if (!out[i])
            throw std::logic_error("a Voronoi cell lost its seed");
    return out;
}

// Voronoi edges of the seeds inside `area`.
Geom voronoiEdges(std::span<const Point> seeds, const GEOSGeometry& area) {
    const Geom extent = county::buffer(area, 2000);
    return county::intersection(*county::voronoi(seeds, *extent, true), area);
}

Point randomPointIn(Rng& rng, const GEOSGeometry& area) {
    const Rect e = envelopeOf(area);
    for (int attempt = 0; attempt < 10'000; ++attempt) {
        const Point p{rng.uniform(e.minx, e.maxx), rng.uniform(e.miny, e.maxy)};
        if (county::contains(area, p))
            return p;
    }
    throw std::logic_error("no random point found in an area");
}

// Village seeds of a township: random points, then Lloyd relaxation so that villages come out of
// similar size and roundish, like administrative villages grown around their hamlets.
std::vector<Point> villageSeeds(Rng& rng, const GEOSGeometry& township, int count) {
    std::vector<Point> seeds;
    for (int i = 0; i < count; ++i)
        seeds.push_back(randomPointIn(rng, township));
    for (int iteration = 0; iteration < 3; ++iteration) {
        const auto cells = voronoiCells(seeds, township);
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            const Point c = county::centroid(*cells[i]);
            if (county::contains(township, c))
                seeds[i] = c;
        }
    }
    return seeds;
}

// A wandering line across the county from south to north.
std::vector<Point> meander(Rng& rng, const Rect& e, double x0, double x1, double amplitude) {
    const double p1 = rng.uniform(0, 2 * std::numbers::pi),
                 p2 = rng.uniform(0, 2 * std::numbers::pi),
                 p3 = rng.uniform(0, 2 * std::numbers::pi);
    const double y0 = e.miny - 1000, y1 = e.maxy + 1000;
    const int steps = static_cast<int>((y1 - y0) / 40.0);
    std::vector<Point> pts;
    for (int i = 0; i <= steps; ++i) {
        const double t = static_cast<double>(i) / steps;
        const double x = x0 + (x1 - x0) * t +
                         amplitude * std::sin(2 * std::numbers::pi * 1.3 * t + p1) +
                         0.3 * amplitude * std::sin(2 * std::numbers::pi * 5.0 * t + p2) +
                         0.08 * amplitude * std::sin(2 * std::numbers::pi * 13.0 * t + p3);
        pts.push_back({mm(x), mm(y0 + (y1 - y0) * t)});
    }
    return pts;
}

// Per township in the sample: 2 × weight villages, one fewer for some of the larger ones. A
// scaled county multiplies that by the village scale.
int villageCount(Rng& rng, const TownshipSpec& spec, double villageScale) {
    if (villageScale == 1.0)
        return 2 * spec.weight - (2 * spec.weight >= 6 ? rng.integer(0, 1) : 0);
    return std::max(2, static_cast<int>(std::lround(2 * spec.weight * villageScale * 0.92)));
}

void placeTownships(Rng& rng, County& county) {
    const Rect e = envelopeOf(*county.outline);
    for (int row = 0; row < 3; ++row) {
        std::vector<Township*> members;
        for (auto& t : county.townships)
            if (t.spec->row == row)
                members.push_back(&t);
        const double top = e.maxy - kRowEdges[row] * e.height();
        const double bottom = e.maxy - kRowEdges[row + 1] * e.height();
        std::vector<double> weights;
        for (auto* t : members)
            weights.push_back(t->spec->weight * rng.uniform(0.85, 1.15));
        const double total = std::accumulate(weights.begin(), weights.end(), 0.0);
        double before = 0;
        for (std::size_t j = 0; j < members.size(); ++j) {
            const double y = (top + bottom) / 2 + rng.uniform(-0.15, 0.15) * (top - bottom);
            const auto [west, east] = widthAt(*county.outline, y);
            const double span = (east - west) * 0.9;
            const double x =
                west + 0.05 * (east - west) +
                span * (before + weights[j] * (0.5 + rng.uniform(-0.12, 0.12))) / total;
            members[j]->seed = {mm(x), mm(y)};
            before += weights[j];
        }
    }
    std::vector<Point> seeds;
    for (const auto& t : county.townships)
        seeds.push_back(t.seed);
    auto cells = voronoiCells(seeds, *county.outline);
    for (std::size_t i = 0; i < cells.size(); ++i) {
        if (!county::isPolygon(*cells[i]))
            throw std::logic_error(
                fmt::format("township {} is not one polygon", county.townships[i].spec->name));
        county.townships[i].raw = std::move(cells[i]);
    }
}

// The boundary lines of every township and village and of the river and road surfaces, noded
// together; each face is assigned to the village whose seed is nearest (Voronoi).
void buildVillageFaces(County& county) {
    std::vector<Geom> lines;
    lines.push_back(county::boundary(*county.outline));
    std::vector<Point> townshipSeeds;
    for (const auto& t : county.townships)
        townshipSeeds.push_back(t.seed);
    lines.push_back(voronoiEdges(townshipSeeds, *county.outline));
    for (const auto& t : county.townships)
        lines.push_back(voronoiEdges(t.villageSeeds, *t.raw));
    for (const auto* band : {county.riverBand.get(), county.roadBand.get()})
        lines.push_back(county::intersection(*county::boundary(*band), *county.outline));
    std::vector<Geom> dense;
    for (const auto& l : lines)
        dense.push_back(county::densify(*l, kBoundaryStep));
    const Geom all = county::collection(std::move(dense));

    std::vector<std::vector<Geom>> facesOf(county.villages.size());
    for (auto& face : county::faces(*all)) {
        const Point p = county::pointOnSurface(*face);
        if (county::area(*face) < 1.0)
            ++county.slivers;
        const Township& t = county.townships[nearest(townshipSeeds, p)];
        const std::size_t vi = t.villages[nearest(t.villageSeeds, p)];
        Village& v = county.villages[vi];
        if (county::contains(*county.roadBand, p))
            v.corridor.emplace_back(county::clone(*face), "1003");
        else if (county::contains(*county.riverBand, p))
            v.corridor.emplace_back(county::clone(*face), "1101");
        else
            v.land.push_back(county::clone(*face));
        facesOf[vi].push_back(std::move(face));
    }
    for (auto& v : county.villages) {
        if (v.land.empty())
            throw std::logic_error(
                fmt::format("village {} has no land outside river and road", v.code));
        std::vector<const GEOSGeometry*> parts;
        for (const auto& f : facesOf[v.index])
            parts.push_back(f.get());
        v.polygon = county::coverageUnion(parts);
        if (!county::isPolygon(*v.polygon))
            throw std::logic_error(fmt::format("village {} is not one polygon", v.code));
        for (std::size_t i = 1; i < v.land.size(); ++i)
            if (county::area(*v.land[i]) > county::area(*v.land[v.mainLand]))
                v.mainLand = i;
    }
    for (auto& t : county.townships) {
        std::vector<const GEOSGeometry*> parts;
        for (std::size_t vi : t.villages)
            parts.push_back(county.villages[vi].polygon.get());
        t.polygon = county::coverageUnion(parts);
        if (!county::isPolygon(*t.polygon))
            throw std::logic_error(fmt::format("township {} is not one polygon", t.spec->name));
    }
}

County layoutCounty(std::uint64_t seed, Point centre, double villageScale) {
    Rng rng(streamSeed(seed, Stream::Layout));
    County county;
    county.centre = centre;
    county.outline = makeOutline(rng, centre);
    for (const auto& spec : kTownships)
        county.townships.push_back(Township{&spec, {}, nullptr, nullptr, {}, {}, 0});
    placeTownships(rng, county);

    VillageNames names(rng);
    for (std::size_t ti = 0; ti < county.townships.size(); ++ti) {
        Township& t = county.townships[ti];
        auto seeds = villageSeeds(rng, *t.raw, villageCount(rng, *t.spec, villageScale));
        // Codes run north to south, then west to east.
        std::sort(seeds.begin(), seeds.end(), [](Point a, Point b) {
            return std::make_pair(-std::round(a.y / 1000), a.x) <
                   std::make_pair(-std::round(b.y / 1000), b.x);
        });
        if (seeds.size() > 999)
            throw std::runtime_error("too many villages per township for 3-digit village codes");
        for (const Point& s : seeds) {
            Village v;
            v.township = static_cast<int>(ti);
            v.index = county.villages.size();
            v.code = fmt::format("{}{:03d}", t.spec->code, t.villages.size() + 1);
            v.name = names.name(v.index);
            v.seed = {mm(s.x), mm(s.y)};
            v.orientation = rng.uniform(0, std::numbers::pi);
            t.villages.push_back(v.index);
            t.villageSeeds.push_back(v.seed);
            county.villages.push_back(std::move(v));
        }
        // The town seat is the village nearest the township's centre.
        t.seat = t.villages[nearest(t.villageSeeds, county::centroid(*t.raw))];
        county.villages[t.seat].seat = true;
    }

    // Relocating villages, all in the south: in the sample one per southern township and one more
    // in the five with most villages (16); a scaled county relocates about 30 % of them.
    std::vector<std::size_t> south;
    for (std::size_t ti = 0; ti < county.townships.size(); ++ti)
        if (county.townships[ti].spec->region == Region::South)
            south.push_back(ti);
    std::vector<std::size_t> bySize = south;
    std::stable_sort(bySize.begin(), bySize.end(), [&](std::size_t a, std::size_t b) {
        return county.townships[a].villages.size() > county.townships[b].villages.size();
    });
    for (std::size_t ti : south) {
        Township& t = county.townships[ti];
        const int n = static_cast<int>(t.villages.size());
        int relocating =
            villageScale == 1.0
                ? 1 + (std::find(bySize.begin(), bySize.begin() + 5, ti) != bySize.begin() + 5 ? 1
                                                                                               : 0)
                : static_cast<int>(std::lround(0.3 * n));
        relocating = std::clamp(relocating, 1, n - 1);
        for (int chosen = 0; chosen < relocating;) {
            Village& v =
                county.villages[t.villages[static_cast<std::size_t>(rng.integer(0, n - 1))]];
            if (!v.seat && !v.relocating) {
                v.relocating = true;
                ++chosen;
            }
        }
    }

    // The river flows north through the county (as the 武义江 does); the main road runs north to
    // south a little east of it and crosses it.
    const Rect e = envelopeOf(*county.outline);
    const auto river = meander(rng, e, centre.x - 5000, centre.x + 3000, 1800);
    const auto road = meander(rng, e, centre.x + 2500, centre.x - 4000, 1200);
    county.river = county::intersection(*county::line(river), *county.outline);
    county.road = county::intersection(*county::line(road), *county.outline);
    county.riverBand = county::intersection(*county::buffer(*county::line(river), kRiverHalfWidth),
                                            *county.outline);
    county.roadBand =
        county::intersection(*county::buffer(*county::line(road), kRoadHalfWidth), *county.outline);
    buildVillageFaces(county);

    // Which relocating villages get a farmland block / red line across their construction
    // cluster, so that clipping matters (deterministic pattern, at least one of each).
    std::size_t k = 0;
    for (auto& v : county.villages) {
        if (!v.relocating)
            continue;
        v.farmlandIntoSettlement = k % 5 == 1;
        v.redlineOverSettlement = k % 7 == 3;
        ++k;
    }
    return county;
}

// ---------------------------------------------------------------------------------------------
// Settlements: a cluster of jittered grid cells around the village centre

struct SizingTargets {
    double parcelScale = 1.0;          // b: parcels per village relative to the sample
    double villageScale = 1.0;         // villages relative to the sample
    double relocatingConstruction = 0; // m² of construction land per relocating village
};

SettlementStyle styleOf(const Village& v, const Township& t) {
    if (t.spec->region == Region::North)
        return v.seat ? SettlementStyle::TownSeat : SettlementStyle::NorthVillage;
    return SettlementStyle::Village;
}

// Lane sizes of the settlement grid: cells with a street lane every `every` cells.
std::vector<std::pair<double, bool>> settlementLanes(Rng& rng, int cells, double cell, int every) {
    std::vector<std::pair<double, bool>> lanes; // size, is a street
    for (int i = 0; i < cells; ++i) {
        lanes.emplace_back(rng.uniform(0.8, 1.2) * cell, false);
        if ((i + 1) % every == 0 && i + 1 < cells)
            lanes.emplace_back(rng.uniform(5.0, 8.0), true);
    }
    return lanes;
}

void planSettlement(Village& v, const Township& t, std::uint64_t seed,
                    const SizingTargets& sizing) {
    Rng rng(streamSeed(seed, Stream::Settlement, v.index));
    const double b = sizing.parcelScale;
    const bool north = t.spec->region == Region::North;
    double target, cell; // construction area of the settlement (m²), typical cell side (m)
    if (v.relocating) {
        target = sizing.relocatingConstruction * rng.uniform(0.8, 1.2);
        cell = 34;
    } else if (v.seat) {
        target = (north ? rng.uniform(60'000, 100'000) : rng.uniform(30'000, 50'000)) * b;
        cell = north ? 50 : 40;
    } else {
        target = rng.uniform(12'000, 24'000) * b;
        cell = 38;
    }
    const GEOSGeometry& land = *v.land[v.mainLand];
    const Geom inner = county::buffer(land, -12.0);
    if (county::isEmpty(*inner))
        throw std::logic_error(fmt::format("village {} has no room for a settlement", v.code));
    Settlement& s = v.settlement;
    s.centre =
        county::contains(*inner, v.seed) && county::distance(*county::boundary(land), v.seed) > 200
            ? v.seed
            : county::pointOnSurface(*inner);

    // A grid twice as large as needed, turned along the village's fields and jittered; the cells
    // nearest the centre (relative to a random blob shape) are taken until the target is met.
    const int side = static_cast<int>(std::ceil(std::sqrt(2.4 * target / (cell * cell)))) + 2;
    const auto cols = settlementLanes(rng, side, cell, north && v.seat ? 6 : 12);
    const auto rows = settlementLanes(rng, side, cell, 5);
    const double turn = v.orientation + rng.uniform(-0.3, 0.3);
    const double ct = std::cos(turn), st = std::sin(turn);
    auto total = [](const auto& lanes) {
        double sum = 0;
        for (const auto& l : lanes)
            sum += l.first;
        return sum;
    };
    const std::size_t nx = cols.size() + 1, ny = rows.size() + 1;
    std::vector<Point> nodes(nx * ny);
    double y = -total(rows) / 2;
    for (std::size_t j = 0; j < ny; ++j) {
        double x = -total(cols) / 2;
        for (std::size_t i = 0; i < nx; ++i) {
            const double w =
                std::min(i > 0 ? cols[i - 1].first : 1e9, i < cols.size() ? cols[i].first : 1e9);
            const double h =
                std::min(j > 0 ? rows[j - 1].first : 1e9, j < rows.size() ? rows[j].first : 1e9);
            const double dx = rng.uniform(-0.2, 0.2) * w, dy = rng.uniform(-0.2, 0.2) * h;
            const double lx = x + dx, ly = y + dy;
            nodes[j * nx + i] = {mm(s.centre.x + lx * ct - ly * st),
                                 mm(s.centre.y + lx * st + ly * ct)};
            if (i < cols.size())
                x += cols[i].first;
        }
        if (j < rows.size())
            y += rows[j].first;
    }
    const Blob shape = Blob::random(rng, s.centre, 1.0);
    struct Candidate {
        double rank;
        std::size_t i, j;
    };
    std::vector<Candidate> candidates;
    for (std::size_t j = 0; j + 1 < ny; ++j)
        for (std::size_t i = 0; i + 1 < nx; ++i) {
            const Point a = nodes[j * nx + i], c = nodes[(j + 1) * nx + i + 1];
            candidates.push_back({shape.relative({(a.x + c.x) / 2, (a.y + c.y) / 2}), i, j});
        }
    std::stable_sort(candidates.begin(), candidates.end(),
                     [](const Candidate& a, const Candidate& c) { return a.rank < c.rank; });
    std::vector<bool> street;
    for (const auto& c : candidates) {
        if (s.area >= target)
            break;
        const std::array<Point, 4> ring{nodes[c.j * nx + c.i], nodes[c.j * nx + c.i + 1],
                                        nodes[(c.j + 1) * nx + c.i + 1],
                                        nodes[(c.j + 1) * nx + c.i]};
        Geom g = county::polygon(ring);
        if (!county::within(*g, *inner))
            continue;
        s.area += county::area(*g);
        s.cells.push_back(std::move(g));
        street.push_back(cols[c.i].second || rows[c.j].second);
    }
    if (s.cells.size() < 4)
        throw std::logic_error(fmt::format("village {}: settlement has no room", v.code));

    // A school, a workshop and a green space / utility plot in every settlement; the rest by the
    // settlement's style.
    s.codes.assign(s.cells.size(), std::string_view{});
    for (std::size_t i = 0; i < s.cells.size(); ++i)
        if (street[i])
            s.codes[i] = "1004";
    for (std::string_view code :
         {std::string_view("0803"), std::string_view("0601"),
          rng.chance(0.5) ? std::string_view("0810") : std::string_view("0809")})
        for (int attempt = 0; attempt < 20; ++attempt) {
            auto& slot = s.codes[static_cast<std::size_t>(
                rng.integer(0, static_cast<int>(s.cells.size()) - 1))];
            if (slot.empty()) {
                slot = code;
                break;
            }
        }
    const SettlementStyle style = styleOf(v, t);
    for (auto& code : s.codes)
        if (code.empty())
            code = pick(rng, style == SettlementStyle::TownSeat
                                 ? std::span<const Weighted>(kTownSeatSettlement)
                             : style == SettlementStyle::NorthVillage
                                 ? std::span<const Weighted>(kNorthVillageSettlement)
                                 : std::span<const Weighted>(kVillageSettlement));
    std::vector<const GEOSGeometry*> cells;
    for (const auto& c : s.cells)
        cells.push_back(c.get());
    s.polygon = county::coverageUnion(cells);
    s.box = envelopeOf(*s.polygon);
}

// Field seeds per m² of village: the sample has about 80 fields and woods per village.
double fieldDensity(const SizingTargets& sizing) {
    return sizing.parcelScale * sizing.villageScale / 160'000.0;
}

// Parcels a village will have, roughly (fields, settlement cells, roads and river pieces).
std::size_t estimateParcels(const Village& v, const SizingTargets& sizing) {
    return static_cast<std::size_t>(county::area(*v.polygon) * fieldDensity(sizing)) +
           v.settlement.cells.size() + v.corridor.size() + 8;
}

std::size_t planSettlements(County& county, std::uint64_t seed, const SizingTargets& sizing) {
    std::size_t parcels = 0;
    for (auto& v : county.villages) {
        v.settlement = Settlement{};
        planSettlement(v, county.townships[v.township], seed, sizing);
        parcels += estimateParcels(v, sizing);
    }
    return parcels;
}

// Red-line polygons in the southern mountains: one across the construction cluster of the
// flagged relocating villages (its edge passes through the cluster, ~40 % inside), a few more
// centred on other southern villages.
void planRedlines(County& county, std::uint64_t seed) {
    Rng rng(streamSeed(seed, Stream::Redline));
    std::vector<const Village*> hosts;
    for (const auto& v : county.villages) {
        if (county.townships[v.township].spec->region != Region::South)
            continue;
        if (v.redlineOverSettlement) {
            const Rect s = v.settlement.box;
            const Point c = v.settlement.centre;
            const double half = 0.5 * std::min(s.width(), s.height());
            const double theta = rng.uniform(0, 2 * std::numbers::pi);
            Blob blob = Blob::random(rng, c, rng.uniform(700, 1300));
            const double reach = blob.r(theta + std::numbers::pi) + 0.2 * half;
            blob.centre = {c.x + reach * std::cos(theta), c.y + reach * std::sin(theta)};
            county.redlines.push_back(blob);
        } else if (!v.relocating && !v.seat) {
            hosts.push_back(&v);
        }
    }
    const std::size_t extra = std::max<std::size_t>(2, hosts.size() / 25);
    for (std::size_t i = 0; i < extra && !hosts.empty(); ++i) {
        const Village& v =
            *hosts[static_cast<std::size_t>(rng.integer(0, static_cast<int>(hosts.size()) - 1))];
        county.redlines.push_back(
            Blob::random(rng, randomPointIn(rng, *v.land[v.mainLand]), rng.uniform(600, 1200)));
    }
}

// ---------------------------------------------------------------------------------------------
// Parcels of one village

struct Parcel {
    Geom geometry;
    std::string_view dlbm, czcsxm, gdpdjb;
};

struct FieldSeed {
    Point at;
    std::string_view dlbm, gdpdjb;
};

// Fields: Voronoi cells of seeds, denser near the settlement, computed in a frame stretched
// along the village's orientation so that fields come out long and narrow, like terraces and
// paddy strips along a valley.
struct Fields {
    std::vector<FieldSeed> seeds;
    double c = 1, s = 0; // orientation
    Geom edges;
    Point toFrame(Point p) const {
        return {(p.x * c + p.y * s) / kFieldStretch, -p.x * s + p.y * c};
    }
    Point fromFrame(Point q) const {
        const double x = q.x * kFieldStretch;
        return {x * c - q.y * s, x * s + q.y * c};
    }
    const FieldSeed& at(Point p) const {
        const Point q = toFrame(p);
        std::size_t best = 0;
        double bestD = std::numeric_limits<double>::max();
        for (std::size_t i = 0; i < seeds.size(); ++i) {
            const Point f = toFrame(seeds[i].at);
            const double d = (f.x - q.x) * (f.x - q.x) + (f.y - q.y) * (f.y - q.y);
            if (d < bestD) {
                bestD = d;
                best = i;
            }
        }
        return seeds[best];
    }
};

Fields makeFields(Rng& rng, const Village& v, Region region, const SizingTargets& sizing) {
    Fields f;
    f.c = std::cos(v.orientation);
    f.s = std::sin(v.orientation);
    const double villageArea = county::area(*v.polygon);
    const int count = std::max(12, static_cast<int>(villageArea * fieldDensity(sizing)));
    const double rv = std::sqrt(villageArea / std::numbers::pi);
    const double rs = std::sqrt(v.settlement.area / std::numbers::pi) + 30;
    const Rect e = envelopeOf(*v.polygon);
    for (int i = 0, attempts = 0; i < count && attempts < 50 * count; ++attempts) {
        Point p;
        if (rng.chance(0.5)) { // around the settlement: smaller fields near the houses
            const double r = rs + 1.2 * rv * rng.uniform();
            const double a = rng.uniform(0, 2 * std::numbers::pi);
            p = {v.settlement.centre.x + r * std::cos(a), v.settlement.centre.y + r * std::sin(a)};
        } else {
            p = {rng.uniform(e.minx, e.maxx), rng.uniform(e.miny, e.maxy)};
        }
        if (!county::contains(*v.polygon, p))
            continue;
        ++i;
        const double rho = dist(p, v.settlement.centre) / rv;
        FieldSeed seed{p, {}, ""};
        if (region == Region::North)
            seed.dlbm = rho < 0.7 ? pick(rng, kNorthFields) : pick(rng, kSouthOuterFields);
        else
            seed.dlbm = rho < 0.3    ? pick(rng, kSouthInnerFields)
                        : rho < 0.55 ? pick(rng, rng.chance(0.5)
                                                     ? std::span<const Weighted>(kSouthInnerFields)
                                                     : std::span<const Weighted>(kSouthOuterFields))
                                     : pick(rng, kSouthOuterFields);
        if (isArable(seed.dlbm))
            seed.gdpdjb =
                pick(rng, region == Region::North ? std::span<const Weighted>(kNorthSlopes)
                                                  : std::span<const Weighted>(kSouthSlopes));
        f.seeds.push_back(seed);
    }
    std::vector<Point> framed;
    for (const auto& s : f.seeds)
        framed.push_back(f.toFrame(s.at));
    std::vector<Point> box;
    for (const auto& corner : {Point{e.minx, e.miny}, Point{e.maxx, e.miny}, Point{e.maxx, e.maxy},
                               Point{e.minx, e.maxy}})
        box.push_back(f.toFrame(corner));
    const Geom frameArea = county::buffer(*county::multiPoint(box), rv);
    const Geom edges = county::voronoi(framed, *frameArea, true);
    std::vector<Geom> back;
    for (const auto* l : county::parts(*edges)) {
        auto pts = county::coordinates(*l);
        for (auto& p : pts)
            p = f.fromFrame(p);
        back.push_back(county::line(pts));
    }
    f.edges = county::collection(std::move(back), GEOS_MULTILINESTRING);
    return f;
}

// Field roads (1006): a few wandering lines from the settlement outwards.
Geom makeFieldRoads(Rng& rng, const Village& v) {
    const Rect e = envelopeOf(*v.polygon);
    const double reach = std::hypot(e.width(), e.height());
    const int count = rng.integer(2, 4);
    std::vector<Geom> roads;
    for (int i = 0; i < count; ++i) {
        double heading = v.orientation + 2 * std::numbers::pi * i / count + rng.uniform(-0.4, 0.4);
        std::vector<Point> pts{v.settlement.centre};
        for (double run = 0; run < reach; run += 60) {
            heading += rng.uniform(-0.25, 0.25);
            pts.push_back({mm(pts.back().x + 60 * std::cos(heading)),
                           mm(pts.back().y + 60 * std::sin(heading))});
        }
        roads.push_back(county::line(pts));
    }
    return county::buffer(*county::collection(std::move(roads), GEOS_MULTILINESTRING),
                          kFieldRoadHalfWidth);
}

// Lines that end on a face's boundary are moved to end on its nearest boundary vertex, so that
// noding never has to bend the boundary (shared with the neighbouring village) to meet them.
Geom snapEndsToBoundary(const GEOSGeometry& lines, const GEOSGeometry& face) {
    std::vector<Point> vertices;
    for (const auto& ring : county::rings(face))
        vertices.insert(vertices.end(), ring.begin(), ring.end());
    const Geom edge = county::boundary(face);
    std::vector<Geom> out;
    for (const auto* part : county::parts(lines)) {
        if (GEOSGeomTypeId_r(county::geos(), part) != GEOS_LINESTRING)
            continue;
        auto pts = county::coordinates(*part);
        for (Point* end : {&pts.front(), &pts.back()})
            if (county::distance(*edge, *end) < 1e-6)
                *end = vertices[nearest(vertices, *end)];
        pts.erase(std::unique(pts.begin(), pts.end(),
                              [](Point a, Point b) { return a.x == b.x && a.y == b.y; }),
                  pts.end());
        if (pts.size() >= 2)
            out.push_back(county::line(pts));
    }
    return county::collection(std::move(out), GEOS_MULTILINESTRING);
}

struct ParcelStats {
    double facesArea = 0, parcelsArea = 0;
    std::size_t slivers = 0;
};

std::vector<Parcel> makeParcels(const Village& v, const Township& t, std::uint64_t seed,
                                const SizingTargets& sizing, ParcelStats& stats) {
    Rng rng(streamSeed(seed, Stream::Fields, v.index));
    const Region region = t.spec->region;
    const SettlementStyle style = styleOf(v, t);
    const std::string_view settlementClass = style == SettlementStyle::TownSeat ? "202" : "203";
    const Fields fields = makeFields(rng, v, region, sizing);
    const Geom roads = makeFieldRoads(rng, v);
    const Settlement& s = v.settlement;

    std::vector<Parcel> parcels;
    for (const auto& [face, code] : v.corridor)
        parcels.push_back({county::clone(*face), code, "", ""});
    for (std::size_t li = 0; li < v.land.size(); ++li) {
        const GEOSGeometry& face = *v.land[li];
        const bool main = li == v.mainLand;
        Geom faceRoads = county::intersection(*roads, *county::buffer(face, -10.0));
        if (main)
            faceRoads = county::difference(*faceRoads, *s.polygon);
        const Geom blockers = main ? county::unaryUnion(*county::collection([&] {
            std::vector<Geom> b;
            b.push_back(county::clone(*s.polygon));
            b.push_back(county::clone(*faceRoads));
            return b;
        }()))
                                   : county::clone(*faceRoads);
        const Geom edges =
            county::difference(*county::intersection(*fields.edges, face), *blockers);
        std::vector<Geom> lines;
        lines.push_back(county::boundary(face));
        lines.push_back(snapEndsToBoundary(*edges, face));
        if (!county::isEmpty(*faceRoads))
            lines.push_back(county::boundary(*faceRoads));
        if (main)
            for (const auto& c : s.cells)
                lines.push_back(county::boundary(*c));
        stats.facesArea += county::area(face);
        for (auto& piece : county::faces(*county::collection(std::move(lines)))) {
            const double a = county::area(*piece);
            stats.parcelsArea += a;
            if (a < 1.0)
                ++stats.slivers;
            const Point p = county::pointOnSurface(*piece);
            Parcel parcel{std::move(piece), {}, "", ""};
            bool placed = false;
            if (main && county::contains(*s.polygon, p))
                for (std::size_t i = 0; i < s.cells.size() && !placed; ++i)
                    if (county::contains(*s.cells[i], p)) {
                        parcel.dlbm = s.codes[i];
                        if (parcel.dlbm != "1104")
                            parcel.czcsxm = settlementClass;
                        placed = true;
                    }
            if (!placed && county::contains(*faceRoads, p)) {
                parcel.dlbm = "1006";
                placed = true;
            }
            if (!placed) {
                const FieldSeed& f = fields.at(p);
                parcel.dlbm = f.dlbm;
                parcel.gdpdjb = f.gdpdjb;
            }
            parcels.push_back(std::move(parcel));
        }
    }
    for (const auto& [face, code] : v.corridor) {
        stats.facesArea += county::area(*face);
        stats.parcelsArea += county::area(*face);
    }
    return parcels;
}

// Permanent basic farmland over a village's arable fields of slope class 1-3 (the union of those
// parcels, so it follows parcel edges), plus, for flagged relocating villages, a block reaching
// into the south-west of the construction cluster: some homesteads wholly inside, some cut.
std::vector<Geom> makeFarmland(const Village& v, const std::vector<Parcel>& parcels) {
    std::vector<Geom> arable;
    for (const auto& p : parcels)
        if (isArable(p.dlbm) && p.gdpdjb <= "3")
            arable.push_back(county::clone(*p.geometry));
    if (v.farmlandIntoSettlement) {
        const Rect& box = v.settlement.box;
        arable.push_back(rectangle({box.minx - 80, box.miny - 80, box.minx + 0.35 * box.width(),
                                    (box.miny + box.maxy) / 2}));
    }
    std::vector<Geom> out;
    if (arable.empty())
        return out;
    const Geom merged = county::unaryUnion(*county::collection(std::move(arable)));
    for (const auto* part : county::parts(*merged))
        if (county::isPolygon(*part))
            out.push_back(county::clone(*part));
    return out;
}

// The engine's reclaimable area of one parcel: construction land with CZCSXM 203, minus red line
// and farmland, pieces below 50 m² dropped.
double reclaimableArea(const Parcel& p, std::span<const GEOSGeometry* const> constraints) {
    if (!isReclaimableCode(p.dlbm) || p.czcsxm != "203")
        return 0.0;
    Geom rest = county::clone(*p.geometry);
    for (const auto* c : constraints) {
        if (!county::intersects(*rest, *c))
            continue;
        rest = county::difference(*rest, *c);
        if (county::isEmpty(*rest))
            return 0.0;
    }
    return areaOfPieces(*rest, kMinReclaimPiece);
}

// A free spot for a rectangle of `area` m² near a village's settlement: inside its main land
// face, clear of its settlement, of corridors and of rectangles already placed; null if none.
Geom placeNear(Rng& rng, const Village& v, double area, std::vector<Geom>& taken) {
    const double aspect = rng.uniform(1.0, 1.6);
    const double w = mm(std::sqrt(area * aspect)), h = mm(area / w);
    const Geom inner = county::buffer(*v.land[v.mainLand], -5.0);
    const double start = std::sqrt(v.settlement.area / std::numbers::pi) + 20;
    const double phase = rng.uniform(0, 2 * std::numbers::pi);
    const Point c = v.settlement.centre;
    for (int ring = 0; ring < 80; ++ring) {
        const double r = start + ring * 30 + std::max(w, h) / 2;
        for (int k = 0; k < 24; ++k) {
            const double a = phase + 2 * std::numbers::pi * k / 24;
            const Point at{mm(c.x + r * std::cos(a) - w / 2), mm(c.y + r * std::sin(a) - h / 2)};
            Geom rect = rectangle({at.x, at.y, at.x + w, at.y + h});
            if (!county::within(*rect, *inner) || county::intersects(*rect, *v.settlement.polygon))
                continue;
            if (std::any_of(taken.begin(), taken.end(),
                            [&](const Geom& g) { return county::intersects(*rect, *g); }))
                continue;
            taken.push_back(county::clone(*rect));
            return rect;
        }
    }
    return nullptr;
}

// The first village of `candidates` with room for the rectangle (small villages of a large
// county may have none next to their settlement).
Geom placeInOneOf(Rng& rng, const County& county, std::span<const std::size_t> candidates,
                  double area, std::vector<std::vector<Geom>>& taken) {
    for (std::size_t vi : candidates)
        if (Geom g = placeNear(rng, county.villages[vi], area, taken[vi]))
            return g;
    throw std::logic_error(fmt::format("no room for a {:.0f} m² site near village {}", area,
                                       county.villages[candidates.front()].code));
}
// ---------------------------------------------------------------------------------------------
// GeoPackage output

struct FieldSpec {
    const char* name;
    OGRFieldType type;
    int width;
};

class LayerWriter {
  public:
    LayerWriter(GDALDataset& ds, OGRSpatialReference& srs, const char* name,
                const char* description, std::span<const FieldSpec> fields,
                OGRwkbGeometryType type = wkbPolygon) {
        const std::string desc = fmt::format("DESCRIPTION={}", description);
        const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", desc.c_str(),
                                 nullptr};
        layer_ = ds.CreateLayer(name, &srs, type, const_cast<char**>(options));
        if (!layer_)
            throw std::runtime_error(
                fmt::format("cannot create layer {}: {}", name, CPLGetLastErrorMsg()));
        for (const auto& f : fields) {
            OGRFieldDefn defn(f.name, f.type);
            if (f.width > 0)
                defn.SetWidth(f.width);
            if (f.type == OFTReal)
                defn.SetPrecision(2);
            if (layer_->CreateField(&defn) != OGRERR_NONE)
                throw std::runtime_error(fmt::format("cannot create field {}.{}: {}", name, f.name,
                                                     CPLGetLastErrorMsg()));
        }
        feature_ = std::make_unique<OGRFeature>(layer_->GetLayerDefn());
        name_ = name;
    }

    OGRFeature& feature() { return *feature_; }
    int field(const char* name) const {
        const int i = feature_->GetFieldIndex(name);
        if (i < 0)
            throw std::logic_error(fmt::format("no field {} in layer {}", name, name_));
        return i;
    }

    // Writes the prepared attributes with this geometry; returns false if the geometry is invalid
    // (written anyway so that it can be inspected; the caller fails the run).
    bool write(const OGRGeometry& geometry) {
        const bool valid = geometry.IsValid();
        feature_->SetFID(OGRNullFID);
        feature_->SetGeometry(&geometry);
        if (layer_->CreateFeature(feature_.get()) != OGRERR_NONE)
            throw std::runtime_error(
                fmt::format("cannot write to layer {}: {}", name_, CPLGetLastErrorMsg()));
        ++count_;
        return valid;
    }
    std::size_t count() const { return count_; }

  private:
    OGRLayer* layer_ = nullptr;
    std::unique_ptr<OGRFeature> feature_;
    std::string name_;
    std::size_t count_ = 0;
};

// Commits every kTransactionSize features so that large counties stream to disk.
class Batch {
  public:
    explicit Batch(GDALDataset& ds) : ds_(ds) { begin(); }
    void tick() {
        if (++pending_ >= kTransactionSize) {
            commit();
            begin();
        }
    }
    void finish() { commit(); }

  private:
    void begin() {
        if (ds_.StartTransaction() != OGRERR_NONE)
            throw std::runtime_error(
                fmt::format("cannot start transaction: {}", CPLGetLastErrorMsg()));
        pending_ = 0;
    }
    void commit() {
        if (ds_.CommitTransaction() != OGRERR_NONE)
            throw std::runtime_error(
                fmt::format("cannot commit transaction: {}", CPLGetLastErrorMsg()));
    }
    GDALDataset& ds_;
    int pending_ = 0;
};

// ---------------------------------------------------------------------------------------------
// Generation

struct Checks {
    std::size_t invalid = 0;
    std::size_t tilingMismatches = 0; // parcels, villages or townships whose pieces do not add up
    std::size_t slivers = 0;          // faces under 1 m²
};

struct VillageOutcome {
    double construction = 0; // reclaimable-code construction area before clipping, m²
    double reclaim = 0;      // after clipping, m²
    double resettlement = 0; // m²
};

struct Resettlement {
    Geom geometry;
    std::string azbh, zldwdm, name;
};

Point wuyiCentre() {
    OGRSpatialReference geographic, projected;
    if (geographic.importFromEPSG(4490) != OGRERR_NONE ||
        projected.importFromEPSG(4549) != OGRERR_NONE)
        throw std::runtime_error(
            "cannot load EPSG:4490 / EPSG:4549 (is PROJ's database installed?)");
    geographic.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    projected.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);
    std::unique_ptr<OGRCoordinateTransformation> transform(
        OGRCreateCoordinateTransformation(&geographic, &projected));
    if (!transform)
        throw std::runtime_error("cannot create EPSG:4490 -> EPSG:4549 transformation");
    double x = 119.8, y = 28.9; // lon, lat of Wuyi
    if (!transform->Transform(1, &x, &y))
        throw std::runtime_error("cannot project the county centre");
    return {mm(x), mm(y)};
}

// Resettlement sites: one per relocating village (sometimes split in two), in non-relocating
// Resettlement sites: one per relocating village (sometimes split in two), in non-relocating
// villages of the same township, beside the host's settlement.
std::vector<Resettlement> planResettlement(const County& county, std::uint64_t seed,
                                           std::vector<VillageOutcome>& outcomes,
                                           std::vector<std::vector<Geom>>& taken) {
    Rng rng(streamSeed(seed, Stream::Resettlement));
    std::vector<Resettlement> sites;
    for (const auto& t : county.townships) {
        std::vector<std::size_t> hosts{t.seat};
        for (std::size_t v : t.villages)
            if (!county.villages[v].relocating && v != t.seat)
                hosts.push_back(v);
        std::size_t next = 0;
        for (std::size_t vi : t.villages) {
            const Village& v = county.villages[vi];
            if (!v.relocating)
                continue;
            const double total = outcomes[vi].reclaim * rng.uniform(0.22, 0.33);
            // A cluster wholly under the red line / farmland frees nothing and houses no one.
            if (outcomes[vi].reclaim < kMinSiteReclaim)
                continue;
            const bool split = hosts.size() > 1 && rng.chance(0.2);
            const std::vector<double> shares =
                split ? std::vector<double>{0.6, 0.4} : std::vector<double>{1.0};
            for (std::size_t s = 0; s < shares.size(); ++s) {
                std::vector<std::size_t> order; // the next host first, then the others
                for (std::size_t h = 0; h < hosts.size(); ++h)
                    order.push_back(hosts[(next + h) % hosts.size()]);
                ++next;
                Resettlement site;
                site.geometry = placeInOneOf(rng, county, order, total * shares[s], taken);
                site.azbh = fmt::format("AZ{}-{}", v.code, s + 1);
                site.zldwdm = v.code;
                site.name = fmt::format("{}安置区{}", v.name, s == 0 ? "" : "二期");
                outcomes[vi].resettlement += county::area(*site.geometry);
                sites.push_back(std::move(site));
            }
        }
    }
    return sites;
}

void printSummary(const County& county, const std::vector<VillageOutcome>& outcomes,
                  const std::array<std::size_t, 6>& counts, const Checks& checks) {
    fmt::print(
        "  townships    {:>9}\n  villages     {:>9}  ({} relocating, all in the south)\n"
        "  parcels      {:>9}\n  redline      {:>9}\n  farmland     {:>9}\n  resettlement {:>9}\n",
        counts[0], counts[1], county.relocatingCount(), counts[2], counts[3], counts[4], counts[5]);
    fmt::print("  geometry checks: {} invalid, {} tiling mismatches, {} faces under 1 m²\n",
               checks.invalid, checks.tilingMismatches, checks.slivers);
    fmt::print("  south freed-quota estimate (planar; construction 0702/0601/0602/08xx/1004 with "
               "CZCSXM 203\n"
               "  in relocating villages, minus redline and farmland, pieces < {} m² dropped):\n",
               kMinReclaimPiece);
    fmt::print("    {:<10} {:>5} {:>14} {:>14} {:>14} {:>14} {:>10}\n", "LM", "vill.",
               "construction", "reclaim m²", "resettle m²", "freed m²", "freed mu");
    VillageOutcome total;
    std::size_t totalVillages = 0;
    auto row = [](std::string_view name, std::size_t n, const VillageOutcome& o) {
        const double freed = o.reclaim - o.resettlement;
        // CJK characters are two columns wide in a terminal: pad by display width.
        const std::size_t glyphs =
            static_cast<std::size_t>(std::count_if(name.begin(), name.end(), [](char ch) {
                return (static_cast<unsigned char>(ch) & 0xC0) != 0x80;
            }));
        fmt::print("    {}{:<{}} {:>5} {:>14.2f} {:>14.2f} {:>14.2f} {:>14.2f} {:>10.2f}\n", name,
                   "", glyphs * 2 < 10 ? 10 - glyphs * 2 : 0, n, o.construction, o.reclaim,
                   o.resettlement, freed, freed / kSquareMetresPerMu);
    };
    for (std::string_view alliance : {"熟溪联盟", "柳城联盟", "王宅联盟", "桃溪联盟"}) {
        VillageOutcome sum;
        std::size_t n = 0;
        for (const auto& v : county.villages) {
            if (!v.relocating || county.townships[v.township].spec->alliance != alliance)
                continue;
            const auto& o = outcomes[v.index];
            sum.construction += o.construction;
            sum.reclaim += o.reclaim;
            sum.resettlement += o.resettlement;
            ++n;
        }
        row(alliance, n, sum);
        total.construction += sum.construction;
        total.reclaim += sum.reclaim;
        total.resettlement += sum.resettlement;
        totalVillages += n;
    }
    row("total", totalVillages, total);
    std::size_t withoutSite = 0, over = 0;
    for (const auto& v : county.villages) {
        if (!v.relocating)
            continue;
        const auto& o = outcomes[v.index];
        if (o.resettlement == 0)
            ++withoutSite;
        else if (o.resettlement >= o.reclaim)
            ++over;
    }
    if (withoutSite > 0)
        fmt::print("  note: {} relocating villages have (almost) nothing left to reclaim and no "
                   "resettlement site\n",
                   withoutSite);
    if (over > 0)
        fmt::print("  warning: {} relocating villages have resettlement >= reclaim\n", over);
}

std::filesystem::path partialPath(const std::filesystem::path& out) {
    return out.parent_path() / ("." + out.filename().string() + ".partial.gpkg");
}

bool sameArea(double a, double b) {
    return std::abs(a - b) <= 1e-6 * std::max(1.0, std::abs(b)) + 0.01;
}

int generate(const Options& options) {
    const auto started = std::chrono::steady_clock::now();
    if (!OGRGeometryFactory::haveGEOS())
        throw std::runtime_error("GDAL was built without GEOS");

    // Layout. For --parcels N, villages and parcels per village both grow by sqrt(N / sample);
    // the parcel scale is then refined so that the total comes out close to N.
    const Point centre = wuyiCentre();
    auto sampleTargets = [&](const County& c, double freedMu, double scale) {
        return SizingTargets{scale, scale,
                             freedMu * kSquareMetresPerMu /
                                 (static_cast<double>(c.relocatingCount()) *
                                  (1 - kMeanResettlementShare) * kExpectedClipKeep)};
    };
    County county = layoutCounty(options.seed, centre, 1.0);
    SizingTargets sizing = sampleTargets(county, kTargetFreedMu, 1.0);
    std::size_t planned = planSettlements(county, options.seed, sizing);
    if (options.parcels) {
        const double k = static_cast<double>(*options.parcels) / static_cast<double>(planned);
        county = layoutCounty(options.seed, centre, std::sqrt(k));
        sizing = sampleTargets(county, kTargetFreedMu * k, std::sqrt(k)); // same quota per parcel
        for (int iteration = 0; iteration < 3; ++iteration) {
            planned = planSettlements(county, options.seed, sizing);
            sizing.parcelScale *=
                static_cast<double>(*options.parcels) / static_cast<double>(planned);
        }
        planned = planSettlements(county, options.seed, sizing);
    }
    planRedlines(county, options.seed);

    // Output goes to a temporary file that is renamed at the end: no half-written FILE.
    const auto tmp = partialPath(options.out);
    std::filesystem::remove(tmp);
    GDALDriver* driver = GetGDALDriverManager()->GetDriverByName("GPKG");
    if (!driver)
        throw std::runtime_error("GDAL has no GPKG driver");
    std::unique_ptr<GDALDataset> ds(
        driver->Create(tmp.string().c_str(), 0, 0, 0, GDT_Unknown, nullptr));
    if (!ds)
        throw std::runtime_error(
            fmt::format("cannot create {}: {}", tmp.string(), CPLGetLastErrorMsg()));

    OGRSpatialReference srs;
    srs.importFromEPSG(4549);
    srs.SetAxisMappingStrategy(OAMS_TRADITIONAL_GIS_ORDER);

    constexpr std::array<FieldSpec, 4> townshipFields{{{"XZDM", OFTString, 9},
                                                       {"XZMC", OFTString, 0},
                                                       {"LM", OFTString, 0},
                                                       {"QY", OFTString, 0}}};
    // ZT: lot state (accepted / reclaimed), YSRQ: acceptance date, FKLX: what the land is reclaimed
    // to — set for relocating villages only.
    constexpr std::array<FieldSpec, 7> villageFields{{{"ZLDWDM", OFTString, 12},
                                                      {"ZLDWMC", OFTString, 0},
                                                      {"XZDM", OFTString, 9},
                                                      {"RELOCATE", OFTInteger, 0},
                                                      {"ZT", OFTString, 0},
                                                      {"YSRQ", OFTString, 10},
                                                      {"FKLX", OFTString, 0}}};
    // QLR: the household holding a homestead (0702), for split compensation.
    constexpr std::array<FieldSpec, 8> parcelFields{{{"BSM", OFTString, 18},
                                                     {"DLBM", OFTString, 4},
                                                     {"DLMC", OFTString, 0},
                                                     {"ZLDWDM", OFTString, 12},
                                                     {"CZCSXM", OFTString, 3},
                                                     {"TBMJ", OFTReal, 15},
                                                     {"GDPDJB", OFTString, 1},
                                                     {"QLR", OFTString, 0}}};
    constexpr std::array<FieldSpec, 7> siteFields{{{"XMBH", OFTString, 0},
                                                   {"XMMC", OFTString, 0},
                                                   {"XQMJ", OFTReal, 0},
                                                   {"TZE", OFTReal, 0},
                                                   {"MJSS", OFTReal, 0},
                                                   {"YXJ", OFTInteger, 0},
                                                   {"KGNF", OFTInteger, 0}}};
    constexpr std::array<FieldSpec, 1> nameField{{{"NAME", OFTString, 0}}};
    constexpr std::array<FieldSpec, 2> lineFields{{{"NAME", OFTString, 0}, {"KD", OFTReal, 0}}};
    constexpr std::array<FieldSpec, 3> resettlementFields{
        {{"AZBH", OFTString, 0}, {"ZLDWDM", OFTString, 12}, {"NAME", OFTString, 0}}};
    LayerWriter townships(*ds, srs, "townships", "乡镇 townships (synthetic geometry, real names)",
                          townshipFields);
    LayerWriter villages(*ds, srs, "villages", "行政村 villages (synthetic)", villageFields);
    LayerWriter parcels(*ds, srs, "parcels", "地类图斑 land-survey parcels (synthetic)",
                        parcelFields);
    LayerWriter redline(*ds, srs, "redline", "生态保护红线 ecological red line (synthetic)",
                        nameField);
    LayerWriter farmland(*ds, srs, "farmland", "永久基本农田 permanent basic farmland (synthetic)",
                         nameField);
    LayerWriter resettlement(*ds, srs, "resettlement", "安置区 resettlement sites (synthetic)",
                             resettlementFields);
    LayerWriter sites(*ds, srs, "sites",
                      "建新区 industrial sites asking for quota (synthetic but for 博来)",
                      siteFields);
    LayerWriter rivers(*ds, srs, "rivers", "河流 river centre line (synthetic course)", lineFields,
                       wkbLineString);
    LayerWriter roads(*ds, srs, "roads", "公路 main road centre line (synthetic)", lineFields,
                      wkbLineString);

    Checks checks;
    checks.slivers = county.slivers;
    auto check = [&](bool valid) { checks.invalid += valid ? 0 : 1; };
    // No gaps and no overlaps: the union of the pieces (a real overlay, not a coverage union) has
    // the area of the whole, and so has the sum of the pieces.
    auto tiles = [&](const std::vector<const GEOSGeometry*>& pieces, double whole) {
        double sum = 0;
        std::vector<Geom> copies;
        for (const auto* p : pieces) {
            sum += county::area(*p);
            copies.push_back(county::clone(*p));
        }
        const double united =
            county::area(*county::unaryUnion(*county::collection(std::move(copies))));
        if (!sameArea(sum, whole) || !sameArea(united, whole))
            ++checks.tilingMismatches;
    };

    // Townships, villages, red line, river and road: small, one transaction.
    Batch batch(*ds);
    std::size_t relocatingSeen = 0;
    std::vector<const GEOSGeometry*> townshipPolygons;
    for (const auto& t : county.townships) {
        auto& f = townships.feature();
        f.SetField(townships.field("XZDM"), std::string(t.spec->code).c_str());
        f.SetField(townships.field("XZMC"), std::string(t.spec->name).c_str());
        f.SetField(townships.field("LM"), std::string(t.spec->alliance).c_str());
        f.SetField(townships.field("QY"), t.spec->region == Region::North ? "北部" : "南部");
        check(townships.write(*toOgr(*t.polygon)));
        townshipPolygons.push_back(t.polygon.get());
        std::vector<const GEOSGeometry*> villagePolygons;
        for (std::size_t vi : t.villages) {
            const Village& v = county.villages[vi];
            auto& g = villages.feature();
            g.SetField(villages.field("ZLDWDM"), v.code.c_str());
            g.SetField(villages.field("ZLDWMC"), v.name.c_str());
            g.SetField(villages.field("XZDM"), std::string(t.spec->code).c_str());
            g.SetField(villages.field("RELOCATE"), v.relocating ? 1 : 0);
            if (v.relocating) {
                // Every seventh relocating village is reclaimed but not yet accepted: its quota is
                // not usable (国土资发〔2008〕138号).
                const std::size_t k = relocatingSeen++;
                g.SetField(villages.field("ZT"), k % 7 == 6 ? "reclaimed" : "accepted");
                g.SetField(villages.field("YSRQ"), fmt::format("{}-{:02d}-{:02d}", 2023 + k % 3,
                                                               1 + (k * 5) % 12, 1 + (k * 11) % 28)
                                                       .c_str());
                static constexpr std::array<const char*, 3> kTargets{"arable", "high_standard",
                                                                     "other_farmland"};
                g.SetField(villages.field("FKLX"), kTargets[k % 3]);
            } else {
                g.SetFieldNull(villages.field("ZT"));
                g.SetFieldNull(villages.field("YSRQ"));
                g.SetFieldNull(villages.field("FKLX"));
            }
            check(villages.write(*toOgr(*v.polygon)));
            villagePolygons.push_back(v.polygon.get());
        }
        tiles(villagePolygons, county::area(*t.polygon));
    }
    tiles(townshipPolygons, county::area(*county::coverageUnion(townshipPolygons)));

    std::vector<Geom> redlinePolygons;
    for (std::size_t i = 0; i < county.redlines.size(); ++i) {
        redlinePolygons.push_back(county.redlines[i].polygon());
        redline.feature().SetField(redline.field("NAME"),
                                   fmt::format("生态保护红线{:02d}", i + 1).c_str());
        check(redline.write(*toOgr(*redlinePolygons.back())));
    }
    for (auto [writer, lines, name, width] :
         {std::tuple{&rivers, county.river.get(), "武义江", 2 * kRiverHalfWidth},
          std::tuple{&roads, county.road.get(), "主干公路", 2 * kRoadHalfWidth}})
        for (const auto* part : county::parts(*lines)) {
            writer->feature().SetField(writer->field("NAME"), name);
            writer->feature().SetField(writer->field("KD"), width);
            writer->write(*toOgrLine(*part));
        }

    // Parcels and farmland, village by village, committed every kTransactionSize features.
    std::vector<VillageOutcome> outcomes(county.villages.size());
    const int bsm = parcels.field("BSM"), dlbm = parcels.field("DLBM"),
              dlmc = parcels.field("DLMC"), zldwdm = parcels.field("ZLDWDM"),
              czcsxm = parcels.field("CZCSXM"), tbmj = parcels.field("TBMJ"),
              gdpdjb = parcels.field("GDPDJB"), qlr = parcels.field("QLR"),
              fname = farmland.field("NAME");
    std::size_t sequence = 0;
    for (const auto& v : county.villages) {
        const Township& t = county.townships[v.township];
        ParcelStats stats;
        const auto villageParcels = makeParcels(v, t, options.seed, sizing, stats);
        checks.slivers += stats.slivers;
        if (!sameArea(stats.parcelsArea, county::area(*v.polygon)) ||
            !sameArea(stats.facesArea, county::area(*v.polygon)))
            ++checks.tilingMismatches;
        std::size_t homesteads = 0;
        const auto villageFarmland = makeFarmland(v, villageParcels);

        for (const auto& p : villageParcels) {
            auto& f = parcels.feature();
            const double area = county::area(*p.geometry);
            f.SetField(bsm, fmt::format("330723{:012d}", ++sequence).c_str());
            f.SetField(dlbm, std::string(p.dlbm).c_str());
            f.SetField(dlmc, std::string(landUseName(p.dlbm)).c_str());
            f.SetField(zldwdm, v.code.c_str());
            f.SetField(czcsxm, std::string(p.czcsxm).c_str());
            f.SetField(tbmj, std::round(area * 100.0) / 100.0);
            f.SetField(gdpdjb, std::string(p.gdpdjb).c_str());
            if (p.dlbm == "0702") { // one household per homestead; every ninth holds two plots
                ++homesteads;
                f.SetField(qlr,
                           fmt::format("{}-H{:03d}", v.code, homesteads - homesteads / 9).c_str());
            } else
                f.SetFieldNull(qlr);
            check(county::isValid(*p.geometry) && parcels.write(*toOgr(*p.geometry)));
            batch.tick();
        }

        for (std::size_t i = 0; i < villageFarmland.size(); ++i) {
            farmland.feature().SetField(fname, fmt::format("{}基本农田{}", v.name, i + 1).c_str());
            check(farmland.write(*toOgr(*villageFarmland[i])));
            batch.tick();
        }

        if (v.relocating) {
            std::vector<const GEOSGeometry*> constraints;
            for (const auto& r : redlinePolygons)
                constraints.push_back(r.get());
            for (const auto& f : villageFarmland)
                constraints.push_back(f.get());
            for (const auto& p : villageParcels) {
                if (isReclaimableCode(p.dlbm) && p.czcsxm == "203")
                    outcomes[v.index].construction += county::area(*p.geometry);
                outcomes[v.index].reclaim += reclaimableArea(p, constraints);
            }
        }
    }

    std::vector<std::vector<Geom>> taken(county.villages.size()); // placed rectangles per village
    for (const auto& site : planResettlement(county, options.seed, outcomes, taken)) {
        auto& f = resettlement.feature();
        f.SetField(resettlement.field("AZBH"), site.azbh.c_str());
        f.SetField(resettlement.field("ZLDWDM"), site.zldwdm.c_str());
        f.SetField(resettlement.field("NAME"), site.name.c_str());
        check(resettlement.write(*toOgr(*site.geometry)));
        batch.tick();
    }
    // Sites: a square of the demanded area beside the seat of its township (sites are planned
    // construction: they may cover fields).
    Rng siteRng(streamSeed(options.seed, Stream::Sites));
    for (const auto& spec : kSites) {
        const auto t =
            std::find_if(county.townships.begin(), county.townships.end(),
                         [&](const Township& x) { return x.spec->code == spec.township; });
        if (t == county.townships.end())
            throw std::logic_error("site township missing");
        std::vector<std::size_t> order{t->seat};
        for (std::size_t vi : t->villages)
            if (vi != t->seat)
                order.push_back(vi);
        const Geom square =
            placeInOneOf(siteRng, county, order, spec.demandMu * kSquareMetresPerMu, taken);
        auto& f = sites.feature();
        f.SetField(sites.field("XMBH"), std::string(spec.id).c_str());
        f.SetField(sites.field("XMMC"), std::string(spec.name).c_str());
        f.SetField(sites.field("XQMJ"), spec.demandMu);
        f.SetField(sites.field("TZE"), spec.investmentYuan);
        f.SetField(sites.field("MJSS"), spec.taxWanPerMu);
        f.SetField(sites.field("YXJ"), spec.priority);
        f.SetField(sites.field("KGNF"), spec.earliestYear);
        check(sites.write(*toOgr(*square)));
    }
    batch.finish();
    ds.reset(); // closes the file (builds the spatial indexes)

    if (checks.invalid > 0 || checks.tilingMismatches > 0) {
        std::filesystem::remove(tmp);
        fmt::print(
            stderr,
            "landquota-gen: error: generated {} invalid geometries and {} tiling mismatches; "
            "nothing written\n",
            checks.invalid, checks.tilingMismatches);
        return 1;
    }
    std::filesystem::rename(tmp, options.out);

    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
    fmt::print("landquota-gen: wrote {} (EPSG:4549, seed {}, {:.1f} MB) in {:.2f} s\n",
               options.out.string(), options.seed,
               static_cast<double>(std::filesystem::file_size(options.out)) / 1e6, seconds);
    const Rect e = envelopeOf(*county.outline);
    fmt::print(
        "  county centre {:.3f} E, {:.3f} N (GK of 119.8E 28.9N), extent {:.0f} x {:.0f} km, "
        "{:.0f} km²\n",
        centre.x, centre.y, e.width() / 1000, e.height() / 1000,
        county::area(*county.outline) / 1e6);
    fmt::print("  parcels planned ~{}, written {}\n", planned, parcels.count());
    printSummary(county, outcomes,
                 {townships.count(), villages.count(), parcels.count(), redline.count(),
                  farmland.count(), resettlement.count()},
                 checks);
    return 0;
}

} // namespace

int main(int argc, char** argv) {
    Options options;
    try {
        options = parseArgs(argc, argv);
    } catch (const UsageError& e) {
        fmt::print(stderr, "landquota-gen: error: {}\n\n{}", e.what(), kUsage);
        return 1;
    }
    if (std::filesystem::exists(options.out) && !options.force) {
        fmt::print(stderr, "landquota-gen: error: {} exists; use --force to overwrite it\n",
                   options.out.string());
        return 1;
    }
    if (const auto dir = options.out.parent_path();
        !dir.empty() && !std::filesystem::is_directory(dir)) {
        fmt::print(stderr, "landquota-gen: error: directory {} does not exist\n", dir.string());
        return 1;
    }
    // Fixed timestamp in gpkg_contents and fast, unsynchronised writes (the file is renamed into
    // place only when complete).
    CPLSetConfigOption("OGR_CURRENT_DATE", kFixedTimestamp);
    CPLSetConfigOption("OGR_SQLITE_SYNCHRONOUS", "OFF");
    GDALAllRegister();
    try {
        return generate(options); // replaces FILE (with --force) only once complete
    } catch (const std::exception& e) {
        std::error_code ignored;
        std::filesystem::remove(partialPath(options.out), ignored);
        fmt::print(stderr, "landquota-gen: error: {}\n", e.what());
        return 1;
    }
}
