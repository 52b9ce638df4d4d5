#include "core/landuse_codes.hpp"

#include <algorithm>
#include <array>
#include <string_view>

namespace landquota {

namespace {
struct Code {
    std::string_view code, name;
};
// GB/T 21010-2017 plus the working classification of the third national land survey
// (《第三次全国国土调查工作分类》): 05H1, 08H1, 08H2, 0810A, 1104A, 1107A and the "K" codes of
// adjustable land (可调整地类). Sorted by code, for binary search.
constexpr std::array kCodes = {
    Code{"0101", "水田"},
    Code{"0102", "水浇地"},
    Code{"0103", "旱地"},
    Code{"0201", "果园"},
    Code{"0201K", "可调整果园"},
    Code{"0202", "茶园"},
    Code{"0202K", "可调整茶园"},
    Code{"0203", "橡胶园"},
    Code{"0203K", "可调整橡胶园"},
    Code{"0204", "其他园地"},
    Code{"0204K", "可调整其他园地"},
    Code{"0301", "乔木林地"},
    Code{"0301K", "可调整乔木林地"},
    Code{"0302", "竹林地"},
    Code{"0302K", "可调整竹林地"},
    Code{"0303", "红树林地"},
    Code{"0304", "森林沼泽"},
    Code{"0305", "灌木林地"},
    Code{"0306", "灌丛沼泽"},
    Code{"0307", "其他林地"},
    Code{"0307K", "可调整其他林地"},
    Code{"0401", "天然牧草地"},
    Code{"0402", "沼泽草地"},
    Code{"0403", "人工牧草地"},
    Code{"0403K", "可调整人工牧草地"},
    Code{"0404", "其他草地"},
    Code{"0501", "零售商业用地"},
    Code{"0502", "批发市场用地"},
    Code{"0503", "餐饮用地"},
    Code{"0504", "旅馆用地"},
    Code{"0505", "商务金融用地"},
    Code{"0506", "娱乐用地"},
    Code{"0507", "其他商服用地"},
    Code{"0508", "物流仓储用地"},
    Code{"05H1", "商业服务业设施用地"},
    Code{"0601", "工业用地"},
    Code{"0602", "采矿用地"},
    Code{"0603", "盐田"},
    Code{"0701", "城镇住宅用地"},
    Code{"0702", "农村宅基地"},
    Code{"0801", "机关团体用地"},
    Code{"0802", "新闻出版用地"},
    Code{"0803", "教育用地"},
    Code{"0804", "科研用地"},
    Code{"0805", "医疗卫生用地"},
    Code{"0806", "社会福利用地"},
    Code{"0807", "文化设施用地"},
    Code{"0808", "体育用地"},
    Code{"0809", "公用设施用地"},
    Code{"0810", "公园与绿地"},
    Code{"0810A", "广场用地"},
    Code{"08H1", "机关团体新闻出版用地"},
    Code{"08H2", "科教文卫用地"},
    Code{"08H2A", "高教用地"},
    Code{"09", "特殊用地"},
    Code{"0901", "军事设施用地"},
    Code{"0902", "使领馆用地"},
    Code{"0903", "监教场所用地"},
    Code{"0904", "宗教用地"},
    Code{"0905", "殡葬用地"},
    Code{"0906", "风景名胜设施用地"},
    Code{"1001", "铁路用地"},
    Code{"1002", "轨道交通用地"},
    Code{"1003", "公路用地"},
    Code{"1004", "城镇村道路用地"},
    Code{"1005", "交通服务场站用地"},
    Code{"1006", "农村道路"},
    Code{"1007", "机场用地"},
    Code{"1008", "港口码头用地"},
    Code{"1009", "管道运输用地"},
    Code{"1101", "河流水面"},
    Code{"1102", "湖泊水面"},
    Code{"1103", "水库水面"},
    Code{"1104", "坑塘水面"},
    Code{"1104A", "养殖坑塘"},
    Code{"1104K", "可调整养殖坑塘"},
    Code{"1105", "沿海滩涂"},
    Code{"1106", "内陆滩涂"},
    Code{"1107", "沟渠"},
    Code{"1107A", "干渠"},
    Code{"1108", "沼泽地"},
    Code{"1109", "水工建筑用地"},
    Code{"1110", "冰川及永久积雪"},
    Code{"1201", "空闲地"},
    Code{"1202", "设施农用地"},
    Code{"1203", "田坎"},
    Code{"1204", "盐碱地"},
    Code{"1205", "沙地"},
    Code{"1206", "裸土地"},
    Code{"1207", "裸岩石砾地"},
};
} // namespace

const char* landuse_name(const std::string& code) {
    const auto it =
        std::lower_bound(kCodes.begin(), kCodes.end(), code,
                         [](const Code& c, const std::string& k) { return c.code < k; });
    if (it == kCodes.end() || it->code != code)
        return nullptr;
    return it->name.data();
}

std::vector<std::string> village_classes() {
    return {"201", "201A", "202", "202A", "203", "203A", "204", "205"};
}

bool is_village_class(const std::string& code) {
    const auto all = village_classes();
    return std::find(all.begin(), all.end(), code) != all.end();
}

std::vector<std::string> landuse_codes() {
    std::vector<std::string> out;
    for (const auto& c : kCodes)
        out.emplace_back(c.code);
    return out;
}

} // namespace landquota
