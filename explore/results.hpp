#pragma once
// What `enos explore` keeps in its output folder (docs/explore.md): the sweep's manifest,
// one record per point (written atomically, so a killed sweep resumes), and the results made
// from those records alone — results.csv/json, pareto.csv and index.html — so a merge of
// shard folders writes exactly what a single run writes.
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "energy/area.hpp"
#include "explore/sweep.hpp"

namespace enos::explore {

nlohmann::json sweep_manifest(const Sweep& sweep, const energy::AreaTable& area);
// Writes DIR/sweep.json, or checks that the one there is the same sweep (SpecError if not).
void prepare_output(const std::string& dir, const nlohmann::json& manifest);
nlohmann::json read_manifest(const std::string& dir);  // SpecError when absent or unreadable

std::string point_path(const std::string& dir, const std::string& id);
// The point's record when present, complete and of this sweep; nothing otherwise.
std::optional<nlohmann::json> read_point(const std::string& dir, const std::string& id, const std::string& sweep_hash);
void write_point(const std::string& dir, const std::string& id, const nlohmann::json& record);

struct ResultRow {
  nlohmann::json fields;  // one CSV row's values by column
  std::string workload;
  bool valid = false, pareto = false;
  double energy_uj = 0, latency_us = 0, area_mm2 = 0;
};

std::vector<ResultRow> result_rows(const std::vector<nlohmann::json>& points);
void mark_pareto(std::vector<ResultRow>& rows);  // per workload: energy, latency, area, all minimized

// Writes results.csv, results.json, pareto.csv and index.html into dir; `shard` is "I/N" or
// empty. Points must be in index order.
void write_results(const std::string& dir, const nlohmann::json& manifest, const std::vector<nlohmann::json>& points,
                   const std::string& shard);

// index.html: SVG scatter plots per workload with the front marked (explore/html.cpp).
std::string results_html(const nlohmann::json& manifest, const std::vector<ResultRow>& rows);

}  // namespace enos::explore
