// Layer by layer: the integer network the export writes (replayed by the replay's C++
// reference) against the fake-quantized LibTorch model it came from. For every MAC layer and
// a few test images it compares
//   - chained: the layer's integer input activations as the fake-quantized model computes
//     them (search::integer_activations on the traced float input) with the ones the replay
//     computes from the image (replay::forward, then the layer's input_rescale);
//   - local input: the fake-quantized model's float input, quantized to the producer tensor's
//     exported format and rescaled as the replay does, against the fake-quantized codes
//     (what the tensor formats alone cost, without any upstream error);
//   - local output: the replay's requantized output computed from the fake-quantized input
//     codes against the model's float output quantized to the exported output format (what
//     the requantization — batch norm folding, bias, multipliers — costs alone).
// Printed per layer with ENOS_EXPORT_LAYERS=1.
#include <catch2/catch.hpp>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>

#include <ATen/Parallel.h>
#include <torch/torch.h>

#include "models/registry.hpp"
#include "models/trace.hpp"
#include "models/trainer.hpp"
#include "pe/reference.hpp"
#include "pe/requant.hpp"
#include "replay/export.hpp"
#include "replay/layer_ops.hpp"
#include "replay/network.hpp"
#include "search/export.hpp"
#include "search/quant_layer.hpp"
#include "tests/search/tiny_search.hpp"

namespace enos::search {
namespace {

struct Stat {
  int64_t n = 0, differ = 0, max_abs = 0;
  double sum = 0;  // Σ (replay − fake quant)
  void add(int64_t replay, int64_t fake) {
    ++n;
    if (replay != fake) ++differ, max_abs = std::max<int64_t>(max_abs, std::llabs(replay - fake));
    sum += double(replay - fake);
  }
  double fraction() const { return n ? double(differ) / double(n) : 0.0; }
  double bias() const { return n ? sum / double(n) : 0.0; }
};

struct LayerReport {
  std::string name, candidate, input_format;
  Stat chained, local_in, local_out;
};

struct Comparison {
  std::vector<LayerReport> layers;  // MAC layers, workload order
  int images = 0, agree = 0;        // replay prediction == fake-quantized prediction
  double max_local_logit_error = 0;  // |replay logit − model logit| from the same fc input codes
  Stat local_add;                    // add layers: the replay's sum of the float inputs in their formats
  int64_t negative_codes = 0;        // values below 0 in the replay's signed tensors
};

std::shared_ptr<QuantMacImpl> mac_module(models::Network& net, const std::string& name) {
  const auto modules = net.named_modules();
  for (const char* suffix : {".conv", ".fc"})
    if (const auto* m = modules.find(name + suffix)) return std::dynamic_pointer_cast<QuantMacImpl>(*m);
  return nullptr;
}

// x (float, any layout) as the integers of a tensor format (scale, bits, signed or not),
// rounding half up like the replay.
std::vector<int32_t> quantize_to(const at::Tensor& x, const replay::TensorFormat& f) {
  const pe::CodeRange r = pe::tensor_code_range(f.bits, f.is_signed);
  const at::Tensor q = at::floor(x.to(at::kDouble).contiguous() / f.scale + 0.5).clamp(r.lo, r.hi);
  const at::Tensor c = q.to(at::kInt).contiguous();
  return {c.data_ptr<int32_t>(), c.data_ptr<int32_t>() + c.numel()};
}

// The add layers (ShuffleNet v1's residuals, with a signed input): the replay's sum of the
// model's float inputs, each quantized to its exported format, against the float sum quantized
// to the add's format; and how many negative codes the signed tensors hold.
void compare_adds(const replay::Export& e, const std::vector<replay::TensorFormat>& fmt,
                  const std::map<std::string, at::Tensor>& floats, const replay::Forward& f, Comparison& out) {
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < e.layers.size(); ++i) index[e.layers[i].name] = i;
  for (std::size_t i = 0; i < e.layers.size(); ++i) {
    if (fmt[i].is_signed)
      for (int32_t v : f.outputs[i].values) out.negative_codes += v < 0;
    const spec::Layer& wl = e.workload.layers[i];
    if (wl.type != spec::LayerType::Add) continue;
    std::vector<replay::Tensor> ins;
    for (const std::string& name : wl.inputs) ins.push_back({f.outputs[index.at(name)].shape, quantize_to(floats.at(name), fmt[index.at(name)])});
    std::vector<const replay::Tensor*> ptrs;
    for (const replay::Tensor& t : ins) ptrs.push_back(&t);
    const std::vector<int32_t> got = replay::combine(ptrs, e.layers[i].combine, fmt[i], true).values;
    const std::vector<int32_t> want = quantize_to(floats.at(wl.name), fmt[i]);
    for (std::size_t k = 0; k < got.size(); ++k) out.local_add.add(got[k], want[k]);
  }
}

Comparison compare_layers(models::Network& net, const replay::Export& e, const models::Dataset& data, int images,
                          at::ScalarType dtype = at::kFloat) {
  torch::NoGradGuard no_grad;
  net.eval();
  const std::vector<replay::TensorFormat> fmt = replay::tensor_formats(e);
  std::map<std::string, std::size_t> index;
  for (std::size_t i = 0; i < e.layers.size(); ++i) index[e.layers[i].name] = i;
  Comparison out;
  for (std::size_t i = 0; i < e.layers.size(); ++i)
    if (e.workload.layers[i].is_mac()) {
      LayerReport r;
      r.name = e.layers[i].name, r.candidate = pe::to_string(e.layers[i].candidate);
      out.layers.push_back(r);
    }
  replay::ReferenceBackend backend;
  models::BatchStream batches(models::take_first(data.test, images), 1,
                              models::preprocess_for(data.info, models::Augment::None, true), std::nullopt);
  const at::Tensor bytes_all = data.test.images.contiguous();
  at::Tensor x, y;
  for (int img = 0; batches.next(x, y); ++img) {
    x = x.to(dtype);
    models::Trace trace(x);
    at::Tensor logits;
    {
      models::TraceScope scope(net, trace);
      logits = net.forward(x);
    }
    std::map<std::string, at::Tensor> floats;
    for (const auto& [t, name] : trace.outputs()) floats[name] = t;
    const at::Tensor b = bytes_all[img].contiguous();
    const std::vector<uint8_t> bytes(b.data_ptr<uint8_t>(), b.data_ptr<uint8_t>() + b.numel());
    const replay::Forward f = replay::forward(e, bytes, backend);
    ++out.images;
    out.agree += f.prediction == logits.argmax(1).item<int64_t>();
    replay::Tensor image;
    image.shape = e.workload.input;
    image.values.assign(bytes.begin(), bytes.end());

    compare_adds(e, fmt, floats, f, out);
    std::size_t m = 0;
    for (std::size_t i = 0; i < e.layers.size(); ++i) {
      const spec::Layer& wl = e.workload.layers[i];
      if (!wl.is_mac()) continue;
      LayerReport& r = out.layers[m++];
      const replay::NetLayer& l = e.layers[i];
      const auto layer = mac_module(net, wl.name);
      REQUIRE(layer);
      const std::string& producer = wl.inputs.at(0);
      const at::Tensor& in_float = floats.at(producer);
      const std::vector<int32_t> fake = integer_activations(*layer, in_float);
      // chained
      const replay::Tensor& in_replay = producer == "input" ? image : f.outputs[index.at(producer)];
      const std::vector<int32_t> replayed =
          l.input_rescale ? replay::rescale(in_replay, *l.input_rescale, l.act_bits).values : in_replay.values;
      REQUIRE(replayed.size() == fake.size());
      for (std::size_t k = 0; k < fake.size(); ++k) r.chained.add(replayed[k], fake[k]);
      // local input: the producer's float tensor in its exported format, then the rescale
      if (producer != "input") {
        const replay::TensorFormat pf = fmt[index.at(producer)];
        r.input_format = std::to_string(pf.bits) + "b/" + std::to_string(pf.scale);
        replay::Tensor t;
        t.shape = in_replay.shape;
        t.values = quantize_to(in_float, pf);
        const std::vector<int32_t> local =
            l.input_rescale ? replay::rescale(t, *l.input_rescale, l.act_bits).values : t.values;
        for (std::size_t k = 0; k < fake.size(); ++k) r.local_in.add(local[k], fake[k]);
      }
      // local output: the replay's arithmetic on the fake-quantized codes
      pe::LayerData d;
      d.weight_codes = l.weight_codes, d.inputs = fake;
      const std::vector<pe::Psum> acc = pe::reference_conv(wl.conv, l.candidate, d);
      if (l.logits) {
        const at::Tensor model = logits[0].to(at::kDouble).contiguous();
        const bool mf = l.candidate.kind == pe::OpKind::Mf;
        for (std::size_t k = 0; k < acc.size(); ++k) {
          const double v = (mf ? l.act_scale * double(acc[k].main) + l.weight_scale[k] * double(acc[k].aux)
                               : l.act_scale * l.weight_scale[k] * double(acc[k].main)) +
                           l.logit_bias[k];
          out.max_local_logit_error =
              std::max(out.max_local_logit_error, std::fabs(v - model.data_ptr<double>()[k]));
        }
        continue;
      }
      const std::vector<int32_t> got = pe::requantize_layer(acc, l.requant, l.output.bits, l.output.is_signed);
      const std::vector<int32_t> want = quantize_to(floats.at(wl.name), l.output);
      REQUIRE(got.size() == want.size());
      for (std::size_t k = 0; k < got.size(); ++k) r.local_out.add(got[k], want[k]);
    }
  }
  return out;
}

void print(const Comparison& c, const std::string& title) {
  if (!std::getenv("ENOS_EXPORT_LAYERS")) return;
  std::printf("%s: %d images, replay == fake-quant prediction on %d\n", title.c_str(), c.images, c.agree);
  std::printf("%-22s %-12s %-16s %28s %28s %28s\n", "layer", "candidate", "producer fmt",
              "chained input: diff% max bias", "local input: diff% max bias", "local output: diff% max bias");
  auto cell = [](const Stat& s) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%7.2f%% %5lld %+8.4f", 100 * s.fraction(), (long long)s.max_abs, s.bias());
    return std::string(buf);
  };
  for (const LayerReport& r : c.layers)
    std::printf("%-22s %-12s %-16s %28s %28s %28s\n", r.name.c_str(), r.candidate.c_str(), r.input_format.c_str(),
                cell(r.chained).c_str(), cell(r.local_in).c_str(), cell(r.local_out).c_str());
  std::printf("max |logit error| of the classifier on the same input codes: %g\n", c.max_local_logit_error);
}


// `model` (ShuffleNetV2 ×0.5 unless named) with the hidden MAC layers cycling over every kind
// and activation width (first and last pinned to int:w8a8), trained briefly on `data`.
std::shared_ptr<models::Network> train_mixed(const models::Dataset& data, int epochs, double& accuracy,
                                             const std::string& model = "shufflenetv2_x0.5") {
  at::set_num_threads(1);
  const std::vector<pe::Candidate> cycle = {
      pe::parse_candidate("int:w4a4"), pe::parse_candidate("int:w2a2"),  pe::parse_candidate("bin:w1a8"),
      pe::parse_candidate("mf:w8a8"),  pe::parse_candidate("shift:w4a8"), pe::parse_candidate("int:w2a8"),
      pe::parse_candidate("int:w8a8"), pe::parse_candidate("int:w4a8")};
  const models::ModelConfig mc{data.info.input, data.info.classes};
  const spec::Workload names =
      models::export_workload(*models::make_model(model, mc), data.info.input, "w", "");
  QuantFactoryConfig q;
  q.candidate = cycle[0];
  q.input = InputNormalization{data.info.mean, data.info.stddev};
  std::size_t k = 0;
  for (const spec::Layer& l : names.layers)
    if (l.is_mac()) q.per_layer[l.name] = cycle[k++ % cycle.size()];
  torch::manual_seed(21);
  auto net = models::make_model(model, mc, QuantLayerFactory(q));
  models::TrainConfig tc;
  tc.epochs = epochs, tc.batch = 64, tc.lr = 0.05, tc.augment = models::Augment::None;
  models::Trainer trainer(net, data, tc);
  for (int ep = 1; ep <= tc.epochs; ++ep) trainer.train_epoch(ep);
  accuracy = trainer.evaluate(data.test).accuracy;
  net->eval();
  return net;
}

// Exports `net` (with `bits`-bit calibrated tensors), loads it back and compares.
Comparison export_and_compare(models::Network& net, const models::Dataset& data, double accuracy, int images,
                              const std::string& name, int bits = 16,
                              const std::string& model = "shufflenetv2_x0.5") {
  at::set_num_threads(1);
  const spec::Workload w = models::export_workload(net, data.info.input, "w", "");
  std::vector<pe::Candidate> all = pe::standard_candidates();
  all.push_back(pe::parse_candidate("int:w2a8")), all.push_back(pe::parse_candidate("int:w4a8"));
  const energy::Lut lut = testing::workload_lut(w, all);
  ExportInfo info;
  info.model = model, info.dataset = data.info.name, info.mode = "uniform";
  info.pin_first_last = "int:w8a8";
  info.lut = &lut, info.accuracy = accuracy, info.test_images = data.test.size();
  info.reference_images = images, info.calibrated_bits = bits;
  const std::string dir = testing::export_dir(name);
  export_network(net, data, info, dir);
  const replay::Export e = replay::load_export(dir + "/mapping.json");
  Comparison c = compare_layers(net, e, data, images);
  print(c, name + " (" + std::to_string(bits) + "-bit calibrated tensors; fake-quant test accuracy " + std::to_string(info.accuracy) + ")");
  return c;
}

void check(const Comparison& c) {
  for (const LayerReport& r : c.layers) {
    INFO(r.name << " " << r.candidate << ": local output differs on " << 100 * r.local_out.fraction()
                << " %, local input on " << 100 * r.local_in.fraction() << " %, chained input on "
                << 100 * r.chained.fraction() << " %");
    REQUIRE(r.local_out.max_abs <= 1);
    REQUIRE(r.local_out.fraction() <= 0.01);
    REQUIRE(r.local_in.max_abs <= 1);
    REQUIRE(r.local_in.fraction() <= 0.01);
  }
}

TEST_CASE("ShuffleNetV2 mixed export: every MAC layer's integers match the fake-quantized model (quadrants)",
          "[search][export][layers]") {
  const models::Dataset data = testing::quadrant_dataset(512, 0, 16);
  double accuracy = 0;
  const auto net = train_mixed(data, 2, accuracy);
  const Comparison c = export_and_compare(*net, data, accuracy, 16, "quadrants");
  check(c);
  REQUIRE(c.agree >= 9 * c.images / 10);
}

// ShuffleNet v1's units add a signed branch (the last grouped conv and its batch norm, no ReLU)
// to the residual, then ReLU: the export keeps that branch signed (docs/export-format.md).
TEST_CASE("ShuffleNet v1 mixed export: signed residual adds, every layer's integers match the fake-quantized model",
          "[search][export][layers]") {
  const models::Dataset data = testing::quadrant_dataset(512, 0, 16);
  double accuracy = 0;
  const auto net = train_mixed(data, 2, accuracy, "shufflenetv1_g3");
  const Comparison c = export_and_compare(*net, data, accuracy, 16, "v1_quadrants", 16, "shufflenetv1_g3");
  check(c);
  INFO("add layers: " << 100 * c.local_add.fraction() << " % differ, by up to " << c.local_add.max_abs
                      << "; negative codes in signed tensors: " << c.negative_codes);
  REQUIRE(c.local_add.n > 0);
  // Each input was rounded to its own 16-bit format and the sum is rounded again: up to one
  // 16-bit code off (measured: 20 % of the sums, by 1), never more.
  REQUIRE(c.local_add.max_abs <= 1);
  REQUIRE(c.negative_codes > 0);  // the branches really are signed: an unsigned export would clip these
  REQUIRE(c.agree >= 9 * c.images / 10);
}

// Hidden (needs /usr/share/datasets/fashion-mnist, ~2.5 min at one thread):
//   ENOS_EXPORT_LAYERS=1 build/tests/search/test_search "[.fashion]"
// prints the per-layer table with 8-bit calibrated tensors (as the exporter of commit 090b4b8
// had them), with 16-bit ones, and the latter against the same model evaluated in float64.
TEST_CASE("ShuffleNetV2 mixed export on Fashion-MNIST: layer-by-layer comparison", "[search][export][.fashion]") {
  if (!std::filesystem::exists("/usr/share/datasets/fashion-mnist")) {
    WARN("Fashion-MNIST not installed: skipped");
    return;
  }
  models::DataOptions o;
  o.train_limit = 3000, o.test_limit = 200;
  const models::Dataset data = models::load_dataset("fashion-mnist", o);
  double accuracy = 0;
  const auto net = train_mixed(data, 2, accuracy);
  const Comparison before = export_and_compare(*net, data, accuracy, 100, "fashion_before", 8);
  const Comparison after = export_and_compare(*net, data, accuracy, 100, "fashion_after");
  // The same model evaluated in float64: how much of what remains is float32
  // rounding in the LibTorch model, amplified by the network.
  net->to(torch::kDouble);
  const Comparison exact =
      compare_layers(*net, replay::load_export(testing::export_path("fashion_after") + "/mapping.json"), data, 100, at::kDouble);
  print(exact, "fashion_after against the model in float64");
  check(after);
  UNSCOPED_INFO("replay == fake-quant prediction: before " << before.agree << ", after " << after.agree
                << ", after vs the float64 model " << exact.agree << " of " << after.images);
  // Measured (2026-11-27, commit 12c654a): 8-bit 80, 16-bit 99, 16-bit vs float64 99 of 100
  // (before the requantization offset: 62 and 81). Every layer is exact given its input up
  // to ≤ 0.3 % of ±1 codes (double rounding at calibrated tensors, ties); the ShuffleNet trunk
  // carries such differences on (the chained column grows to ~50 % of the codes by stage 4)
  // but the predictions hardly move. docs/export-format.md, "Exactness".
  REQUIRE(after.agree > before.agree);
  REQUIRE(after.agree >= 90 * after.images / 100);
}

}  // namespace
}  // namespace enos::search
