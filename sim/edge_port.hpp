#pragma once
// Where the streamer injects operand flits: a dedicated systolic edge link, or a source port
// of the shared multicast bus addressed to one array port. The array pops either kind from a
// noc::Link, so it never knows which network fed it.
#include "noc/link.hpp"
#include "noc/multicast_bus.hpp"
#include "sim/flit.hpp"

namespace enos::sim {

class EdgePort {
 public:
  virtual ~EdgePort() = default;
  virtual void push(DataFlit&& flit, int bits) = 0;  // SC_THREAD context; blocks while full
};

class LinkEdgePort : public EdgePort {
 public:
  explicit LinkEdgePort(noc::Link<DataFlit>& link) : link_(link) {}
  void push(DataFlit&& flit, int bits) override { link_.push(std::move(flit), bits); }

 private:
  noc::Link<DataFlit>& link_;
};

class BusEdgePort : public EdgePort {
 public:
  BusEdgePort(noc::Link<noc::Addressed<DataFlit>>& source, uint64_t destinations)
      : source_(source), destinations_(destinations) {}
  void push(DataFlit&& flit, int bits) override {
    source_.push(noc::Addressed<DataFlit>{std::move(flit), destinations_, bits}, bits);
  }

 private:
  noc::Link<noc::Addressed<DataFlit>>& source_;
  uint64_t destinations_;
};

}  // namespace enos::sim
