#include "explore/results.hpp"

#include <unistd.h>

#include <algorithm>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>

#include "spec/atomic_file.hpp"
#include "spec/json_reader.hpp"
#include "spec/output_files.hpp"

namespace enos::explore {
namespace {

namespace fs = std::filesystem;

const char* const kFixedColumns[] = {"workload", "operator", "valid", "reason", "clock_mhz", "technology_nm",
                                     "energy_table", "pes", "area_mm2", "energy_uj", "latency_us", "cycles",
                                     "edp_uj_us", "utilization", "pareto"};

// Swept keys are columns too; the prefix keeps `clock_mhz` the swept value apart from
// `clock_mhz` the point's clock, and says these are architecture keys.
constexpr const char* kParamPrefix = "arch.";

// Written under a temporary name, flushed and renamed: a killed run leaves the old file or the new.
void write_atomically(const std::string& path, const std::string& text) { spec::write_file_atomically(path, text); }

std::string csv_cell(const nlohmann::json& v) {
  if (v.is_null()) return "";
  if (v.is_boolean()) return v.get<bool>() ? "1" : "0";
  if (v.is_number_float()) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.9g", v.get<double>());
    return buf;
  }
  const std::string s = v.is_string() ? v.get<std::string>() : v.dump();
  if (s.find_first_of(",\"\n") == std::string::npos) return s;
  std::string q = "\"";
  for (char c : s) q += c == '"' ? std::string("\"\"") : std::string(1, c);
  return q + "\"";
}

std::vector<std::string> columns(const nlohmann::json& manifest) {
  std::vector<std::string> cols = {"point", "index"};
  for (const auto& k : manifest["parameters"]) cols.push_back(std::string(kParamPrefix) + k.get<std::string>());
  cols.insert(cols.end(), std::begin(kFixedColumns), std::end(kFixedColumns));
  return cols;
}

std::string csv(const nlohmann::json& manifest, const std::vector<ResultRow>& rows, bool front_only) {
  const std::vector<std::string> cols = columns(manifest);
  std::string out;
  for (std::size_t i = 0; i < cols.size(); ++i) out += (i ? "," : "") + csv_cell(cols[i]);
  out += "\n";
  for (const ResultRow& r : rows) {
    if (front_only && !r.pareto) continue;
    for (std::size_t i = 0; i < cols.size(); ++i)
      out += (i ? "," : "") + csv_cell(r.fields.contains(cols[i]) ? r.fields[cols[i]] : nlohmann::json());
    out += "\n";
  }
  return out;
}

ResultRow base_row(const nlohmann::json& point) {
  ResultRow r;
  r.fields["point"] = point["id"];
  r.fields["index"] = point["index"];
  // A null value (a key removed at this point) is shown as null, not as an empty cell.
  for (const auto& kv : point["params"])
    r.fields[std::string(kParamPrefix) + kv[0].get<std::string>()] = kv[1].is_null() ? nlohmann::json("null") : kv[1];
  if (!point["valid"].get<bool>()) return r;
  const nlohmann::json& a = point["arch"];
  r.fields["clock_mhz"] = a["clock_mhz"];
  r.fields["technology_nm"] = a["technology_nm"];
  r.fields["energy_table"] = a["energy_table"]["name"];
  r.fields["pes"] = a["pes"];
  r.fields["area_mm2"] = a["area_mm2"];
  r.area_mm2 = a["area_mm2"].get<double>();
  return r;
}

nlohmann::json results_json(const nlohmann::json& manifest, const std::vector<ResultRow>& rows,
                            const std::string& shard) {
  nlohmann::json j = {{"format", "enos-explore/1"},
                      {"tool_version", manifest["tool_version"]},
                      {"sweep", {{"name", manifest["name"]}, {"file", manifest["file"]}, {"hash", manifest["sweep_hash"]}}},
                      {"area_table", manifest["area_table"]},
                      {"points", manifest["points"]},
                      {"parameters", manifest["parameters"]},
                      {"rows", nlohmann::json::array()}};
  if (!shard.empty()) j["shard"] = shard;
  for (const ResultRow& r : rows) j["rows"].push_back(r.fields);
  return j;
}

// a dominates b: no worse in every objective and better in one.
bool dominates(const ResultRow& a, const ResultRow& b) {
  const bool no_worse = a.energy_uj <= b.energy_uj && a.latency_us <= b.latency_us && a.area_mm2 <= b.area_mm2;
  const bool better = a.energy_uj < b.energy_uj || a.latency_us < b.latency_us || a.area_mm2 < b.area_mm2;
  return no_worse && better;
}

}  // namespace

nlohmann::json sweep_manifest(const Sweep& sweep, const energy::AreaTable& area) {
  return {{"format", "enos-explore-sweep/1"},
          {"tool_version", ENOS_VERSION},
          {"name", sweep.name},
          {"file", sweep.file},
          {"sweep_hash", sweep.hash},
          {"points", sweep.points},
          {"parameters", sweep.parameter_keys()},
          {"area_table",
           {{"name", area.name}, {"file", area.file}, {"hash", area.hash}, {"technology_nm", area.technology_nm}}},
          {"sweep", sweep.doc}};
}

void prepare_output(const std::string& dir, const nlohmann::json& manifest) {
  std::error_code ec;
  fs::create_directories(dir + "/points", ec);
  // Named as the option it came from, like every output (docs/cli.md, "Outputs").
  if (ec) throw spec::SpecError("--out", dir, "cannot create the output folder: " + ec.message());
  const std::string path = dir + "/sweep.json";
  if (!fs::exists(path)) {
    write_atomically(path, manifest.dump(1) + "\n");
    return;
  }
  const nlohmann::json there = read_manifest(dir);
  if (there.value("sweep_hash", "") != manifest["sweep_hash"] || there.value("tool_version", "") != manifest["tool_version"])
    throw spec::SpecError(path, "sweep_hash",
                          "this folder holds points of another sweep or enos version (" + there.value("name", "?") +
                              ", hash " + there.value("sweep_hash", "?") + "); use another --out");
}

nlohmann::json read_manifest(const std::string& dir) {
  const nlohmann::json m = spec::load_json_file(dir + "/sweep.json");
  if (!m.is_object() || m.value("format", "") != "enos-explore-sweep/1")
    throw spec::SpecError(dir + "/sweep.json", "format", "not an enos explore folder (expected enos-explore-sweep/1)");
  return m;
}

std::string point_path(const std::string& dir, const std::string& id) { return dir + "/points/" + id + ".json"; }

std::optional<nlohmann::json> read_point(const std::string& dir, const std::string& id, const std::string& sweep_hash) {
  std::ifstream in(point_path(dir, id), std::ios::binary);
  if (!in) return std::nullopt;
  std::stringstream text;
  text << in.rdbuf();
  nlohmann::json p = nlohmann::json::parse(text.str(), nullptr, false);
  if (p.is_discarded() || !p.is_object() || p.value("sweep_hash", "") != sweep_hash || p.value("id", "") != id)
    return std::nullopt;
  // A record damaged by hand is evaluated again rather than trusted (or crashing the writer).
  const bool valid = p.contains("valid") && p["valid"].is_boolean() && p.contains("params") && p["params"].is_array();
  if (!valid) return std::nullopt;
  if (p["valid"].get<bool>() ? !(p.contains("arch") && p.contains("rows") && p["rows"].is_array())
                             : !(p.contains("reason") && p["reason"].is_string()))
    return std::nullopt;
  return p;
}

void write_point(const std::string& dir, const std::string& id, const nlohmann::json& record) {
  write_atomically(point_path(dir, id), record.dump(1) + "\n");
}

std::vector<ResultRow> result_rows(const std::vector<nlohmann::json>& points) {
  std::vector<ResultRow> rows;
  for (const nlohmann::json& p : points) {
    if (!p["valid"].get<bool>()) {
      ResultRow r = base_row(p);
      r.fields["valid"] = false;
      r.fields["reason"] = p["reason"];
      rows.push_back(r);
      continue;
    }
    for (const nlohmann::json& row : p["rows"]) {
      ResultRow r = base_row(p);
      for (const auto& [k, v] : row.items()) r.fields[k] = v;
      r.workload = row["workload"].get<std::string>();
      r.valid = row["valid"].get<bool>();
      if (r.valid) {
        r.energy_uj = row["energy_uj"].get<double>();
        r.latency_us = row["latency_us"].get<double>();
      }
      rows.push_back(r);
    }
  }
  return rows;
}

// Sorted by energy (then latency, area), a row is on the front unless an earlier front row
// dominates it: only those can, so the work is rows × front size.
void mark_pareto(std::vector<ResultRow>& rows) {
  std::vector<ResultRow*> order;
  for (ResultRow& r : rows)
    if (r.valid) order.push_back(&r);
  std::stable_sort(order.begin(), order.end(), [](const ResultRow* a, const ResultRow* b) {
    if (a->workload != b->workload) return a->workload < b->workload;
    return std::tie(a->energy_uj, a->latency_us, a->area_mm2) < std::tie(b->energy_uj, b->latency_us, b->area_mm2);
  });
  std::vector<ResultRow*> front;
  for (ResultRow* r : order) {
    if (!front.empty() && front.back()->workload != r->workload) front.clear();
    const bool dominated = std::any_of(front.begin(), front.end(), [&](const ResultRow* f) { return dominates(*f, *r); });
    if (!dominated) front.push_back(r);
    r->pareto = !dominated;
  }
  for (ResultRow& r : rows) r.fields["pareto"] = r.pareto;
}

void write_results(const std::string& dir, const nlohmann::json& manifest, const std::vector<nlohmann::json>& points,
                   const std::string& shard) {
  std::vector<ResultRow> rows = result_rows(points);
  mark_pareto(rows);
  // The four results together or none of them (spec::OutputFiles).
  spec::OutputFiles results;
  results.add(dir + "/results.csv", csv(manifest, rows, false));
  results.add(dir + "/pareto.csv", csv(manifest, rows, true));
  results.add(dir + "/results.json", results_json(manifest, rows, shard).dump(1) + "\n");
  results.add(dir + "/index.html", results_html(manifest, rows));
  results.publish();
}

}  // namespace enos::explore
