// landquota-gen: writes a synthetic county GeoPackage for the landquota engine.
//
//   landquota-gen --out FILE.gpkg [--parcels N] [--seed S] [--force]
//
// The county is placed where Wuyi (武义, Zhejiang) is and uses its 18 real township names, but
// every geometry, village, code and attribute is synthetic. Layers (EPSG:4549, x = easting):
// townships, villages, parcels, redline, farmland, resettlement; field names follow the third
// national land survey (see sample_maps/wuyi/README.md).
//
// Layout:
//   * the county is a rectangle cut into three horizontal bands: the 7 northern townships, then
//     two bands of southern townships (5 and 6);
//   * inside a band, townships and villages are separated by "dividers": zig-zag polylines with
//     one vertex on every row line of the band. A village is the cell between two neighbouring
//     dividers and two row lines (sometimes two rows merged). Neighbours are built from the very
//     same vertex values, so they tile without gaps or overlaps;
//   * every village holds one rectangular survey "patch": a grid of parcels whose neighbouring
//     cells share the same jittered corner points (edges coincide exactly), with a settlement
//     cluster in the middle, fields around it, roads and sometimes a river crossing it.
//
// Output is deterministic for the same arguments: all randomness comes from std::mt19937_64
// streams derived from the seed, mapped to doubles by hand, and coordinates are rounded to mm.

#include <cpl_conv.h>
#include <cpl_error.h>
#include <gdal_priv.h>
#include <ogr_geometry.h>
#include <ogr_spatialref.h>
#include <ogrsf_frmts.h>

#include <fmt/core.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <filesystem>
#include <memory>
#include <numbers>
#include <numeric>
#include <optional>
#include <random>
#include <span>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

namespace {

constexpr double kSquareMetresPerMu = 10000.0 / 15.0;
constexpr double kTargetFreedMu = 800.0;  // the south's freed quota in the default sample
constexpr double kMinReclaimPiece = 50.0; // m²; smaller pieces are dropped by the engine
constexpr double kMeanResettlementShare = 0.275;
constexpr double kMinSiteReclaim = 1000.0; // m²; below this a relocating village gets no site
constexpr double kExpectedClipKeep = 0.92; // share of construction left after red line / farmland
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
enum class Stream : std::uint64_t { Layout = 1, PatchPlan, PatchCells, Redline, Resettlement };

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
    int band;     // 0 = northern band, 1 and 2 = southern bands
    int baseCols; // village columns in the default sample
};

// West to east within each band. The codes follow the 街道 0xx / 镇 1xx / 乡 2xx convention but
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

constexpr std::array<std::string_view, 3> kBandNames{"北部", "南部一", "南部二"};
constexpr std::array<double, 3> kBandHeights{10'000.0, 14'000.0, 16'000.0}; // north to south
constexpr double kCountyWidth = 32'000.0;

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

struct Point {
    double x = 0, y = 0;
};

struct Rect {
    double minx = 0, miny = 0, maxx = 0, maxy = 0;
    double width() const { return maxx - minx; }
    double height() const { return maxy - miny; }
};

// Survey coordinates carry mm precision; rounding also makes output independent of how a
// coordinate was computed once stored (shared vertices are copied, never recomputed).
double mm(double v) {
    return std::round(v * 1000.0) / 1000.0;
}

std::unique_ptr<OGRPolygon> makePolygon(std::span<const Point> ring) {
    auto* linear = new OGRLinearRing;
    linear->setNumPoints(static_cast<int>(ring.size()) + 1);
    for (std::size_t i = 0; i < ring.size(); ++i)
        linear->setPoint(static_cast<int>(i), ring[i].x, ring[i].y);
    linear->setPoint(static_cast<int>(ring.size()), ring[0].x, ring[0].y);
    if (linear->isClockwise())
        linear->reverseWindingOrder(); // exterior rings CCW
    auto polygon = std::make_unique<OGRPolygon>();
    polygon->addRingDirectly(linear);
    return polygon;
}

std::unique_ptr<OGRPolygon> makeRect(const Rect& r) {
    const std::array<Point, 4> ring{{{mm(r.minx), mm(r.miny)},
                                     {mm(r.maxx), mm(r.miny)},
                                     {mm(r.maxx), mm(r.maxy)},
                                     {mm(r.minx), mm(r.maxy)}}};
    return makePolygon(ring);
}

bool envelopesIntersect(const OGRGeometry& a, const OGRGeometry& b) {
    OGREnvelope ea, eb;
    a.getEnvelope(&ea);
    b.getEnvelope(&eb);
    return ea.Intersects(eb);
}

// Area of the polygonal parts of g that are at least minPiece m² (pieces are what the engine
// keeps after clipping).
double areaOfPieces(const OGRGeometry& g, double minPiece) {
    const auto type = wkbFlatten(g.getGeometryType());
    if (type == wkbPolygon) {
        const double a = g.toPolygon()->get_Area();
        return a >= minPiece ? a : 0.0;
    }
    if (type == wkbMultiPolygon || type == wkbGeometryCollection) {
        double sum = 0;
        for (const auto* part : *g.toGeometryCollection())
            sum += areaOfPieces(*part, minPiece);
        return sum;
    }
    return 0.0;
}

// A star-shaped irregular polygon, used for the ecological red line.
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
    std::unique_ptr<OGRPolygon> polygon(int vertices = 72) const {
        std::vector<Point> ring;
        for (int i = 0; i < vertices; ++i) {
            const double t = 2 * std::numbers::pi * i / vertices;
            ring.push_back({mm(centre.x + r(t) * std::cos(t)), mm(centre.y + r(t) * std::sin(t))});
        }
        return makePolygon(ring);
    }
};

// ---------------------------------------------------------------------------------------------
// County layout: bands, dividers, townships, villages

struct Band {
    std::vector<double> rowY;                  // row lines, north (index 0) to south
    std::vector<std::vector<double>> dividers; // dividers[d][r]: x of divider d on row line r
    std::vector<double> topXs, bottomXs;       // all vertices on the band's top/bottom line
    int rows() const { return static_cast<int>(rowY.size()) - 1; }
};

enum class Lane : std::uint8_t { Field, Settlement, Road, River };

// The parcel grid of one village, before jitter. Columns run west to east, rows south to north.
struct PatchPlan {
    Rect rect;
    std::vector<double> colW, rowH;
    std::vector<Lane> colLane, rowLane;
    int setC0 = 0, setC1 = 0, setR0 = 0, setR1 = 0; // settlement span [c0, c1) x [r0, r1)
    std::size_t cells() const { return colW.size() * rowH.size(); }
};

struct Village {
    int township = 0;
    int divider = 0; // west divider in the band; the east one is divider + 1
    int row0 = 0, row1 = 0;
    std::size_t index = 0; // county-wide, stable: seeds the village's random streams
    std::string code, name;
    bool seat = false, relocating = false;
    Rect inner; // a rectangle safely inside the village polygon
    PatchPlan plan;
    bool farmlandIntoSettlement = false; // a farmland block cuts the construction cluster
    bool redlineOverSettlement = false;  // a red-line polygon cuts the construction cluster
};

struct Township {
    const TownshipSpec* spec = nullptr;
    int d0 = 0, d1 = 0; // first and last divider
    std::vector<std::size_t> villages;
    std::size_t seat = 0;
};

struct County {
    Rect extent;
    std::array<Band, 3> bands;
    std::vector<Township> townships;
    std::vector<Village> villages;
    std::vector<Blob> redlines;
    std::size_t relocatingCount() const {
        return static_cast<std::size_t>(std::count_if(
            villages.begin(), villages.end(), [](const Village& v) { return v.relocating; }));
    }
};

const Band& bandOf(const County& county, const Township& t) {
    return county.bands[t.spec->band];
}

// Jittered row lines of a band; index 0 is the north edge. The edge values are passed in so that
// neighbouring bands share the very same double.
std::vector<double> makeRowLines(Rng& rng, double top, double bottom, int rows) {
    std::vector<double> heights(rows);
    for (auto& h : heights)
        h = rng.uniform(0.8, 1.2);
    const double scale = (top - bottom) / std::accumulate(heights.begin(), heights.end(), 0.0);
    std::vector<double> y{top};
    for (int r = 0; r + 1 < rows; ++r)
        y.push_back(mm(y.back() - heights[r] * scale));
    y.push_back(bottom);
    return y;
}

// Village columns per township and rows per band. The sample uses the fixed table; a scaled
// county multiplies the village count and keeps villages roughly square.
struct BandGrid {
    int rows = 2;
    std::vector<int> cols; // per township of the band, west to east
};

BandGrid bandGrid(int bandIndex, double villageScale) {
    BandGrid grid;
    std::vector<int> base;
    for (const auto& spec : kTownships)
        if (spec.band == bandIndex)
            base.push_back(spec.baseCols);
    if (villageScale == 1.0) {
        grid.cols = base;
        return grid;
    }
    const double meanCells =
        2.0 * villageScale * std::accumulate(base.begin(), base.end(), 0) / base.size();
    const double meanWidth = kCountyWidth / static_cast<double>(base.size());
    grid.rows = std::max(2, static_cast<int>(std::lround(
                                std::sqrt(meanCells * kBandHeights[bandIndex] / meanWidth))));
    for (int b : base)
        grid.cols.push_back(
            std::max(2, static_cast<int>(std::lround(2.0 * villageScale * b / grid.rows))));
    return grid;
}

void layoutBand(Rng& rng, County& county, int bandIndex, double top, double bottom,
                const BandGrid& grid) {
    const int rows = grid.rows;
    Band& band = county.bands[bandIndex];
    band.rowY = makeRowLines(rng, top, bottom, rows);

    std::vector<Township*> members;
    for (auto& t : county.townships)
        if (t.spec->band == bandIndex)
            members.push_back(&t);

    const std::vector<int>& cols = grid.cols;
    std::vector<double> weights;
    for (int c : cols)
        weights.push_back(c * rng.uniform(0.85, 1.15));
    const double unit =
        county.extent.width() / std::accumulate(weights.begin(), weights.end(), 0.0);

    // Township boundaries: straight outer edges, zig-zag inner ones (by up to a fifth of a
    // village column, so that villages keep a usable interior).
    std::vector<std::vector<double>> boundaries;
    double base = county.extent.minx;
    for (std::size_t j = 0; j <= members.size(); ++j) {
        std::vector<double> x(rows + 1);
        for (int r = 0; r <= rows; ++r) {
            if (j == 0)
                x[r] = county.extent.minx;
            else if (j == members.size())
                x[r] = county.extent.maxx;
            else
                x[r] = mm(base + rng.uniform(-0.2, 0.2) * unit);
        }
        boundaries.push_back(std::move(x));
        if (j < members.size())
            base += weights[j] * unit;
    }

    // Village dividers between the township boundaries.
    for (std::size_t j = 0; j < members.size(); ++j) {
        members[j]->d0 = static_cast<int>(band.dividers.size());
        band.dividers.push_back(boundaries[j]);
        const auto& west = boundaries[j];
        const auto& east = boundaries[j + 1];
        for (int c = 1; c < cols[j]; ++c) {
            std::vector<double> x(rows + 1);
            for (int r = 0; r <= rows; ++r)
                x[r] = mm(west[r] + (east[r] - west[r]) * (c + rng.uniform(-0.18, 0.18)) / cols[j]);
            band.dividers.push_back(std::move(x));
        }
        members[j]->d1 = members[j]->d0 + cols[j];
    }
    band.dividers.push_back(boundaries.back());
}

// Vertices on the line between two bands come from both of them; every polygon edge on that
// line includes the other side's vertices so that neighbours share vertices exactly.
void collectBandEdgeVertices(County& county) {
    for (std::size_t b = 0; b < county.bands.size(); ++b) {
        Band& band = county.bands[b];
        for (const auto& d : band.dividers) {
            band.topXs.push_back(d.front());
            band.bottomXs.push_back(d.back());
        }
        if (b > 0)
            for (const auto& d : county.bands[b - 1].dividers)
                band.topXs.push_back(d.back());
        if (b + 1 < county.bands.size())
            for (const auto& d : county.bands[b + 1].dividers)
                band.bottomXs.push_back(d.front());
        for (auto* xs : {&band.topXs, &band.bottomXs}) {
            std::sort(xs->begin(), xs->end());
            xs->erase(std::unique(xs->begin(), xs->end()), xs->end());
        }
    }
}

// The polygon between dividers dWest..dEast and row lines r0..r1 of a band, CCW.
std::unique_ptr<OGRPolygon> regionPolygon(const Band& band, int dWest, int dEast, int r0, int r1) {
    auto between = [&](int r, double xa, double xb) { // vertices strictly inside (xa, xb)
        std::vector<double> xs;
        if (r == 0 || r == band.rows()) {
            for (double x : r == 0 ? band.topXs : band.bottomXs)
                if (x > xa && x < xb)
                    xs.push_back(x);
        } else {
            for (int d = dWest + 1; d < dEast; ++d)
                xs.push_back(band.dividers[d][r]);
        }
        return xs;
    };
    const auto& west = band.dividers[dWest];
    const auto& east = band.dividers[dEast];
    std::vector<Point> ring;
    ring.push_back({west[r1], band.rowY[r1]}); // south edge, west to east
    for (double x : between(r1, west[r1], east[r1]))
        ring.push_back({x, band.rowY[r1]});
    for (int r = r1; r >= r0; --r)
        ring.push_back({east[r], band.rowY[r]}); // east side, northward
    const auto top = between(r0, west[r0], east[r0]);
    for (auto it = top.rbegin(); it != top.rend(); ++it)
        ring.push_back({*it, band.rowY[r0]});
    for (int r = r0; r < r1; ++r)
        ring.push_back({west[r], band.rowY[r]}); // west side, southward
    return makePolygon(ring);
}

std::unique_ptr<OGRPolygon> villagePolygon(const County& county, const Village& v) {
    const Band& band = bandOf(county, county.townships[v.township]);
    return regionPolygon(band, v.divider, v.divider + 1, v.row0, v.row1);
}

std::unique_ptr<OGRPolygon> townshipPolygon(const County& county, const Township& t) {
    const Band& band = bandOf(county, t);
    return regionPolygon(band, t.d0, t.d1, 0, band.rows());
}

Rect innerRect(const Band& band, int divider, int r0, int r1) {
    constexpr double margin = 25.0;
    Rect rect{-1e300, band.rowY[r1] + margin, 1e300, band.rowY[r0] - margin};
    for (int r = r0; r <= r1; ++r) {
        rect.minx = std::max(rect.minx, band.dividers[divider][r] + margin);
        rect.maxx = std::min(rect.maxx, band.dividers[divider + 1][r] - margin);
    }
    return rect;
}

// Villages of one township: the cells of its divider grid, some pairs of cells (north-south)
// merged so that village counts vary.
void layoutVillages(Rng& rng, County& county, std::size_t townshipIndex, double villageScale,
                    const VillageNames& names) {
    Township& t = county.townships[townshipIndex];
    const Band& band = bandOf(county, t);
    const int cols = t.d1 - t.d0;
    const int rows = band.rows();

    std::vector<char> mergedDown(static_cast<std::size_t>(cols * rows),
                                 0); // cell (c,r) joins (c,r+1)
    auto at = [&](int c, int r) -> char& {
        return mergedDown[static_cast<std::size_t>(c * rows + r)];
    };
    const int merges = villageScale == 1.0 ? (cols * rows >= 6 ? rng.integer(0, 1) : 0)
                                           : static_cast<int>(std::lround(0.08 * cols * rows));
    for (int m = 0, attempts = 0; m < merges && attempts < 50; ++attempts) {
        const int c = rng.integer(0, cols - 1);
        const int r = rng.integer(0, rows - 2);
        const bool free = !at(c, r) && !at(c, r + 1) && (r == 0 || !at(c, r - 1));
        if (free) {
            at(c, r) = 1;
            ++m;
        }
    }

    for (int c = 0; c < cols; ++c) {
        for (int r = 0; r < rows;) {
            const int span = at(c, r) ? 2 : 1;
            Village v;
            v.township = static_cast<int>(townshipIndex);
            v.divider = t.d0 + c;
            v.row0 = r;
            v.row1 = r + span;
            v.index = county.villages.size();
            v.code = fmt::format("{}{:03d}", t.spec->code, t.villages.size() + 1);
            v.name = names.name(v.index);
            v.inner = innerRect(band, v.divider, v.row0, v.row1);
            t.villages.push_back(v.index);
            county.villages.push_back(std::move(v));
            r += span;
        }
    }
    if (t.villages.size() > 999)
        throw std::runtime_error("too many villages per township for 3-digit village codes");

    t.seat = t.villages[static_cast<std::size_t>(
        rng.integer(0, static_cast<int>(t.villages.size()) - 1))];
    county.villages[t.seat].seat = true;
    if (t.spec->region == Region::South) {
        const int n = static_cast<int>(t.villages.size());
        const int relocating =
            std::clamp(static_cast<int>(std::lround(n * rng.uniform(0.2, 0.4))), 1, n - 1);
        for (int chosen = 0; chosen < relocating;) {
            Village& v =
                county.villages[t.villages[static_cast<std::size_t>(rng.integer(0, n - 1))]];
            if (!v.seat && !v.relocating) {
                v.relocating = true;
                ++chosen;
            }
        }
    }
}

County layoutCounty(std::uint64_t seed, Point centre, double villageScale) {
    Rng rng(streamSeed(seed, Stream::Layout));
    County county;
    const double height = std::accumulate(kBandHeights.begin(), kBandHeights.end(), 0.0);
    county.extent = {mm(centre.x - kCountyWidth / 2), mm(centre.y - height / 2),
                     mm(centre.x + kCountyWidth / 2), mm(centre.y + height / 2)};
    for (const auto& spec : kTownships)
        county.townships.push_back(Township{&spec, 0, 0, {}, 0});

    double top = county.extent.maxy;
    for (int b = 0; b < 3; ++b) {
        const double bottom = b == 2 ? county.extent.miny : mm(top - kBandHeights[b]);
        layoutBand(rng, county, b, top, bottom, bandGrid(b, villageScale));
        top = bottom;
    }
    collectBandEdgeVertices(county);

    VillageNames names(rng);
    for (std::size_t t = 0; t < county.townships.size(); ++t)
        layoutVillages(rng, county, t, villageScale, names);

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
// Patch planning (sizes only; jitter and land use come later)

struct Lanes {
    std::vector<double> size;
    std::vector<Lane> lane;
    void add(double s, Lane l) {
        size.push_back(s);
        lane.push_back(l);
    }
    double total() const { return std::accumulate(size.begin(), size.end(), 0.0); }
};

// Settlement lanes with road lanes inserted every `every` lanes (at least one if
// `roadAtLeastOnce`).
void addSettlementLanes(Lanes& lanes, Rng& rng, const std::vector<double>& sizes, int every,
                        bool roadAtLeastOnce) {
    const int n = static_cast<int>(sizes.size());
    const int roads = std::max(roadAtLeastOnce ? 1 : 0, n / every);
    std::vector<int> roadAfter;
    for (int i = 1; i <= roads; ++i)
        roadAfter.push_back(i * n / (roads + 1));
    for (int i = 0; i < n; ++i) {
        lanes.add(sizes[i], Lane::Settlement);
        if (std::find(roadAfter.begin(), roadAfter.end(), i + 1) != roadAfter.end() && i + 1 < n)
            lanes.add(rng.uniform(5.0, 8.0), Lane::Road);
    }
}

void addFieldLanes(Lanes& lanes, Rng& rng, int count, double lo, double hi, double roadChance,
                   double riverChance) {
    for (int i = 0; i < count; ++i) {
        lanes.add(rng.uniform(lo, hi), Lane::Field);
        if (i + 1 < count || count == 1) {
            if (rng.chance(riverChance))
                lanes.add(rng.uniform(15.0, 30.0), Lane::River);
            else if (rng.chance(roadChance))
                lanes.add(rng.uniform(4.0, 6.0), Lane::Road);
        }
    }
}

struct SizingTargets {
    double parcelScale = 1.0;          // b: parcels per village relative to the sample
    double relocatingConstruction = 0; // m² of construction land per relocating village
};

void planPatch(Village& v, const Township& t, std::uint64_t seed, const SizingTargets& sizing) {
    Rng rng(streamSeed(seed, Stream::PatchPlan, v.index));
    const double b = sizing.parcelScale;
    const bool north = t.spec->region == Region::North;

    double target; // construction area of the settlement, m²
    double cell;   // typical settlement parcel side, m
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
    const double count = target / (cell * cell);
    if (v.inner.width() < 100 || v.inner.height() < 100)
        throw std::logic_error(fmt::format("village {} is too narrow for a survey patch", v.code));
    const double aspect =
        rng.uniform(0.8, 1.3) * std::clamp(v.inner.width() / v.inner.height(), 0.7, 1.4);
    const int nc = std::max(2, static_cast<int>(std::lround(std::sqrt(count * aspect))));
    const int nr = std::max(2, static_cast<int>(std::lround(count / nc)));
    std::vector<double> widths(nc), heights(nr);
    for (auto& w : widths)
        w = rng.uniform(0.8, 1.2) * cell;
    for (auto& h : heights)
        h = rng.uniform(0.8, 1.2) * cell;
    const double fit = std::sqrt(target / (std::accumulate(widths.begin(), widths.end(), 0.0) *
                                           std::accumulate(heights.begin(), heights.end(), 0.0)));
    for (auto& w : widths)
        w *= fit;
    for (auto& h : heights)
        h *= fit;

    auto sideCount = [&] {
        return std::max(1, static_cast<int>(std::lround(rng.uniform(0.75, 2.25) * std::sqrt(b))));
    };
    const double fieldRoad = b == 1.0 ? 0.25 : 0.3;
    const double river = rng.chance(0.35) ? 0.5 : 0.0; // only some villages have a river

    Lanes cols, rows;
    addFieldLanes(cols, rng, sideCount(), 70, 130, fieldRoad, 0);
    const int c0 = static_cast<int>(cols.size.size());
    // North-south village streets only in large settlements: their crossings with the main street
    // are tiny 1004 pieces (< 50 m²) that would make the reclaim depend on how pieces are counted.
    addSettlementLanes(cols, rng, widths, 12, false);
    const int c1 = static_cast<int>(cols.size.size());
    addFieldLanes(cols, rng, sideCount(), 70, 130, fieldRoad, 0);

    addFieldLanes(rows, rng, sideCount(), 55, 110, fieldRoad, river);
    const int r0 = static_cast<int>(rows.size.size());
    addSettlementLanes(rows, rng, heights, 5, true);
    const int r1 = static_cast<int>(rows.size.size());
    addFieldLanes(rows, rng, sideCount(), 55, 110, fieldRoad, 0);

    // Large counties pack more parcels into smaller villages: shrink the patch to fit.
    const double sx = std::min(1.0, (v.inner.width() - 2) / cols.total());
    const double sy = std::min(1.0, (v.inner.height() - 2) / rows.total());
    for (auto& w : cols.size)
        w *= sx;
    for (auto& h : rows.size)
        h *= sy;

    PatchPlan& p = v.plan;
    p.colW = std::move(cols.size);
    p.colLane = std::move(cols.lane);
    p.rowH = std::move(rows.size);
    p.rowLane = std::move(rows.lane);
    p.setC0 = c0;
    p.setC1 = c1;
    p.setR0 = r0;
    p.setR1 = r1;
    const double w = std::accumulate(p.colW.begin(), p.colW.end(), 0.0);
    const double h = std::accumulate(p.rowH.begin(), p.rowH.end(), 0.0);
    p.rect.minx = mm(v.inner.minx + rng.uniform() * (v.inner.width() - w));
    p.rect.miny = mm(v.inner.miny + rng.uniform() * (v.inner.height() - h));
    p.rect.maxx = p.rect.minx + w; // exact edge comes from the node grid
    p.rect.maxy = p.rect.miny + h;
}

std::size_t planPatches(County& county, std::uint64_t seed, const SizingTargets& sizing) {
    std::size_t cells = 0;
    for (auto& v : county.villages) {
        planPatch(v, county.townships[v.township], seed, sizing);
        cells += v.plan.cells();
    }
    return cells;
}

// Lane edges (before jitter) of a patch, from the south-west corner.
std::vector<double> laneEdges(double origin, const std::vector<double>& sizes) {
    std::vector<double> edges{origin};
    for (double s : sizes)
        edges.push_back(mm(edges.back() + s));
    return edges;
}

Point settlementCentre(const Village& v) {
    const auto xs = laneEdges(v.plan.rect.minx, v.plan.colW);
    const auto ys = laneEdges(v.plan.rect.miny, v.plan.rowH);
    return {(xs[v.plan.setC0] + xs[v.plan.setC1]) / 2, (ys[v.plan.setR0] + ys[v.plan.setR1]) / 2};
}

Rect settlementRect(const Village& v) {
    const auto xs = laneEdges(v.plan.rect.minx, v.plan.colW);
    const auto ys = laneEdges(v.plan.rect.miny, v.plan.rowH);
    return {xs[v.plan.setC0], ys[v.plan.setR0], xs[v.plan.setC1], ys[v.plan.setR1]};
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
            const Rect s = settlementRect(v);
            const Point c = settlementCentre(v);
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
        const Point c{v.inner.minx + v.inner.width() * rng.uniform(0.2, 0.8),
                      v.inner.miny + v.inner.height() * rng.uniform(0.2, 0.8)};
        county.redlines.push_back(Blob::random(rng, c, rng.uniform(600, 1200)));
    }
}

// ---------------------------------------------------------------------------------------------
// Parcels of one village

struct Parcel {
    std::unique_ptr<OGRPolygon> geometry;
    std::string_view dlbm, czcsxm, gdpdjb;
};

// Jittered node grid: interior nodes move by < 22 % of the adjacent lane sizes (so every cell
// stays a simple quadrilateral), patch-edge nodes only along the edge.
std::vector<Point> jitteredNodes(const PatchPlan& p, Rng& rng) {
    const auto xs = laneEdges(p.rect.minx, p.colW);
    const auto ys = laneEdges(p.rect.miny, p.rowH);
    const std::size_t nx = xs.size(), ny = ys.size();
    std::vector<Point> nodes(nx * ny);
    for (std::size_t j = 0; j < ny; ++j) {
        for (std::size_t i = 0; i < nx; ++i) {
            double dx = 0, dy = 0;
            if (i > 0 && i + 1 < nx && j > 0 && j + 1 < ny) { // interior
                dx = rng.uniform(-0.22, 0.22) * std::min(p.colW[i - 1], p.colW[i]);
                dy = rng.uniform(-0.22, 0.22) * std::min(p.rowH[j - 1], p.rowH[j]);
            } else if ((j == 0 || j + 1 == ny) && i > 0 && i + 1 < nx) { // south/north edge
                dx = rng.uniform(-0.22, 0.22) * std::min(p.colW[i - 1], p.colW[i]);
            } else if ((i == 0 || i + 1 == nx) && j > 0 && j + 1 < ny) { // west/east edge
                dy = rng.uniform(-0.22, 0.22) * std::min(p.rowH[j - 1], p.rowH[j]);
            }
            nodes[j * nx + i] = {mm(xs[i] + dx), mm(ys[j] + dy)};
        }
    }
    return nodes;
}

enum class SettlementStyle { Village, NorthVillage, TownSeat };

struct VillageLandUse {
    SettlementStyle style;
    std::string_view czcsxm; // of the construction land in the settlement
    Region region;
};

VillageLandUse landUseStyle(const Village& v, const Township& t) {
    if (t.spec->region == Region::North)
        return v.seat ? VillageLandUse{SettlementStyle::TownSeat, "202", Region::North}
                      : VillageLandUse{SettlementStyle::NorthVillage, "203", Region::North};
    return {SettlementStyle::Village, "203", Region::South};
}

std::vector<Parcel> makeParcels(const Village& v, const Township& t, std::uint64_t seed) {
    Rng rng(streamSeed(seed, Stream::PatchCells, v.index));
    const PatchPlan& p = v.plan;
    const auto nodes = jitteredNodes(p, rng);
    const std::size_t nc = p.colW.size(), nr = p.rowH.size();
    const VillageLandUse style = landUseStyle(v, t);

    // A school, a workshop and a green space / utility plot in every settlement.
    std::vector<std::pair<std::size_t, std::size_t>> settlementCells;
    for (std::size_t r = static_cast<std::size_t>(p.setR0); r < static_cast<std::size_t>(p.setR1);
         ++r)
        for (std::size_t c = static_cast<std::size_t>(p.setC0);
             c < static_cast<std::size_t>(p.setC1); ++c)
            if (p.colLane[c] == Lane::Settlement && p.rowLane[r] == Lane::Settlement)
                settlementCells.emplace_back(c, r);
    std::vector<std::string_view> special(settlementCells.size());
    for (std::string_view code :
         {std::string_view("0803"), std::string_view("0601"),
          rng.chance(0.5) ? std::string_view("0810") : std::string_view("0809")}) {
        for (int attempt = 0; attempt < 20; ++attempt) {
            auto& slot = special[static_cast<std::size_t>(
                rng.integer(0, static_cast<int>(special.size()) - 1))];
            if (slot.empty()) {
                slot = code;
                break;
            }
        }
    }

    std::vector<Parcel> parcels;
    parcels.reserve(nc * nr);
    std::size_t settlementIndex = 0;
    for (std::size_t r = 0; r < nr; ++r) {
        for (std::size_t c = 0; c < nc; ++c) {
            const bool inSettlementSpan =
                static_cast<int>(c) >= p.setC0 && static_cast<int>(c) < p.setC1 &&
                static_cast<int>(r) >= p.setR0 && static_cast<int>(r) < p.setR1;
            Parcel parcel;
            parcel.czcsxm = "";
            parcel.gdpdjb = "";
            if (p.rowLane[r] == Lane::River || p.colLane[c] == Lane::River) {
                parcel.dlbm = "1101";
            } else if (p.rowLane[r] == Lane::Road || p.colLane[c] == Lane::Road) {
                parcel.dlbm = inSettlementSpan ? "1004" : "1006";
            } else if (inSettlementSpan) {
                const auto& fixed = special[settlementIndex++];
                if (!fixed.empty())
                    parcel.dlbm = fixed;
                else if (style.style == SettlementStyle::TownSeat)
                    parcel.dlbm = pick(rng, kTownSeatSettlement);
                else if (style.style == SettlementStyle::NorthVillage)
                    parcel.dlbm = pick(rng, kNorthVillageSettlement);
                else
                    parcel.dlbm = pick(rng, kVillageSettlement);
            } else {
                const bool outerRing = c == 0 || r == 0 || c + 1 == nc || r + 1 == nr;
                if (style.region == Region::North)
                    parcel.dlbm = pick(rng, kNorthFields);
                else if (outerRing)
                    parcel.dlbm = pick(rng, kSouthOuterFields);
                else
                    parcel.dlbm = pick(rng, kSouthInnerFields);
            }
            if (inSettlementSpan && parcel.dlbm != "1104")
                parcel.czcsxm = style.czcsxm;
            if (isArable(parcel.dlbm))
                parcel.gdpdjb = pick(rng, style.region == Region::North
                                              ? std::span<const Weighted>(kNorthSlopes)
                                              : std::span<const Weighted>(kSouthSlopes));
            const std::size_t nx = nc + 1;
            const std::array<Point, 4> ring{nodes[r * nx + c], nodes[r * nx + c + 1],
                                            nodes[(r + 1) * nx + c + 1], nodes[(r + 1) * nx + c]};
            parcel.geometry = makePolygon(ring);
            parcels.push_back(std::move(parcel));
        }
    }
    return parcels;
}

// Permanent basic farmland over a village's arable fields of slope class 1-3 (the union of those
// parcels, so it follows parcel edges), plus, for flagged relocating villages, a block reaching
// into the construction cluster: the first settlement column wholly inside, the next one cut.
std::vector<std::unique_ptr<OGRPolygon>> makeFarmland(const Village& v,
                                                      const std::vector<Parcel>& parcels) {
    OGRMultiPolygon arable;
    for (const auto& p : parcels)
        if (isArable(p.dlbm) && p.gdpdjb <= "3")
            arable.addGeometry(p.geometry.get());
    if (v.farmlandIntoSettlement) {
        const PatchPlan& plan = v.plan;
        const auto xs = laneEdges(plan.rect.minx, plan.colW);
        const auto ys = laneEdges(plan.rect.miny, plan.rowH);
        const int c = plan.setC0;
        const int rMid = (plan.setR0 + plan.setR1) / 2;
        const Rect block{xs[std::max(0, c - 1)], ys[plan.setR0] - 0.3 * plan.rowH[plan.setR0 - 1],
                         xs[c + 1] + 0.5 * plan.colW[c + 1], ys[rMid] + 0.5 * plan.rowH[rMid]};
        arable.addGeometryDirectly(makeRect(block).release());
    }
    std::vector<std::unique_ptr<OGRPolygon>> out;
    if (arable.IsEmpty())
        return out;
    std::unique_ptr<OGRGeometry> merged(arable.UnionCascaded());
    if (!merged)
        throw std::runtime_error("GEOS union of farmland failed");
    const auto type = wkbFlatten(merged->getGeometryType());
    if (type == wkbPolygon) {
        out.emplace_back(merged.release()->toPolygon());
    } else if (type == wkbMultiPolygon) {
        for (const auto* part : *merged->toMultiPolygon())
            out.emplace_back(static_cast<OGRPolygon*>(part->clone()));
    }
    return out;
}

// The engine's reclaimable area of one parcel: construction land with CZCSXM 203, minus red line
// and farmland, pieces below 50 m² dropped.
double reclaimableArea(const Parcel& p, std::span<const OGRPolygon* const> constraints) {
    if (!isReclaimableCode(p.dlbm) || p.czcsxm != "203")
        return 0.0;
    std::unique_ptr<OGRGeometry> rest(p.geometry->clone());
    for (const auto* c : constraints) {
        if (!envelopesIntersect(*rest, *c))
            continue;
        rest.reset(rest->Difference(c));
        if (!rest)
            throw std::runtime_error("GEOS difference failed");
        if (rest->IsEmpty())
            return 0.0;
    }
    return areaOfPieces(*rest, kMinReclaimPiece);
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
                const char* description, std::span<const FieldSpec> fields) {
        const std::string desc = fmt::format("DESCRIPTION={}", description);
        const char* options[] = {"FID=fid", "GEOMETRY_NAME=geom", "SPATIAL_INDEX=YES", desc.c_str(),
                                 nullptr};
        layer_ = ds.CreateLayer(name, &srs, wkbPolygon, const_cast<char**>(options));
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
    bool write(const OGRPolygon& geometry) {
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
    std::size_t tilingMismatches = 0; // patches, villages or townships whose pieces do not add up
};

struct VillageOutcome {
    double construction = 0; // reclaimable-code construction area before clipping, m²
    double reclaim = 0;      // after clipping, m²
    double resettlement = 0; // m²
};

struct Resettlement {
    std::unique_ptr<OGRPolygon> geometry;
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
// villages of the same township, in a row next to the host's patch.
std::vector<Resettlement> planResettlement(const County& county, std::uint64_t seed,
                                           std::vector<VillageOutcome>& outcomes) {
    Rng rng(streamSeed(seed, Stream::Resettlement));
    std::vector<Resettlement> sites;
    std::vector<Point> cursor(county.villages.size(), Point{-1, -1}); // next free spot per host
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
                const Village& host = county.villages[hosts[next++ % hosts.size()]];
                const double area = total * shares[s];
                const double aspect = rng.uniform(1.0, 1.6);
                const double w = mm(std::sqrt(area * aspect)), h = mm(area / w);
                Point& at = cursor[host.index];
                if (at.x < 0)
                    at = {host.plan.rect.minx,
                          std::min(host.plan.rect.maxy + 15, host.inner.maxy - h)};
                if (at.x + w > host.inner.maxx)
                    at = {host.plan.rect.minx, at.y - h - 15};
                const Rect r{at.x, std::max(at.y, host.inner.miny), at.x + w,
                             std::max(at.y, host.inner.miny) + h};
                at.x += w + 15;
                Resettlement site;
                site.geometry = makeRect(r);
                site.azbh = fmt::format("AZ{}-{}", v.code, s + 1);
                site.zldwdm = v.code;
                site.name = fmt::format("{}安置区{}", v.name, s == 0 ? "" : "二期");
                outcomes[vi].resettlement += site.geometry->get_Area();
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
    fmt::print("  geometry checks: {} invalid, {} tiling mismatches\n", checks.invalid,
               checks.tilingMismatches);
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
    auto sampleTargets = [&](const County& c, double freedMu) {
        return SizingTargets{1.0, freedMu * kSquareMetresPerMu /
                                      (static_cast<double>(c.relocatingCount()) *
                                       (1 - kMeanResettlementShare) * kExpectedClipKeep)};
    };
    County county = layoutCounty(options.seed, centre, 1.0);
    SizingTargets sizing = sampleTargets(county, kTargetFreedMu);
    std::size_t planned = planPatches(county, options.seed, sizing);
    if (options.parcels) {
        const double k = static_cast<double>(*options.parcels) / static_cast<double>(planned);
        county = layoutCounty(options.seed, centre, std::sqrt(k));
        sizing = sampleTargets(county, kTargetFreedMu * k); // same freed quota per parcel
        sizing.parcelScale = std::sqrt(k);
        for (int iteration = 0; iteration < 4; ++iteration) {
            planned = planPatches(county, options.seed, sizing);
            sizing.parcelScale *=
                static_cast<double>(*options.parcels) / static_cast<double>(planned);
        }
        planned = planPatches(county, options.seed, sizing);
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

    Checks checks;
    auto check = [&](bool valid) { checks.invalid += valid ? 0 : 1; };

    // Townships, villages, red line: small, one transaction.
    Batch batch(*ds);
    double countyArea = 0;
    std::size_t relocatingSeen = 0;
    for (const auto& t : county.townships) {
        auto& f = townships.feature();
        f.SetField(townships.field("XZDM"), std::string(t.spec->code).c_str());
        f.SetField(townships.field("XZMC"), std::string(t.spec->name).c_str());
        f.SetField(townships.field("LM"), std::string(t.spec->alliance).c_str());
        f.SetField(townships.field("QY"), t.spec->region == Region::North ? "北部" : "南部");
        const auto polygon = townshipPolygon(county, t);
        check(townships.write(*polygon));
        countyArea += polygon->get_Area();
        double villageArea = 0;
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
            }
            const auto vp = villagePolygon(county, v);
            check(villages.write(*vp));
            villageArea += vp->get_Area();
        }
        if (!sameArea(villageArea, polygon->get_Area()))
            ++checks.tilingMismatches;
    }
    if (!sameArea(countyArea, county.extent.width() * county.extent.height()))
        ++checks.tilingMismatches;

    std::vector<std::unique_ptr<OGRPolygon>> redlinePolygons;
    for (std::size_t i = 0; i < county.redlines.size(); ++i) {
        redlinePolygons.push_back(county.redlines[i].polygon());
        redline.feature().SetField(redline.field("NAME"),
                                   fmt::format("生态保护红线{:02d}", i + 1).c_str());
        check(redline.write(*redlinePolygons.back()));
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
        const auto villageParcels = makeParcels(v, t, options.seed);
        std::size_t homesteads = 0;
        const auto villageFarmland = makeFarmland(v, villageParcels);

        double patchArea = 0;
        for (const auto& p : villageParcels) {
            auto& f = parcels.feature();
            const double area = p.geometry->get_Area();
            patchArea += area;
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
            check(parcels.write(*p.geometry));
            batch.tick();
        }
        const auto xs = laneEdges(v.plan.rect.minx, v.plan.colW);
        const auto ys = laneEdges(v.plan.rect.miny, v.plan.rowH);
        if (!sameArea(patchArea, (xs.back() - xs.front()) * (ys.back() - ys.front())))
            ++checks.tilingMismatches;

        for (std::size_t i = 0; i < villageFarmland.size(); ++i) {
            farmland.feature().SetField(fname, fmt::format("{}基本农田{}", v.name, i + 1).c_str());
            check(farmland.write(*villageFarmland[i]));
            batch.tick();
        }

        if (v.relocating) {
            std::vector<const OGRPolygon*> constraints;
            for (const auto& r : redlinePolygons)
                constraints.push_back(r.get());
            for (const auto& f : villageFarmland)
                constraints.push_back(f.get());
            for (const auto& p : villageParcels) {
                if (isReclaimableCode(p.dlbm) && p.czcsxm == "203")
                    outcomes[v.index].construction += p.geometry->get_Area();
                outcomes[v.index].reclaim += reclaimableArea(p, constraints);
            }
        }
    }

    for (const auto& site : planResettlement(county, options.seed, outcomes)) {
        auto& f = resettlement.feature();
        f.SetField(resettlement.field("AZBH"), site.azbh.c_str());
        f.SetField(resettlement.field("ZLDWDM"), site.zldwdm.c_str());
        f.SetField(resettlement.field("NAME"), site.name.c_str());
        check(resettlement.write(*site.geometry));
        batch.tick();
    }
    // Sites: a square of the demanded area in the north-west corner of the township's last village,
    // clear of its settlement (sites are planned construction: they may cover fields).
    for (const auto& spec : kSites) {
        const auto t =
            std::find_if(county.townships.begin(), county.townships.end(),
                         [&](const Township& x) { return x.spec->code == spec.township; });
        if (t == county.townships.end() || t->villages.empty())
            throw std::logic_error("site township missing");
        const Rect& inner = county.villages[t->villages.back()].inner;
        const double side = mm(std::sqrt(spec.demandMu * 10000.0 / 15.0));
        const double x0 = mm(inner.minx + 20.0), y1 = mm(inner.maxy - 20.0);
        const std::array<Point, 4> ring{
            {{x0, y1 - side}, {x0 + side, y1 - side}, {x0 + side, y1}, {x0, y1}}};
        auto& f = sites.feature();
        f.SetField(sites.field("XMBH"), std::string(spec.id).c_str());
        f.SetField(sites.field("XMMC"), std::string(spec.name).c_str());
        f.SetField(sites.field("XQMJ"), spec.demandMu);
        f.SetField(sites.field("TZE"), spec.investmentYuan);
        f.SetField(sites.field("MJSS"), spec.taxWanPerMu);
        f.SetField(sites.field("YXJ"), spec.priority);
        f.SetField(sites.field("KGNF"), spec.earliestYear);
        check(sites.write(*makePolygon(ring)));
    }
    batch.finish();
    ds.reset(); // closes the file (builds the spatial indexes)

    if (planned != parcels.count())
        throw std::logic_error("planned and written parcel counts differ");
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
    fmt::print(
        "  county centre {:.3f} E, {:.3f} N (GK of 119.8E 28.9N), extent {:.0f} x {:.0f} km\n",
        centre.x, centre.y, county.extent.width() / 1000, county.extent.height() / 1000);
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
