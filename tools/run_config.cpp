#include "tools/run_config.hpp"

#include <limits>

#include "spec/json_reader.hpp"
#include "tools/cli.hpp"

namespace enos::tools {
namespace {

using spec::JsonNode;

std::string folder_of(const std::string& file) {
  const auto slash = file.rfind('/');
  return slash == std::string::npos ? "." : file.substr(0, slash);
}

std::string relative_to(const std::string& dir, const std::string& path) {
  return path.empty() || path[0] == '/' ? path : dir + "/" + path;
}

// NAME:DIR keeps NAME and resolves DIR.
std::string dataset_relative_to(const std::string& dir, const std::string& text) {
  const auto colon = text.find(':');
  return colon == std::string::npos ? text : text.substr(0, colon + 1) + relative_to(dir, text.substr(colon + 1));
}

void read_characterize(const JsonNode& n, RunConfig& c) {
  n.reject_unknown_keys({"jobs", "candidates"});
  c.jobs = int(n.get_int("jobs", 1, 1024, c.jobs));
  c.candidates = n.get_string("candidates", c.candidates);
}

void read_search(const JsonNode& n, const std::string& dir, RunConfig& c) {
  n.reject_unknown_keys({"export", "init", "mode", "budget_frac", "epochs", "finetune_epochs", "train_limit", "test_limit",
                         "seed", "extra_args"});
  if (n.has("export")) c.export_dir = relative_to(dir, n.at("export").as_string());
  if (n.has("init")) {
    const std::string init = n.at("init").as_string();
    c.init = init == "zoo" || init == "none" ? init : relative_to(dir, init);
  }
  c.mode = n.has("mode") ? n.at("mode").as_enum({"single", "bilevel", "sequential", "stochastic"}) : c.mode;
  c.budget_frac = n.get_number("budget_frac", 1e-6, 1.0, c.budget_frac);
  c.epochs = int(n.get_int("epochs", 0, 100000, c.epochs));
  c.finetune_epochs = int(n.get_int("finetune_epochs", 0, 100000, c.finetune_epochs));
  c.train_limit = int(n.get_int("train_limit", 0, std::numeric_limits<int>::max(), c.train_limit));
  c.test_limit = int(n.get_int("test_limit", 0, std::numeric_limits<int>::max(), c.test_limit));
  c.seed = uint64_t(n.get_int("seed", 0, std::numeric_limits<int64_t>::max(), int64_t(c.seed)));
  if (n.has("extra_args")) {
    const JsonNode a = n.at("extra_args");
    for (std::size_t i = 0; i < a.size(); ++i) c.search_args.push_back(a.at(i).as_string());
  }
}

void read_validate(const JsonNode& n, RunConfig& c) {
  n.reject_unknown_keys({"images", "budget_uj"});
  c.images = int(n.get_int("images", 1, 1000000, c.images));
  if (n.has("budget_uj") && !n.at("budget_uj").value().is_null()) c.budget_uj = n.get_number("budget_uj", 0, 1e300);
}

}  // namespace

RunConfig default_run_config() {
  RunConfig c;
  c.file = "built-in default";
  c.arch = default_arch_path();
  return c;
}

RunConfig load_run_config(const std::string& file) {
  const nlohmann::json doc = spec::load_json_file(file, "run");
  const JsonNode root(doc, file, "run");
  root.reject_unknown_keys({"description", "out", "arch", "energy_table", "model", "workload", "dataset", "characterize",
                            "search", "validate"});
  const std::string dir = folder_of(file);
  RunConfig c = default_run_config();
  c.file = file;
  c.out = relative_to(dir, root.get_string("out", c.out));
  if (root.has("arch")) c.arch = relative_to(dir, root.at("arch").as_string());
  c.energy_table = relative_to(dir, root.get_string("energy_table", ""));
  c.model = root.get_string("model", c.model);
  c.workload = relative_to(dir, root.get_string("workload", ""));
  c.dataset = dataset_relative_to(dir, root.get_string("dataset", c.dataset));
  if (root.has("characterize")) read_characterize(root.at("characterize"), c);
  if (root.has("search")) read_search(root.at("search"), dir, c);
  if (root.has("validate")) read_validate(root.at("validate"), c);
  if (c.export_dir.empty() && !c.workload.empty())
    root.at("workload").fail("a workload file cannot be searched (the search trains a shipped model): give \"model\", or "
                             "\"search\": {\"export\": DIR} to validate an existing export");
  return c;
}

}  // namespace enos::tools
