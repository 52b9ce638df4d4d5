// report.html of the demo in real headless Chromium (Debian's chromium) with the network off: the
// page references nothing on the web, logs nothing to the console and records no error; the map
// holds as many villages, sites and flows as result.gpkg and as many exclusion polygons as the
// job's exclusion layers (both read here with GDAL); every chart painted its canvas with one bar
// per label. A screenshot and a PDF print are kept under the build folder (report-artifacts/).
// Also: names holding markup cannot break out of the page.
#include "pipeline/job.hpp"
#include "support.hpp"

#include <array>
#include <catch2/catch.hpp>
#include <cstdio>
#include <gdal_priv.h>
#include <ogrsf_frmts.h>
#include <regex>

#include "mini_county.hpp"

using namespace landquota;
using namespace landquota::test;

namespace {

struct Shell {
    int status;
    std::string out;
};

Shell shell(const std::string& cmd) {
    std::array<char, 65536> buf{};
    std::string out;
    FILE* p = popen(cmd.c_str(), "r");
    REQUIRE(p);
    while (std::size_t n = fread(buf.data(), 1, buf.size(), p))
        out.append(buf.data(), n);
    return {pclose(p), out};
}

std::string quote(const fs::path& p) {
    return "'" + p.string() + "'";
}

// Chromium headless as root, with no way out to the network: every proxied request goes to a
// closed port; a fresh profile each time.
std::string chromium(const fs::path& profile, const std::string& what, const fs::path& page) {
    return "timeout 180 chromium --headless=new --no-sandbox --disable-gpu --no-first-run "
           "--disable-extensions --disable-background-networking --hide-scrollbars "
           "--proxy-server=127.0.0.1:9 --proxy-bypass-list='<-loopback>' --user-data-dir=" +
           quote(profile) + " " + what + " " + quote("file://" + page.string());
}

GIntBig feature_count(const fs::path& file, const std::string& layer) {
    GDALAllRegister();
    GDALDatasetUniquePtr ds(GDALDataset::Open(file.c_str(), GDAL_OF_VECTOR | GDAL_OF_READONLY));
    REQUIRE(ds);
    OGRLayer* l = layer.empty() ? ds->GetLayer(0) : ds->GetLayerByName(layer.c_str());
    REQUIRE(l);
    return l->GetFeatureCount();
}

// The markup without scripts, styles and comments: what remains can only reference resources
// through attributes. (By hand: std::regex recurses per character and the page is large.)
std::string markup_only(const std::string& html) {
    std::string out;
    std::size_t at = 0;
    while (at < html.size()) {
        std::size_t next = std::string::npos;
        std::string closing;
        for (const auto& [open, close] :
             {std::pair<std::string, std::string>{"<script", "</script>"},
              {"<style", "</style>"},
              {"<!--", "-->"}}) {
            const auto p = html.find(open, at);
            if (p < next) {
                next = p;
                closing = close;
            }
        }
        out += html.substr(at, next == std::string::npos ? next : next - at);
        if (next == std::string::npos)
            break;
        const auto end = html.find(closing, next);
        at = end == std::string::npos ? html.size() : end + closing.size();
    }
    return out;
}

std::vector<std::string> styles_of(const std::string& html) {
    std::vector<std::string> out;
    for (std::size_t at = 0; (at = html.find("<style", at)) != std::string::npos;) {
        const auto body = html.find('>', at) + 1;
        const auto end = html.find("</style>", body);
        out.push_back(html.substr(body, end - body));
        at = end;
    }
    return out;
}

std::size_t occurrences(const std::string& text, const std::string& what) {
    std::size_t n = 0;
    for (std::size_t at = 0; (at = text.find(what, at)) != std::string::npos; at += what.size())
        ++n;
    return n;
}

// The value of `attr` on the element with id `id` in a DOM dump (-1 if absent).
long attribute(const std::string& dom, const std::string& id, const std::string& attr) {
    const auto at = dom.find("id=\"" + id + "\"");
    if (at == std::string::npos)
        return -1;
    const auto start = dom.rfind('<', at), end = dom.find('>', at);
    const std::string tag = dom.substr(start, end - start);
    const std::smatch m = [&] {
        std::smatch s;
        std::regex_search(tag, s, std::regex(attr + "=\"(-?[0-9]+)\""));
        return s;
    }();
    return m.empty() ? -1 : std::stol(m[1]);
}

} // namespace

TEST_CASE("report.html in headless Chromium: offline, no errors, the map and charts complete",
          "[publish][report][chromium]") {
    REQUIRE(shell("command -v chromium >/dev/null").status == 0); // scripts/setup-debian.sh
    TempDir dir;
    const fs::path job_file = source_dir() / "sample_maps" / "wuyi" / "job.toml";
    const CliResult r =
        run_cli("run " + job_file.string() + " --out " + (dir / "out").string() + " --ledger " +
                (dir / "ledger.sqlite").string() + " --lang zh --operator chromium-test --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path page = dir / "out" / "report.html";
    const std::string html = read_file(page);

    // Nothing from the web: no resource in the markup, no remote stylesheet or font.
    const std::string markup = markup_only(html);
    CHECK(markup.find("http:") == std::string::npos);
    CHECK(markup.find("https:") == std::string::npos);
    for (const auto& css : styles_of(html)) {
        CHECK(css.find("url(http") == std::string::npos);
        CHECK(css.find("url('http") == std::string::npos);
        CHECK(css.find("url(\"http") == std::string::npos);
        CHECK(css.find("@import") == std::string::npos);
    }

    // Load it: the DOM after the scripts ran, and everything the console said.
    const fs::path artifacts = fs::current_path() / "report-artifacts";
    fs::create_directories(artifacts);
    const Shell dump =
        shell(chromium(dir / "profile", "--enable-logging=stderr --v=0 --dump-dom", page) + " 2>" +
              quote(dir / "console.txt"));
    const std::string console = read_file(dir / "console.txt");
    INFO(console);
    REQUIRE(dump.status == 0);
    const std::string& dom = dump.out;
    write_file(artifacts / "report-dom.html", dom);
    CHECK(console.find(":CONSOLE") == std::string::npos); // the page logs nothing at all
    CHECK(dom.find("data-ready=\"1\"") != std::string::npos);
    CHECK(dom.find("data-errors=\"0\"") != std::string::npos);
    CHECK_FALSE(std::regex_search(markup_only(dom), std::regex(R"((src|href)\s*=\s*"https?:)")));

    // The map holds every feature: counts from the files, read with GDAL.
    const fs::path gpkg = dir / "out" / "result.gpkg";
    CHECK(attribute(dom, "map", "data-villages") == feature_count(gpkg, "villages"));
    CHECK(attribute(dom, "map", "data-sites") == feature_count(gpkg, "sites"));
    CHECK(attribute(dom, "map", "data-flows") == feature_count(gpkg, "flows"));
    const Job job = load_job(job_file);
    GIntBig exclusions = 0;
    for (const auto& x : job.exclusions)
        exclusions += feature_count(x.path, x.layer);
    CHECK(exclusions > 0);
    CHECK(attribute(dom, "map", "data-exclusions") == exclusions);
    CHECK(attribute(dom, "map", "data-corridor_belts") == 0); // the demo has no corridor

    // The charts painted their canvases, one bar per label.
    const std::pair<const char*, GIntBig> charts[] = {
        {"chart-freed_by_township", feature_count(gpkg, "townships")},
        {"chart-freed_by_zone", feature_count(gpkg, "zones")},
        {"chart-sites", feature_count(gpkg, "sites")},
        {"chart-paid_by_payee", -2}};
    for (const auto& [id, bars] : charts) {
        INFO(id);
        CHECK(attribute(dom, id, "data-painted") > 2000);
        if (bars >= 0)
            CHECK(attribute(dom, id, "data-bars") == bars);
        else
            CHECK(attribute(dom, id, "data-bars") > 0);
    }

    // A screenshot for people, a PDF for the printer.
    const fs::path png = artifacts / "report.png", pdf = artifacts / "report.pdf";
    fs::remove(png);
    fs::remove(pdf);
    REQUIRE(shell(chromium(dir / "profile", "--window-size=1280,2200 --screenshot=" + quote(png),
                           page) +
                  " 2>/dev/null")
                .status == 0);
    REQUIRE(fs::exists(png));
    CHECK(read_file(png).rfind("\x89PNG", 0) == 0);
    CHECK(fs::file_size(png) > 50 * 1024);
    REQUIRE(shell(chromium(dir / "profile", "--no-pdf-header-footer --print-to-pdf=" + quote(pdf),
                           page) +
                  " 2>/dev/null")
                .status == 0);
    REQUIRE(fs::exists(pdf));
    const std::string pdf_bytes = read_file(pdf);
    CHECK(pdf_bytes.rfind("%PDF-", 0) == 0);
    CHECK(fs::file_size(pdf) > 100 * 1024);
    // Several A4 pages: the tables and the methods appendix do not fit on one.
    CHECK(occurrences(pdf_bytes, "/Type /Page") - occurrences(pdf_bytes, "/Type /Pages") >= 3);
    CHECK(pdf_bytes.find("/MediaBox [0 0 594.95996 841.91998]") != std::string::npos);
}

TEST_CASE("report.html in headless Chromium: the Quzhou corridor's belt and route on the map",
          "[publish][report][chromium][quzhou][corridors]") {
    REQUIRE(shell("command -v chromium >/dev/null").status == 0); // scripts/setup-debian.sh
    TempDir dir;
    const fs::path job_file = source_dir() / "sample_maps" / "quzhou" / "job.toml";
    const CliResult r =
        run_cli("run " + job_file.string() + " --out " + (dir / "out").string() + " --ledger " +
                (dir / "ledger.sqlite").string() + " --lang zh --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const fs::path page = dir / "out" / "report.html";
    const Shell dump =
        shell(chromium(dir / "profile", "--enable-logging=stderr --v=0 --dump-dom", page) + " 2>" +
              quote(dir / "console.txt"));
    INFO(read_file(dir / "console.txt"));
    REQUIRE(dump.status == 0);
    const std::string& dom = dump.out;
    const fs::path artifacts = fs::current_path() / "report-artifacts";
    fs::create_directories(artifacts);
    write_file(artifacts / "report-quzhou-dom.html", dom);
    CHECK(dom.find("data-ready=\"1\"") != std::string::npos);
    CHECK(dom.find("data-errors=\"0\"") != std::string::npos);

    // As many belts and routes on the map as in result.gpkg (one dissolved belt, its routes),
    // and each belt drawn as one SVG path of its own class.
    const fs::path gpkg = dir / "out" / "result.gpkg";
    const GIntBig belts = feature_count(gpkg, "corridor_belts");
    const GIntBig routes = feature_count(gpkg, "corridor_routes");
    CHECK(belts == 1);
    CHECK(routes >= 1);
    CHECK(attribute(dom, "map", "data-corridor_belts") == belts);
    CHECK(attribute(dom, "map", "data-corridor_routes") == routes);
    CHECK(occurrences(dom, "class=\"corridor-belt") == static_cast<std::size_t>(belts));
    CHECK(occurrences(dom, "class=\"corridor-route") == static_cast<std::size_t>(routes));
    // The layer control and the legend name them.
    CHECK(dom.find("廊道线路") != std::string::npos);
    const auto legend = dom.find("class=\"legend");
    REQUIRE(legend != std::string::npos);
    CHECK(dom.find("诗画风光带", legend) != std::string::npos);
}

TEST_CASE("report.html: names holding markup stay text", "[publish][report]") {
    TempDir dir;
    MiniCounty county;
    const std::string evil = "</script><script>alert(\"x\")</script> & 'q' <b>";
    county.villages[0].values[1] = evil;
    const fs::path job = county.write(dir.path());
    const CliResult r =
        run_cli("run " + job.string() + " --out " + (dir / "out").string() + " --lang en --quiet");
    INFO(r.err);
    REQUIRE(r.exit_code == 0);
    const std::string html = read_file(dir / "out" / "report.html");
    CHECK(html.find(evil) == std::string::npos);
    CHECK(html.find("alert(\"x\")</script>") == std::string::npos);
    // Every <script> element the page has is one it opened: the name closed none.
    const auto opened = occurrences(html, "<script>") + occurrences(html, "<script ");
    const auto closed = occurrences(html, "</script>");
    CHECK(opened == closed);
    CHECK(opened == 5); // error probe, Leaflet, Chart.js, the data, the page's script
    // In the tables the name is escaped text.
    CHECK(html.find("&lt;/script&gt;&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; "
                    "&#39;q&#39; &lt;b&gt;") != std::string::npos);
    const std::string md = read_file(dir / "out" / "report.md");
    CHECK(md.find("<b>") == std::string::npos);
    CHECK(md.find("&lt;b>") != std::string::npos);
}
