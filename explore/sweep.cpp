#include "explore/sweep.hpp"

#include <cmath>
#include <filesystem>

#include "spec/config_files.hpp"
#include "spec/export_format.hpp"
#include "spec/json_reader.hpp"
#include "spec/workload_files.hpp"

namespace enos::explore {
namespace {

using spec::JsonNode;
namespace fs = std::filesystem;

constexpr int64_t kMaxPoints = 1000000;  // a typo in a range should not queue years of work
constexpr int64_t kMaxValues = 10000;

// Paths in the sweep are relative to the sweep file's folder, like an architecture's table.
std::string resolve(const std::string& sweep_file, const std::string& path) {
  if (path.empty() || fs::path(path).is_absolute()) return path;
  return (fs::path(sweep_file).parent_path() / path).lexically_normal().string();
}

// A file the sweep names: when it is missing or unreadable, that is the sweep's mistake, named
// at the key that names it ("sweep.workloads[0].workload: w.json: cannot open ..."); mistakes
// inside the file keep their own file and path.
template <class Read>
auto read_named(const JsonNode& key, const std::string& file, Read&& read) {
  try {
    return read();
  } catch (const spec::SpecError& e) {
    if (e.file() == file && e.path() == "(file)") key.fail(file + ": " + e.reason());
    throw;
  }
}

// Two keys that set the same value: equal, or one names an object holding the other
// ("global_buffer" and "global_buffer.size_kib").
bool overlapping_keys(const std::string& a, const std::string& b) {
  const std::string& shorter = a.size() < b.size() ? a : b;
  const std::string& longer = a.size() < b.size() ? b : a;
  return longer.compare(0, shorter.size(), shorter) == 0 &&
         (longer.size() == shorter.size() || longer[shorter.size()] == '.');
}

std::vector<std::string> split_key(const std::string& key) {
  std::vector<std::string> parts;
  std::size_t start = 0;
  for (std::size_t dot; (dot = key.find('.', start)) != std::string::npos; start = dot + 1)
    parts.push_back(key.substr(start, dot - start));
  parts.push_back(key.substr(start));
  return parts;
}

// A key must name a member of an object the base architecture has. A member the base lacks
// is allowed when the architecture format knows it (a mode added at some points, an optional
// key): the parser decides, so a misspelt key fails at load, not as an invalid point each time.
void check_key(const JsonNode& node, const nlohmann::json& base, const std::string& key, const nlohmann::json& value) {
  const std::vector<std::string> parts = split_key(key);
  nlohmann::json doc = base;
  nlohmann::json* at = &doc;
  for (std::size_t i = 0; i + 1 < parts.size(); ++i) {
    if (parts[i].empty() || !at->is_object() || !at->contains(parts[i]))
      node.fail("'" + key + "' is not a key of the base architecture (no object '" + parts[i] + "')");
    at = &(*at)[parts[i]];
  }
  if (parts.back().empty() || !at->is_object()) node.fail("'" + key + "' is not a key of the base architecture");
  if (at->contains(parts.back()) || value.is_null()) return;
  (*at)[parts.back()] = value;
  try {
    spec::parse_arch(doc, "(sweep)");
  } catch (const spec::SpecError& e) {
    if (e.reason().find("unknown key '" + parts.back() + "'") != std::string::npos)
      node.fail("'" + key + "' is not a key of the architecture format: " + e.reason());
  }
}

nlohmann::json range_value(double v, bool integral) {
  if (integral) return int64_t(std::llround(v));
  return v;
}

// {"from": a, "to": b, "step": s} (arithmetic) or {"from": a, "to": b, "times": f} (geometric),
// both inclusive; integers stay integers.
std::vector<nlohmann::json> read_range(const JsonNode& n) {
  n.reject_unknown_keys({"from", "to", "step", "times"});
  const double from = n.at("from").as_number(-1e12, 1e12), to = n.at("to").as_number(from, 1e12);
  if (n.has("step") == n.has("times")) n.fail("give exactly one of 'step' and 'times'");
  const bool geometric = n.has("times");
  const double by = geometric ? n.at("times").as_number(1.0 + 1e-9, 1e6) : n.at("step").as_number(1e-12, 1e12);
  if (geometric && from <= 0) n.at("from").fail("a geometric range must start above 0");
  const auto whole = [](double x) { return std::floor(x) == x; };
  const bool integral = whole(from) && whole(to) && whole(by);
  std::vector<nlohmann::json> out;
  for (int64_t i = 0;; ++i) {
    const double v = geometric ? from * std::pow(by, double(i)) : from + double(i) * by;  // no accumulated rounding
    if (v > to + 1e-9 * std::max(1.0, std::fabs(to))) break;
    if (int64_t(out.size()) >= kMaxValues) n.fail("more than " + std::to_string(kMaxValues) + " values");
    out.push_back(range_value(v, integral));
  }
  return out;
}

SweepParameter read_parameter(const JsonNode& n, const nlohmann::json& base) {
  n.reject_unknown_keys({"key", "keys", "values", "range"});
  SweepParameter p;
  if (n.has("key") == n.has("keys")) n.fail("give exactly one of 'key' and 'keys'");
  if (n.has("key")) {
    p.keys.push_back(n.at("key").as_string());
  } else {
    const JsonNode keys = n.at("keys");
    if (keys.size() < 1) keys.fail("must list at least one key");
    for (std::size_t i = 0; i < keys.size(); ++i) p.keys.push_back(keys.at(i).as_string());
  }
  if (n.has("values") == n.has("range")) n.fail("give exactly one of 'values' and 'range'");
  if (n.has("range") && p.keys.size() != 1) n.at("range").fail("a range varies one key; use 'values' for several");
  std::vector<nlohmann::json> raw;
  if (n.has("range")) {
    raw = read_range(n.at("range"));
  } else {
    const JsonNode values = n.at("values");
    if (values.size() < 1) values.fail("must list at least one value");
    for (std::size_t i = 0; i < values.size(); ++i) raw.push_back(values.at(i).value());
  }
  for (std::size_t v = 0; v < raw.size(); ++v) {
    if (p.keys.size() == 1) {
      p.values.push_back({raw[v]});
      continue;
    }
    const JsonNode value = n.at("values").at(v);
    if (value.size() != p.keys.size())
      value.fail("needs one value per key (" + std::to_string(p.keys.size()) + "), got " + std::to_string(value.size()));
    p.values.push_back(std::vector<nlohmann::json>(raw[v].begin(), raw[v].end()));
  }
  for (std::size_t k = 0; k < p.keys.size(); ++k)
    check_key(n.at(n.has("key") ? "key" : "keys"), base, p.keys[k], p.values.front()[k]);
  return p;
}

std::vector<pe::Candidate> read_candidates(const JsonNode& n) {
  std::vector<pe::Candidate> out;
  for (std::size_t i = 0; i < n.size(); ++i) {
    try {
      out.push_back(pe::parse_candidate(n.at(i).as_string()));
    } catch (const std::invalid_argument& e) {
      n.at(i).fail(std::string("bad operator candidate: ") + e.what());
    }
  }
  if (out.empty()) n.fail("must list at least one candidate (or leave 'candidates' out: every mode)");
  return out;
}

// The search's export (docs/export-format.md): its workload and each MAC layer's operator.
void read_mapping(const std::string& file, SweepWorkload& w) {
  spec::MappedOperators m = spec::read_mapped_operators(spec::load_json_file(file, "mapping"), file);
  w.workload = std::move(m.workload);
  w.layer_candidates = std::move(m.candidates);
}

SweepWorkload read_workload(const JsonNode& n, const std::string& sweep_file) {
  n.reject_unknown_keys({"workload", "model", "input", "classes", "candidates", "mapping"});
  const int kinds = int(n.has("workload")) + int(n.has("model")) + int(n.has("mapping"));
  if (kinds != 1) n.fail("give exactly one of 'workload', 'model' and 'mapping'");
  SweepWorkload w;
  if (n.has("mapping")) {
    if (n.has("candidates") || n.has("input") || n.has("classes"))
      n.fail("a mapped network fixes its operators: no 'candidates', 'input' or 'classes'");
    const std::string as_written = n.at("mapping").as_string();
    const std::string file = resolve(sweep_file, as_written);
    read_named(n.at("mapping"), file, [&] {
      read_mapping(file, w);
      return 0;
    });
    w.label = w.workload.name + " (" + as_written + ")";  // two mappings of one network stay apart
    return w;
  }
  if (n.has("input") && !n.has("model")) n.at("input").fail("'input' goes with 'model'");
  if (n.has("classes") && !n.has("model")) n.at("classes").fail("'classes' goes with 'model'");
  const int classes = n.has("model") ? int(n.get_int("classes", spec::kMinClasses, spec::kMaxClasses, 10)) : 10;
  std::string file;
  try {
    file = n.has("model") ? spec::model_workload_file(n.at("model").as_string(), n.get_string("input", "32x32x3"), classes)
                          : resolve(sweep_file, n.at("workload").as_string());
  } catch (const spec::SpecError& e) {
    n.at("model").fail(e.reason());
  }
  w.workload = read_named(n.at(n.has("model") ? "model" : "workload"), file, [&] { return spec::load_workload(file); });
  w.label = w.workload.name;
  if (n.has("model")) w.model = n.at("model").as_string();
  if (n.has("candidates")) w.candidates = read_candidates(n.at("candidates"));
  return w;
}

nlohmann::json content_hashes(const Sweep& s, const JsonNode& root) {
  const JsonNode area_key = root.has("area_table") ? root.at("area_table") : root;
  const nlohmann::json area = read_named(area_key, s.area_table_file, [&] { return spec::load_json_file(s.area_table_file, "area"); });
  nlohmann::json h = {{"sweep", spec::json_hash(s.doc)}, {"base", spec::json_hash(s.base_doc)}, {"area_table", spec::json_hash(area)}};
  for (const SweepWorkload& w : s.workloads) h["workloads"].push_back(spec::json_hash(spec::to_json(w.workload)));
  return h;
}

}  // namespace

std::vector<std::string> Sweep::parameter_keys() const {
  std::vector<std::string> out;
  for (const SweepParameter& p : parameters) out.insert(out.end(), p.keys.begin(), p.keys.end());
  return out;
}

Sweep load_sweep(const std::string& file) {
  Sweep s;
  s.file = file;
  s.doc = spec::load_json_file(file, "sweep");
  const JsonNode root(s.doc, file, "sweep");
  root.reject_unknown_keys({"name", "description", "base", "area_table", "parameters", "workloads"});
  s.name = root.get_string("name");
  if (s.name.empty()) root.at("name").fail("must not be empty");
  s.base_file = resolve(file, root.get_string("base"));
  s.base_doc = read_named(root.at("base"), s.base_file, [&] { return spec::load_json_file(s.base_file, "arch"); });
  spec::parse_arch(s.base_doc, s.base_file);  // the base itself must be valid
  s.area_table_file = root.has("area_table") ? resolve(file, root.get_string("area_table"))
                                             : spec::config_dir() + "/area/default_45nm.json";
  const JsonNode params = root.at("parameters");
  std::vector<std::pair<std::string, std::size_t>> swept;  // key → the parameter that sweeps it
  for (std::size_t i = 0; i < params.size(); ++i) {
    s.parameters.push_back(read_parameter(params.at(i), s.base_doc));
    for (const std::string& key : s.parameters.back().keys) {
      // The later value would silently win (a whole object replaces a key swept inside it), and
      // results.csv would get two columns of one name or a column that is not what ran.
      for (const auto& [other, at] : swept) {
        if (!overlapping_keys(key, other)) continue;
        const std::string what = key == other ? "'" + key + "' is" : "'" + key + "' overlaps '" + other + "', which is";
        params.at(i).fail(what + (at == i ? " also in this parameter's 'keys'"
                                          : " already swept by parameters[" + std::to_string(at) + "]") +
                          ": sweep each key once (several keys varied together go in one 'keys')");
      }
      swept.emplace_back(key, i);
    }
    s.points *= int64_t(s.parameters.back().values.size());
    if (s.points > kMaxPoints) params.at(i).fail("the sweep exceeds " + std::to_string(kMaxPoints) + " points");
  }
  const JsonNode workloads = root.at("workloads");
  if (workloads.size() < 1) workloads.fail("must list at least one workload");
  for (std::size_t i = 0; i < workloads.size(); ++i) s.workloads.push_back(read_workload(workloads.at(i), file));
  s.hash = spec::json_hash(content_hashes(s, root));
  return s;
}

std::string point_id(const Sweep& sweep, int64_t index) {
  const int width = std::max<int>(4, int(std::to_string(std::max<int64_t>(sweep.points - 1, 0)).size()));
  std::string digits = std::to_string(index);
  return "p" + std::string(std::size_t(std::max<int>(0, width - int(digits.size()))), '0') + digits;
}

SweepPoint make_point(const Sweep& sweep, int64_t index) {
  SweepPoint p{index, point_id(sweep, index), sweep.base_doc, nlohmann::json::array()};
  std::vector<std::size_t> choice(sweep.parameters.size());
  int64_t rest = index;
  for (std::size_t i = sweep.parameters.size(); i-- > 0;) {  // the last parameter varies fastest
    const int64_t n = int64_t(sweep.parameters[i].values.size());
    choice[i] = std::size_t(rest % n);
    rest /= n;
  }
  for (std::size_t i = 0; i < sweep.parameters.size(); ++i) {
    const SweepParameter& param = sweep.parameters[i];
    for (std::size_t k = 0; k < param.keys.size(); ++k) {
      const nlohmann::json& value = param.values[choice[i]][k];
      const std::vector<std::string> parts = split_key(param.keys[k]);
      nlohmann::json* at = &p.arch_doc;
      for (std::size_t j = 0; j + 1 < parts.size(); ++j) at = &(*at)[parts[j]];
      if (value.is_null())
        at->erase(parts.back());  // null removes the key (a mode left out at this point)
      else
        (*at)[parts.back()] = value;
      p.params.push_back({param.keys[k], value});
    }
  }
  return p;
}

}  // namespace enos::explore
