#pragma once
// The uni-operator trainer: SGD with momentum and weight decay, a cosine learning rate per
// step, cross-entropy; epochs of seeded shuffled and augmented batches. The search issue's
// trainers build on the same data and steps.
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

#include <torch/optim/sgd.h>

#include "models/checkpoint.hpp"
#include "models/data.hpp"
#include "models/layers.hpp"

namespace enos::models {

struct TrainConfig {
  int epochs = 5;
  int64_t batch = 128;
  double lr = 0.1;  // peak; cosine-annealed to 0 over all steps after the warm-up
  double warmup_epochs = 0;  // linear ramp from 0 to lr first (fractions allowed)
  double momentum = 0.9;
  double weight_decay = 5e-4;
  // false: decay only the convolution and fully connected weights, not batch-norm scales and
  // shifts or biases (a common recipe for small networks, whose 1-D parameters are few but
  // matter: decaying batch-norm scales shrinks what the next layer sees).
  bool decay_norm_and_bias = true;
  bool nesterov = true;
  double label_smoothing = 0;  // of the training loss (evaluation reports plain cross-entropy)
  Augment augment = Augment::Standard;
  bool channels_last = true;
  uint64_t seed = 1;  // batch order and augmentation of every epoch
  // Knowledge distillation from a teacher (Trainer::set_teacher): the loss is
  // (1 − w)·CE + w·T²·KL(teacher_T ‖ student_T) with softmax at temperature T (Hinton et al.).
  double distill_weight = 0.5;
  double distill_temperature = 4;
};

// The training loss of `logits`: cross-entropy with label smoothing, and when `teacher_logits`
// is defined the distillation term of TrainConfig (weight, temperature).
at::Tensor training_loss(const at::Tensor& logits, const at::Tensor& labels, const at::Tensor& teacher_logits,
                         double label_smoothing, double distill_weight, double temperature);

struct Evaluation {
  double loss = 0, accuracy = 0;  // mean cross-entropy; fraction correct (top-1)
  int64_t count = 0;
  double top5 = 0;  // fraction with the label among the five highest logits (0 below 5 classes)
};

struct EpochReport {
  int epoch = 0;       // 1-based
  double lr = 0;       // at the epoch's last step
  Evaluation train;    // running figures over the epoch's batches (augmented, train mode)
  Evaluation validation, test;  // count 0 when the set is empty
  double seconds = 0, images_per_second = 0;  // of the training part
};

struct StepProgress {
  int64_t step = 0, steps = 0;  // within the epoch, 1-based
  double loss = 0, accuracy = 0, images_per_second = 0;  // running over the epoch so far
};

// Loss and accuracy of `net` as it stands (the caller chooses train or eval mode) over `set`,
// un-augmented, in batches of 500, without gradients.
Evaluation evaluate_network(Network& net, const TensorSet& set, const datasets::DatasetInfo& info, bool channels_last);

class Trainer {
 public:
  // `data` must outlive the trainer. Converts the network to ChannelsLast if so configured.
  Trainer(std::shared_ptr<Network> net, const Dataset& data, const TrainConfig& config);

  // Trains one epoch (1-based: its batch order and augmentation derive from the seed and this
  // number), then evaluates the validation set and, when `evaluate_test`, the test set.
  EpochReport train_epoch(int epoch, const std::function<void(const StepProgress&)>& progress = {},
                          bool evaluate_test = true);
  Evaluation evaluate(const TensorSet& set) const;  // evaluate_network on net in eval mode
  // Distils from `teacher` (eval mode, no gradients; it reads the same batches) from now on.
  void set_teacher(std::shared_ptr<Network> teacher);
  // One SGD step on preprocessed images; returns the loss before the step and counts correct.
  double step(const at::Tensor& images, const at::Tensor& labels, int64_t* correct = nullptr);
  // The resumable state, written atomically to `file`: model, optimizer (momentum buffers),
  // position in the learning-rate schedule, the global random generator (dropout), and the
  // caller's `record` (its history and timings, as text). Batch order and augmentation need
  // nothing: they derive from the seed and the epoch number.
  void save_state(const std::string& file, const CheckpointIdentity& id, const std::string& record) const;
  // Restores what save_state wrote and returns the record; std::invalid_argument for a
  // damaged file or one of another network.
  std::string load_state(const std::string& file, const CheckpointIdentity& id);
  int64_t steps_taken() const { return step_; }

  int64_t steps_per_epoch() const;
  double lr_at(int64_t step) const;  // linear warm-up, then cosine to 0 at the last step

 private:
  std::shared_ptr<Network> net_, teacher_;
  const Dataset& data_;
  TrainConfig config_;
  std::unique_ptr<torch::optim::SGD> optimizer_;
  int64_t step_ = 0;  // steps taken, for the schedule
};

}  // namespace enos::models
