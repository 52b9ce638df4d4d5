// report.html: the report model (publish/report_model.hpp) as one self-contained page that works
// offline when double-clicked — Leaflet and Chart.js are inlined (from Debian's libjs-leaflet and
// libjs-chart.js, compiled in: publish/report_assets.hpp), the map data is inline GeoJSON, there
// is no tile layer and nothing is fetched. Prints as an A4 report.
//
// Everything from the data is escaped: text and attributes as HTML, the inline JSON with <, > and
// & as \u escapes so no name can end a <script> element.
#include "core/translate.hpp"
#include "io/write_checks.hpp"
#include "landquota/error.hpp"
#include "publish/html_text.hpp"
#include "publish/report_assets.hpp"
#include "publish/report_map.hpp"
#include "publish/report_model.hpp"

#include <cerrno>
#include <cstring>
#include <fmt/format.h>
#include <fstream>
#include <sstream>

namespace landquota {

namespace {

using nlohmann::json;

// JSON safe inside <script>: no "<", ">" or "&" at all (they only occur inside strings, where
// the \u escapes mean the same), nor the line separators JavaScript once refused in strings.
std::string script_json(const json& j) {
    const std::string text = j.dump(-1, ' ', false, json::error_handler_t::replace);
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        const char c = text[i];
        if (c == '<')
            out += "\\u003c";
        else if (c == '>')
            out += "\\u003e";
        else if (c == '&')
            out += "\\u0026";
        else if (c == '\xE2' && i + 2 < text.size() && text[i + 1] == '\x80' &&
                 (text[i + 2] == '\xA8' || text[i + 2] == '\xA9')) {
            out += text[i + 2] == '\xA8' ? "\\u2028" : "\\u2029";
            i += 2;
        } else
            out += c;
    }
    return out;
}

// A library's text inside <script> or <style>: it must not close the element early.
std::string_view checked_asset(std::string_view text, const char* closing) {
    if (text.find(closing) != std::string_view::npos)
        throw Error(Stage::Publish, trf("report.html: an embedded library holds {}", closing),
                    Error::Kind::Internal);
    return text;
}

double display_value(const Amount& a) {
    switch (a.unit) {
    case Unit::AreaM2:
    case Unit::AreaMu:
    case Unit::Yuan:
        return static_cast<double>(a.value) / 100.0;
    case Unit::AreaHa:
        return static_cast<double>(a.value) / 1e6;
    default:
        return static_cast<double>(a.value);
    }
}

const char* kStyle = R"CSS(
:root { --ink: #1d2733; --muted: #5b6875; --rule: #d5dbe1; --accent: #1f4e79; }
* { box-sizing: border-box; }
body { font: 14px/1.5 "Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC",
       system-ui, sans-serif; color: var(--ink); margin: 0 auto; max-width: 1200px; padding: 24px; }
h1 { font-size: 24px; margin: 0 0 12px; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 2px solid var(--accent); padding-bottom: 2px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
table { border-collapse: collapse; margin: 6px 0 12px; font-size: 12.5px; }
th, td { border-bottom: 1px solid var(--rule); padding: 3px 8px; text-align: left; vertical-align: top; }
th { background: #eef2f6; font-weight: 600; }
td.n, th.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
tfoot td { font-weight: 700; border-top: 2px solid var(--ink); }
code, .hash { font-family: "DejaVu Sans Mono", monospace; font-size: 11.5px; word-break: break-all; }
.cards { display: flex; flex-wrap: wrap; gap: 12px; margin: 8px 0 4px; }
.card { border: 1px solid var(--rule); border-left: 4px solid var(--accent); padding: 8px 12px; min-width: 180px; }
.card .v { font-size: 20px; font-weight: 700; }
.card .l { color: var(--muted); font-size: 12px; }
.figures { width: 100%; }
.figures td:first-child { white-space: nowrap; font-weight: 600; }
.figures td:nth-child(2) { white-space: nowrap; text-align: right; }
.figures td:nth-child(4) { max-width: 360px; }
.figures td:nth-child(3), .figures td:nth-child(4) { font-size: 12px; }
#map { height: 560px; border: 1px solid var(--rule); background: #f7f9fb; }
.legend { background: rgba(255,255,255,.92); padding: 6px 8px; border: 1px solid var(--rule); font-size: 12px; line-height: 18px; }
.legend i { display: inline-block; width: 14px; height: 12px; margin-right: 6px; vertical-align: -1px; }
.charts { display: flex; flex-wrap: wrap; gap: 16px; }
.chart { border: 1px solid var(--rule); padding: 8px; }
.ok { color: #1a7f37; font-weight: 700; } .bad { color: #b42318; font-weight: 700; }
.notes li { color: #8a4b00; }
.plan-banner { background: #fff3cd; border: 2px solid #c77700; color: #7a3e00; font-weight: bold;
  font-size: 1.2em; padding: 0.6em 1em; margin: 0 0 1em 0; }
.outcome { font-weight: bold; color: #7a2e00; }
pre.methods { white-space: pre-wrap; font-size: 12px; background: #f7f9fb; padding: 8px 12px; border: 1px solid var(--rule); }
footer { color: var(--muted); font-size: 11px; margin-top: 32px; }
@page { size: A4; margin: 14mm 12mm; }
@media print {
  body { max-width: none; padding: 0; font-size: 10.5pt; }
  h2 { break-after: avoid; page-break-after: avoid; }
  tr, .card, .chart, #map { break-inside: avoid; page-break-inside: avoid; }
  thead { display: table-header-group; }
  table { font-size: 8.5pt; }
  #map { height: 150mm; }
  .leaflet-control-container .leaflet-control-zoom, .leaflet-control-layers { display: none; }
  a { color: inherit; text-decoration: none; }
  #methods { break-before: page; page-break-before: always; }
}
)CSS";

// Records any error on the page into the DOM before anything else runs (the Chromium test reads
// data-errors), so a broken library or bad data cannot pass silently.
const char* kErrorProbe = R"JS(
(function () {
  var root = document.documentElement, n = 0;
  root.setAttribute('data-errors', '0');
  function bump(what) { n++; root.setAttribute('data-errors', String(n));
    root.setAttribute('data-last-error', String(what)); }
  window.addEventListener('error', function (e) { bump(e.message || (e.target && e.target.outerHTML) || 'error'); }, true);
  window.addEventListener('unhandledrejection', function (e) { bump(e.reason); });
})();
)JS";

const char* kScript = R"JS(
(function () {
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var T = data.text;

  // ---- map: no tile layer (the report works offline); everything is the run's own data.
  var mapDiv = document.getElementById('map');
  var map = L.map(mapDiv, { attributionControl: false, zoomSnap: 0.25 });
  var freed = data.map.villages.features.map(function (f) { return f.properties.freed_mu; })
    .filter(function (v) { return v > 0; }).sort(function (a, b) { return a - b; });
  var breaks = [0.2, 0.4, 0.6, 0.8].map(function (q) {
    return freed.length ? freed[Math.min(freed.length - 1, Math.floor(q * freed.length))] : 0; });
  var greens = ['#edf8e9', '#bae4b3', '#74c476', '#31a354', '#006d2c'];
  function villageColour(v) {
    if (v < 0) return '#9e9ac8';
    if (v === 0) return '#f0f0f0';
    var i = 0; while (i < breaks.length && v > breaks[i]) i++;
    return greens[i];
  }
  function esc(s) { var d = document.createElement('div'); d.textContent = String(s); return d.innerHTML; }
  function fmt(v) { return Number(v).toLocaleString(data.lang === 'zh' ? 'zh-CN' : 'en',
    { minimumFractionDigits: 2, maximumFractionDigits: 2 }); }

  var villages = L.geoJSON(data.map.villages, {
    style: function (f) { return { color: f.properties.relocating ? '#444' : '#999',
      weight: f.properties.relocating ? 1.2 : 0.5, fillColor: villageColour(f.properties.freed_mu),
      fillOpacity: 0.85 }; },
    onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name) + ' (' + esc(f.properties.id) +
      ')<br>' + T.freed + ': ' + fmt(f.properties.freed_mu) + ' ' + T.mu +
      (f.properties.relocating ? '<br>' + T.relocating : '')); }
  }).addTo(map);
  var townships = L.geoJSON(data.map.townships, { interactive: false,
    style: { color: '#2d3a46', weight: 1.6, fill: false } }).addTo(map);
  var zoneColours = ['#d7301f', '#2b8cbe', '#8856a7', '#e6550d'];
  var zoneNames = [];
  data.map.exclusions.features.forEach(function (f) {
    if (zoneNames.indexOf(f.properties.zone) < 0) zoneNames.push(f.properties.zone); });
  var exclusions = L.geoJSON(data.map.exclusions, {
    style: function (f) { var c = zoneColours[zoneNames.indexOf(f.properties.zone) % zoneColours.length];
      return { color: c, weight: 0.6, fillColor: c, fillOpacity: 0.25 }; },
    onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.zone)); }
  }).addTo(map);
  var overlays = {};
  overlays[T.villages] = villages; overlays[T.townships] = townships; overlays[T.exclusions] = exclusions;
  var counts = { villages: villages.getLayers().length, exclusions: exclusions.getLayers().length,
                 townships: townships.getLayers().length, sites: 0, flows: 0,
                 corridor_belts: 0, corridor_routes: 0 };
  // Corridors: the belt see-through over the villages (not interactive, so the villages' tooltips
  // still answer inside it), one colour per corridor; the routes on top with their length.
  var corridorColours = ['#ff7f00', '#6a3d9a', '#1b9e77', '#e7298a'];
  var corridorNames = [];
  function corridorColour(name) { return corridorColours[corridorNames.indexOf(name) % corridorColours.length]; }
  if (data.map.corridor_belts) {
    data.map.corridor_belts.features.concat(data.map.corridor_routes.features).forEach(function (f) {
      if (corridorNames.indexOf(f.properties.corridor) < 0) corridorNames.push(f.properties.corridor); });
    var belts = L.geoJSON(data.map.corridor_belts, { interactive: false,
      style: function (f) { var c = corridorColour(f.properties.corridor);
        return { className: 'corridor-belt', color: c, weight: 1, dashArray: '6 4', fillColor: c,
                 fillOpacity: 0.18 }; } }).addTo(map);
    var routes = L.geoJSON(data.map.corridor_routes, {
      style: function (f) { return { className: 'corridor-route', color: corridorColour(f.properties.corridor),
        weight: 2.5, opacity: 0.9 }; },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.corridor) + ' · ' + esc(f.properties.route) +
        '<br>' + fmt(f.properties.length_km) + ' ' + T.km); }
    }).addTo(map);
    overlays[T.corridor_belts] = belts; overlays[T.corridor_routes] = routes;
    counts.corridor_belts = belts.getLayers().length; counts.corridor_routes = routes.getLayers().length;
  }
  if (data.map.sites) {
    var maxMu = 0;
    data.map.flows.features.forEach(function (f) { maxMu = Math.max(maxMu, f.properties.mu); });
    var flows = L.geoJSON(data.map.flows, {
      style: function (f) { return { color: '#1f4e79', opacity: 0.75,
        weight: 1.5 + 6 * (maxMu > 0 ? f.properties.mu / maxMu : 0) }; },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.id) + ': ' + esc(f.properties.from) +
        ' → ' + esc(f.properties.to) + '<br>' + fmt(f.properties.mu) + ' ' + T.mu); }
    }).addTo(map);
    var sites = L.geoJSON(data.map.sites, {
      style: function (f) { return { color: '#7a2e00', weight: 1.5, fillColor: f.properties.fulfilment >= 1 ?
        '#fd8d3c' : '#fdd0a2', fillOpacity: 0.9 }; },
      onEachFeature: function (f, l) { l.bindTooltip(esc(f.properties.name) + ' (' + esc(f.properties.id) + ')<br>' +
        T.demand + ': ' + fmt(f.properties.demand_mu) + ' ' + T.mu + '<br>' + T.allocated + ': ' +
        fmt(f.properties.allocated_mu) + ' ' + T.mu); }
    }).addTo(map);
    overlays[T.flows] = flows; overlays[T.sites] = sites;
    counts.sites = sites.getLayers().length; counts.flows = flows.getLayers().length;
  }
  L.control.layers(null, overlays, { collapsed: false }).addTo(map);
  L.control.scale({ imperial: false }).addTo(map);
  var legend = L.control({ position: 'bottomright' });
  legend.onAdd = function () {
    var d = L.DomUtil.create('div', 'legend'), h = '<b>' + T.freed + ' (' + T.mu + ')</b><br>';
    var lo = 0;
    greens.forEach(function (c, i) { var hi = i < breaks.length ? breaks[i] : freed[freed.length - 1];
      h += '<i style="background:' + c + '"></i>' + fmt(lo) + ' – ' + fmt(hi || 0) + '<br>'; lo = hi; });
    h += '<i style="background:#f0f0f0"></i>0<br>';
    zoneNames.forEach(function (z, i) { h += '<i style="background:' + zoneColours[i % zoneColours.length] +
      ';opacity:.5"></i>' + esc(z) + '<br>'; });
    corridorNames.forEach(function (n) { var c = corridorColour(n);
      h += '<i style="background:' + c + ';opacity:.35;border:1px dashed ' + c + '"></i>' + esc(n) + '<br>' +
        '<i style="background:' + c + ';height:3px;vertical-align:3px"></i>' + esc(n) + ' · ' +
        T.corridor_routes + '<br>'; });
    if (data.map.sites) h += '<i style="background:#fd8d3c"></i>' + T.sites + '<br>' +
      '<i style="background:#1f4e79;height:3px;vertical-align:3px"></i>' + T.flows;
    d.innerHTML = h; return d; };
  legend.addTo(map);
  var bounds = villages.getBounds();
  if (counts.corridor_belts) bounds.extend(belts.getBounds()); // a belt may run past the villages
  if (bounds.isValid()) map.fitBounds(bounds, { padding: [8, 8] }); else map.setView([0, 0], 2);
  Object.keys(counts).forEach(function (k) { mapDiv.setAttribute('data-' + k, String(counts[k])); });
  // The print layout changes the map's size: redraw it to fill the page.
  window.addEventListener('beforeprint', function () { map.invalidateSize(); if (bounds.isValid()) map.fitBounds(bounds); });

  // ---- charts: drawn at once (no animation), so what prints is what is shown.
  var palette = ['#31a354', '#1f4e79', '#fd8d3c', '#8856a7'];
  data.charts.forEach(function (c) {
    var canvas = document.getElementById('chart-' + c.key);
    var horizontal = c.labels.length > 12;
    var chart = new Chart(canvas, {
      type: 'bar',
      data: { labels: c.labels, datasets: c.series.map(function (s, i) {
        return { label: s.label, data: s.values, backgroundColor: palette[i % palette.length] }; }) },
      options: { responsive: false, animation: false, indexAxis: horizontal ? 'y' : 'x',
        plugins: { legend: { display: c.series.length > 1 }, title: { display: false } } }
    });
    // How much of the canvas was painted, for the test that the chart rendered.
    var ctx = canvas.getContext('2d'), px = ctx.getImageData(0, 0, canvas.width, canvas.height).data, n = 0;
    for (var i = 3; i < px.length; i += 4) if (px[i] !== 0) n++;
    canvas.setAttribute('data-painted', String(n));
    canvas.setAttribute('data-bars', String(chart.getDatasetMeta(0).data.length));
  });
  document.documentElement.setAttribute('data-ready', '1');
})();
)JS";

class Page {
  public:
    Page(const ReportModel& m, json map) : m_(m), map_(std::move(map)) {}

    std::string render() {
        head();
        o_ << "<body>\n";
        if (!m_.banner.empty())
            o_ << "<div class=\"plan-banner\" id=\"plan-banner\">" << html(m_.banner) << "</div>\n";
        o_ << "<h1>" << html(m_.title) << "</h1>\n";
        run();
        figures();
        o_ << "<h2>" << t("地图", "Map") << "</h2>\n<div id=\"map\"></div>\n";
        charts();
        for (const auto& table : m_.tables) {
            this->table(table);
            if (table.name == "corridors" && !m_.corridor_villages.empty()) {
                o_ << "<h3>" << t("廊道涉及村庄", "Villages each corridor touches")
                   << "</h3>\n<ul class=\"corridor-villages\">\n";
                for (const auto& l : m_.corridor_villages)
                    o_ << "<li data-villages=\"" << l.items.size() << "\">" << html(m_.list_text(l))
                       << "</li>\n";
                o_ << "</ul>\n";
            }
        }
        table(m_.findings);
        table(m_.inputs);
        ledger();
        methods();
        o_ << "<footer>"
           << t("由 landquota 生成；Leaflet 与 Chart.js 已内嵌，许可证见页面源码。",
                "Made by landquota; Leaflet and Chart.js are inlined, their "
                "licences are in the page source.")
           << "</footer>\n";
        data();
        o_ << "<script>" << kScript << "</script>\n</body>\n</html>\n";
        return o_.str();
    }

  private:
    const char* t(const char* zh, const char* en) const { return m_.t(zh, en); }

    void head() {
        o_ << "<!DOCTYPE html>\n<html lang=\"" << (m_.lang == Lang::Zh ? "zh-CN" : "en")
           << "\">\n<head>\n<meta charset=\"utf-8\">\n"
           << "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
           << "<title>" << html(m_.title) << "</title>\n"
           << "<!--\nLeaflet and Chart.js are inlined below as Debian ships them. Their copyright "
              "files:\n\n"
           << comment(assets::leaflet_copyright) << "\n\n"
           << comment(assets::chart_copyright) << "\n-->\n"
           << "<script>" << kErrorProbe << "</script>\n"
           << "<style>\n"
           << checked_asset(assets::leaflet_css, "</style") << "\n</style>\n"
           << "<style>" << kStyle << "</style>\n"
           << "<script>\n"
           << checked_asset(assets::leaflet_js, "</script") << "\n</script>\n"
           << "<script>\n"
           << checked_asset(assets::chart_js, "</script") << "\n</script>\n"
           << "</head>\n";
    }

    // Text inside an HTML comment must not end it.
    static std::string comment(std::string_view s) {
        std::string out(s);
        for (std::size_t at; (at = out.find("--")) != std::string::npos;)
            out.replace(at, 2, "- -");
        return out;
    }

    void run() {
        o_ << "<table class=\"run\">\n";
        for (const auto& [k, v] : m_.run)
            o_ << "<tr><th>" << html(k) << "</th><td>" << html(v) << "</td></tr>\n";
        o_ << "</table>\n";
    }

    std::string amount(const Amount& a) const { return html(m_.amount_text(a)); }

    void figures() {
        o_ << "<h2>" << t("主要数字", "Figures") << "</h2>\n<div class=\"cards\">\n";
        for (const auto& f : m_.figures) {
            if (f.key != "freed" && f.key != "allocated" && f.key != "shortfall" && f.key != "paid")
                continue;
            // The mu where there is one (what the office speaks in), else the only value.
            const Amount& a = f.amounts.size() > 1 ? f.amounts[1] : f.amounts[0];
            o_ << "<div class=\"card\" data-figure=\"" << html(f.key) << "\"><div class=\"v\">"
               << amount(a) << "</div><div class=\"l\">" << html(f.label) << "</div></div>\n";
        }
        o_ << "</div>\n<table class=\"figures\">\n<thead><tr><th>" << t("项目", "Figure")
           << "</th><th class=\"n\">" << t("数值", "Value") << "</th><th>" << t("规则", "Rule")
           << "</th><th>" << t("任务设置", "Job setting") << "</th><th>" << t("方法", "Method")
           << "</th></tr></thead>\n<tbody>\n";
        for (const auto& f : m_.figures) {
            o_ << "<tr data-figure=\"" << html(f.key) << "\"><td>" << html(f.label)
               << "</td><td class=\"n\">";
            o_ << html(f.text);
            for (std::size_t i = 0; i < f.amounts.size(); ++i)
                o_ << (i ? "<br>" : "") << amount(f.amounts[i]);
            o_ << "</td><td>" << html(f.rule) << "</td><td><code>" << html(f.setting)
               << "</code></td><td><a href=\"#" << html(f.method.anchor) << "\">methods.md §"
               << html(f.method.number) << " " << html(f.method.title) << "</a></td></tr>\n";
        }
        o_ << "</tbody>\n</table>\n";
        for (const auto& n : m_.outcome)
            o_ << "<p class=\"outcome\">" << html(n) << "</p>\n";
        if (!m_.notes.empty()) {
            o_ << "<ul class=\"notes\">\n";
            for (const auto& n : m_.notes)
                o_ << "<li>" << html(n) << "</li>\n";
            o_ << "</ul>\n";
        }
    }

    void charts() {
        o_ << "<h2>" << t("图表", "Charts") << "</h2>\n<div class=\"charts\">\n";
        for (const auto& c : m_.charts) {
            // Tall enough for one bar per label when there are many (drawn horizontally).
            const std::size_t height = c.labels.size() > 12 ? 60 + 18 * c.labels.size() : 300;
            o_ << "<div class=\"chart\"><h3>" << html(c.title) << "</h3><canvas id=\"chart-"
               << html(c.key) << "\" width=\"540\" height=\"" << height << "\"></canvas></div>\n";
        }
        o_ << "</div>\n";
    }

    void table(const Table& tb) {
        o_ << "<h2 id=\"table-" << html(tb.name) << "\">" << html(m_.title_of(tb)) << "</h2>\n";
        if (tb.rows.empty()) {
            o_ << "<p>" << t("（无）", "(none)") << "</p>\n";
            return;
        }
        o_ << "<table class=\"data\" data-table=\"" << html(tb.name) << "\">\n<thead><tr>";
        for (const auto& c : tb.columns)
            o_ << "<th" << (c.unit != Unit::Text ? " class=\"n\"" : "") << ">" << html(m_.header(c))
               << "</th>";
        o_ << "</tr></thead>\n<tbody>\n";
        auto cells = [&](const std::vector<Cell>& row) {
            for (std::size_t i = 0; i < row.size(); ++i) {
                const Unit u = tb.columns[i].unit;
                const std::string text = cell_text(row[i], u);
                o_ << "<td" << (u != Unit::Text ? " class=\"n\"" : "")
                   << (text.size() == 64 && tb.name == "inputs" ? " class=\"hash\"" : "") << ">"
                   << html(text) << "</td>";
            }
        };
        for (const auto& row : tb.rows) {
            o_ << "<tr>";
            cells(row);
            o_ << "</tr>\n";
        }
        o_ << "</tbody>\n";
        if (tb.totals) {
            o_ << "<tfoot><tr>";
            cells(total_row(tb, m_));
            o_ << "</tr></tfoot>\n";
        }
        o_ << "</table>\n";
    }

    void ledger() {
        const auto& l = m_.ledger;
        if (!l)
            return;
        o_ << "<h2>" << t("审计台账", "Audit ledger") << "</h2>\n<table class=\"run\">\n"
           << "<tr><th>" << t("台账", "Ledger") << "</th><td>" << html(l->path) << "</td></tr>\n"
           << "<tr><th>" << t("运行", "Run") << "</th><td>" << l->run << "</td></tr>\n"
           << "<tr><th>" << t("头哈希", "Head hash") << "</th><td class=\"hash\">"
           << html(l->head_hash) << "</td></tr>\n<tr><th>" << t("校验", "Verification")
           << "</th><td>";
        if (l->verified)
            o_ << "<span class=\"ok\" data-verified=\"1\">" << t("通过", "passed") << "</span> ("
               << l->entries << " " << t("条记录，含本次运行", "entries, this run's included")
               << ")";
        else
            o_ << "<span class=\"bad\" data-verified=\"0\">" << t("未通过", "failed")
               << "</span>: " << html(l->problem);
        o_ << "</td></tr>\n</table>\n<p>" << t("提交后可复核：", "Check it after the commit with: ")
           << "<code>landquota audit verify " << html(l->path) << " --head " << html(l->head_hash)
           << "</code></p>\n";
    }

    // docs/methods.md as it was when this engine was built, so the figures' links work offline.
    void methods() {
        o_ << "<section id=\"methods\"><h2>"
           << t("方法（docs/methods.md）", "Methods (docs/methods.md)") << "</h2>\n";
        const std::string_view md = assets::methods_md;
        std::size_t at = md.find("\n## ");
        for (const auto& s : m_.methods) {
            if (at == std::string_view::npos)
                break;
            const std::size_t body = md.find('\n', at + 1);
            const std::size_t next = md.find("\n## ", body);
            o_ << "<h3 id=\"" << html(s.anchor) << "\">§" << html(s.number) << " " << html(s.title)
               << "</h3>\n<pre class=\"methods\">"
               << html(md.substr(body + 1,
                                 next == std::string_view::npos ? md.npos : next - body - 1))
               << "</pre>\n";
            at = next;
        }
        o_ << "</section>\n";
    }

    void data() {
        json charts = json::array();
        for (const auto& c : m_.charts) {
            json series = json::array();
            for (const auto& s : c.series) {
                json values = json::array();
                for (const auto& v : s.values)
                    values.push_back(display_value(v));
                series.push_back({{"label", s.label}, {"values", values}});
            }
            charts.push_back({{"key", c.key}, {"labels", c.labels}, {"series", series}});
        }
        const json text = {{"freed", t("节余指标", "Freed quota")},
                           {"mu", t("亩", "mu")},
                           {"relocating", t("整体搬迁", "relocating")},
                           {"villages", t("村（按节余指标着色）", "Villages (by freed quota)")},
                           {"townships", t("乡镇界", "Townships")},
                           {"exclusions", t("排除区", "Exclusion zones")},
                           {"corridor_belts", t("廊道", "Corridor belts")},
                           {"corridor_routes", t("廊道线路", "Corridor routes")},
                           {"km", t("公里", "km")},
                           {"sites", t("建新项目", "Sites")},
                           {"flows", t("指标流向", "Flows of quota")},
                           {"demand", t("需求", "Demand")},
                           {"allocated", t("已分配", "Allocated")}};
        const json all = {{"lang", m_.lang == Lang::Zh ? "zh" : "en"},
                          {"text", text},
                          {"map", map_},
                          {"charts", charts}};
        o_ << "<script type=\"application/json\" id=\"report-data\">" << script_json(all)
           << "</script>\n";
    }

    const ReportModel& m_;
    json map_;
    std::ostringstream o_;
};

class ReportHtmlWriter final : public Writer {
  public:
    explicit ReportHtmlWriter(const WriterContext& c)
        : file_(c.folder / "report.html"), crs_(c.crs), lang_(c.lang) {}

    void finish(const RunResults& r) override {
        const ReportModel model = build_report(r, lang_);
        std::ofstream o(file_, std::ios::binary);
        o << Page(model, report_map(r, crs_)).render();
        o.close();
        if (!o)
            throw Error(Stage::Publish, write_failure(file_, std::strerror(errno)));
    }

  private:
    std::filesystem::path file_;
    const OGRSpatialReference& crs_;
    Lang lang_;
};

} // namespace

const char* report_css() {
    return kStyle;
}

std::unique_ptr<Writer> make_report_html_writer(const WriterContext& c) {
    return std::make_unique<ReportHtmlWriter>(c);
}

} // namespace landquota
