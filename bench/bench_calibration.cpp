// bench_calibration: which clip calibration a trained start should use (docs/search.md,
// "Calibration"). For each method and uni-operator candidate: the trained float checkpoint
// loaded into the supernet restricted to that candidate, clips calibrated on training images,
// batch norms re-estimated for the quantized network, and its accuracy on held-out training
// images (a validation split: the test set is not looked at) — post-training quantization, no
// training step, so the clip is all that differs between methods.
//
//   bench_calibration CHECKPOINT LUT [--model M] [--dataset fashion-mnist] [--validation 5000]
//                     [--calibration-images 512] [--threads 1]
#include <cstdio>
#include <map>
#include <string>
#include <vector>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "energy/lut.hpp"
#include "models/registry.hpp"
#include "models/trainer.hpp"
#include "search/searcher.hpp"
#include "search/warm_start.hpp"

using namespace enos;

namespace {

struct Options {
  std::string checkpoint, lut, model = "shufflenetv2_x0.5", dataset = "fashion-mnist";
  int64_t validation = 5000, calibration_images = 512;
  int threads = 1;
};

Options parse(int argc, char** argv) {
  if (argc < 3) throw std::invalid_argument("usage: bench_calibration CHECKPOINT LUT [--model M] [--dataset D] ...");
  Options o;
  o.checkpoint = argv[1], o.lut = argv[2];
  for (int i = 3; i + 1 < argc; i += 2) {
    const std::string k = argv[i], v = argv[i + 1];
    if (k == "--model") o.model = v;
    else if (k == "--dataset") o.dataset = v;
    else if (k == "--validation") o.validation = std::stoll(v);
    else if (k == "--calibration-images") o.calibration_images = std::stoll(v);
    else if (k == "--threads") o.threads = std::stoi(v);
    else throw std::invalid_argument("unknown option " + k);
  }
  return o;
}

double ptq_accuracy(const Options& o, const models::Dataset& data, const energy::Lut& lut, const std::string& candidate,
                    search::ClipMethod method) {
  search::SupernetConfig sc;
  sc.lut = &lut, sc.lut_file = o.lut, sc.input = search::InputNormalization{data.info.mean, data.info.stddev};
  sc.only = candidate;
  at::manual_seed(1);
  auto net = models::make_model(o.model, {data.info.input, data.info.classes}, search::SupernetFactory(sc));
  search::load_float_checkpoint(*net, o.checkpoint, {o.model, data.info.input, data.info.classes, "float"});
  models::to_channels_last(*net);
  const std::vector<search::SuperMac> layers = search::supernet_layers(*net, lut, o.lut);
  search::CalibrationConfig c;
  c.method = method, c.images = o.calibration_images;
  search::calibrate_supernet(*net, layers, data.train, data.info, c);
  for (search::SuperMac l : layers) l->set_hard(0);
  search::recalibrate_batch_norm(*net, data.train, data.info, search::BatchNormRecalibration{});
  return models::evaluate_network(*net, data.validation, data.info, true).accuracy;
}

}  // namespace

int main(int argc, char** argv) {
  try {
    const Options o = parse(argc, argv);
    at::set_num_threads(o.threads);
    models::DataOptions d;
    d.validation = o.validation, d.test_limit = 1;
    const models::Dataset data = models::load_dataset(o.dataset, d);
    const energy::Lut lut = energy::load_lut(o.lut);
    {  // the float network on the same split, for reference
      auto net = models::make_model(o.model, {data.info.input, data.info.classes});
      models::load_checkpoint(o.checkpoint, *net, {o.model, data.info.input, data.info.classes, "float"});
      models::to_channels_last(*net);
      net->eval();
      std::printf("float: %.2f %% on %lld validation images\n",
                  100 * models::evaluate_network(*net, data.validation, data.info, true).accuracy,
                  static_cast<long long>(data.validation.size()));
    }
    const std::vector<std::string> candidates = {"int:w8a8", "int:w4a4", "int:w2a4", "int:w4a2", "int:w2a2", "bin:w1a4"};
    std::printf("%-12s", "method");
    for (const std::string& c : candidates) std::printf(" %10s", c.c_str());
    std::printf("\n");
    for (const search::ClipMethod m : {search::ClipMethod::Mse, search::ClipMethod::Percentile, search::ClipMethod::Lsq}) {
      std::printf("%-12s", search::to_string(m).c_str());
      for (const std::string& c : candidates) {
        std::printf(" %9.2f%%", 100 * ptq_accuracy(o, data, lut, c, m));
        std::fflush(stdout);
      }
      std::printf("\n");
    }
    return 0;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "bench_calibration: %s\n", e.what());
    return 2;
  }
}
