#include "dataflow/pass_model.hpp"

namespace enos::dataflow {

PassModel pass_model(spec::Dataflow d) {
  return d == spec::Dataflow::OutputStationary ? output_stationary_model() : preloaded_operand_model();
}

}  // namespace enos::dataflow
