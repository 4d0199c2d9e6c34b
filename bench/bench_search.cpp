// bench_search: time per epoch of each search mode relative to plain training of the same
// network, measured in the same run (interleaved, median of --repeats).
//
//   bench_search [--model shufflenetv2_x0.5] [--images 2048] [--batch 128] [--repeats 3] [--threads 0]
//
// Data are random CIFAR-sized images (3×32×32, the time does not depend on the pixels); the
// LUT is synthetic (every standard candidate for every layer: energy does not change the
// time). "float" is the model with torch Conv2d/Linear; "int:w8a8" the uni-operator fake-
// quantized network (QuantMac everywhere) that `enos train --op int:w8a8` trains.
#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "datasets/dataset_catalog.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "search/quant_layer.hpp"
#include "search/searcher.hpp"

using namespace enos;

namespace {

struct Options {
  std::string model = "shufflenetv2_x0.5";
  int64_t images = 2048, batch = 128;
  int repeats = 3, threads = 0;
};

Options parse(int argc, char** argv) {
  Options o;
  for (int i = 1; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") o.model = v;
    else if (k == "--images") o.images = std::stoll(v);
    else if (k == "--batch") o.batch = std::stoll(v);
    else if (k == "--repeats") o.repeats = std::stoi(v);
    else if (k == "--threads") o.threads = std::stoi(v);
    else {
      std::fprintf(stderr, "bench_search: unknown option %s\n", k.c_str());
      std::exit(2);
    }
  }
  return o;
}

models::Dataset synthetic_data(int64_t images, int64_t validation) {
  models::Dataset d;
  for (const datasets::DatasetInfo& info : datasets::dataset_catalog())
    if (info.name == "cifar10") d.info = info;
  torch::manual_seed(1);
  auto set = [](int64_t n) {
    return models::TensorSet{torch::randint(0, 256, {n, 3, 32, 32}).to(torch::kUInt8), torch::randint(0, 10, {n})};
  };
  d.train = set(images - validation);
  if (validation > 0) d.validation = set(validation);
  return d;
}

energy::Lut synthetic_lut(const spec::Workload& w) {
  energy::Lut lut;
  for (const pe::Candidate& c : pe::standard_candidates()) lut.candidates.push_back(pe::to_string(c));
  for (const spec::Layer& l : w.layers) {
    if (!l.is_mac()) continue;
    energy::LutLayer layer;
    layer.name = l.name, layer.shape = l.conv;
    for (const pe::Candidate& c : pe::standard_candidates()) {
      energy::LutEntry e;
      e.candidate = pe::to_string(c);
      e.energy_pj = double(l.conv.macs()) * (c.weight_bits + c.act_bits) / 16.0;
      layer.entries.push_back(e);
    }
    lut.layers.push_back(layer);
  }
  return lut;
}

double median(std::vector<double> v) {
  std::sort(v.begin(), v.end());
  return v[v.size() / 2];
}

double train_epoch_seconds(const Options& o, const models::Dataset& data, const models::MacLayerFactory& factory) {
  torch::manual_seed(2);
  auto net = models::make_model(o.model, {data.info.input, data.info.classes}, factory);
  models::TrainConfig c;
  c.epochs = 1, c.batch = o.batch, c.lr = 0.05;
  models::Trainer t(net, data, c);
  return t.train_epoch(1).seconds;
}

double search_epoch_seconds(const Options& o, const models::Dataset& data, const energy::Lut& lut,
                            search::SearchMode mode) {
  search::SupernetConfig sc;
  sc.lut = &lut, sc.input = search::InputNormalization{data.info.mean, data.info.stddev};
  torch::manual_seed(2);
  auto net = models::make_model(o.model, {data.info.input, data.info.classes}, search::SupernetFactory(sc));
  auto layers = search::supernet_layers(*net, lut, "synthetic");
  search::SearchConfig c;
  c.mode = mode, c.epochs = 1, c.batch = o.batch, c.budget_pj = 0.5 * lut.total_energy_pj(pe::to_string(pe::reference_candidate()));
  search::Searcher s(net, layers, data, c);
  return s.train_epoch(1).seconds;
}

}  // namespace

int main(int argc, char** argv) {
  const Options o = parse(argc, argv);
  if (o.threads > 0) at::set_num_threads(o.threads);
  else models::use_all_cores();
  const models::Dataset data = synthetic_data(o.images, 0), split = synthetic_data(o.images, o.images / 2);
  const energy::Lut lut = synthetic_lut(models::export_model(o.model, {data.info.input, data.info.classes}));
  search::QuantFactoryConfig q;
  q.candidate = pe::reference_candidate();
  q.input = search::InputNormalization{data.info.mean, data.info.stddev};
  const std::vector<std::string> names = {"float", "int:w8a8", "single", "bilevel", "sequential", "stochastic"};
  std::map<std::string, std::vector<double>> seconds;
  std::printf("bench_search: %s, %lld images of 3x32x32 per epoch, batch %lld, %d threads, %d repeats (interleaved)\n",
              o.model.c_str(), static_cast<long long>(o.images), static_cast<long long>(o.batch), at::get_num_threads(),
              o.repeats);
  std::fflush(stdout);
  for (int r = 0; r < o.repeats; ++r) {
    seconds["float"].push_back(train_epoch_seconds(o, data, models::FloatLayerFactory()));
    seconds["int:w8a8"].push_back(train_epoch_seconds(o, data, search::QuantLayerFactory(q)));
    for (search::SearchMode m : {search::SearchMode::Single, search::SearchMode::Bilevel, search::SearchMode::Sequential,
                                 search::SearchMode::Stochastic})
      seconds[search::to_string(m)].push_back(
          search_epoch_seconds(o, m == search::SearchMode::Bilevel ? split : data, lut, m));
    std::printf("  repeat %d/%d done\n", r + 1, o.repeats);
    std::fflush(stdout);
  }
  const double plain = median(seconds["float"]), quant = median(seconds["int:w8a8"]);
  std::printf("%-12s %12s %10s %12s\n", "training", "s/epoch", "x float", "x int:w8a8");
  for (const std::string& n : names) {
    const double s = median(seconds[n]);
    std::printf("%-12s %12.2f %10.2f %12.2f\n", n.c_str(), s, s / plain, s / quant);
  }
  return 0;
}
