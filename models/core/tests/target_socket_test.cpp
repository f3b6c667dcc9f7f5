#include "models/core/target_socket.h"
#include "models/testing/sc_test.h"

#include <gtest/gtest.h>
#include <tlm_utils/simple_initiator_socket.h>

namespace aesvp {
namespace {

using sc_core::sc_time;
using sc_core::SC_NS;

struct Target : sc_core::sc_module {
  TargetSocket<Target> socket{"socket"};
  TargetSocket<Target> bare{"bare"};  // nothing registered
  unsigned transports = 0;
  explicit Target(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    socket.register_b_transport(this, &Target::b_transport);
    socket.register_transport_dbg(this, &Target::transport_dbg);
  }
  void b_transport(tlm::tlm_generic_payload& t, sc_time& delay) {
    ++transports;
    delay += sc_time(3, SC_NS);
    t.set_response_status(tlm::TLM_OK_RESPONSE);
  }
  unsigned int transport_dbg(tlm::tlm_generic_payload& t) { return t.get_data_length() / 2; }
};

struct Bench : sc_core::sc_module {
  tlm_utils::simple_initiator_socket<Bench> to_socket{"to_socket"};
  tlm_utils::simple_initiator_socket<Bench> to_bare{"to_bare"};
  Target target{"target"};
  explicit Bench(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    to_socket.bind(target.socket);
    to_bare.bind(target.bare);
  }
};

// The socket hands each call to the function the model registered, and answers as
// tlm_utils::simple_target_socket does where none is: no debug access, no DMI anywhere.
TEST(TargetSocket, ForwardsToTheRegisteredFunctionsOnly) {
  Bench b("b");
  sc_core::sc_start(sc_core::SC_ZERO_TIME);
  unsigned char data[8] = {};
  tlm::tlm_generic_payload t;
  t.set_command(tlm::TLM_READ_COMMAND);
  t.set_data_ptr(data);
  t.set_data_length(8);
  t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
  sc_time delay(10, SC_NS);
  b.to_socket->b_transport(t, delay);
  EXPECT_EQ(b.target.transports, 1u);
  EXPECT_EQ(delay, sc_time(13, SC_NS));
  EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
  EXPECT_EQ(b.to_socket->transport_dbg(t), 4u);
  EXPECT_EQ(b.to_bare->transport_dbg(t), 0u);

  tlm::tlm_dmi dmi;
  EXPECT_FALSE(b.to_socket->get_direct_mem_ptr(t, dmi));
  EXPECT_EQ(dmi.get_start_address(), 0u);
  EXPECT_EQ(dmi.get_end_address(), ~sc_dt::uint64{0});
  EXPECT_TRUE(dmi.is_read_write_allowed());
}

struct Direct : sc_core::sc_module {
  TargetSocket<Direct> fixed{"fixed"};      // the function as a template argument
  TargetSocket<Direct> runtime{"runtime"};  // the function as a member pointer
  unsigned firsts = 0, seconds = 0;
  explicit Direct(sc_core::sc_module_name n) : sc_core::sc_module(n) {
    fixed.register_b_transport<&Direct::first>(this);
    runtime.register_b_transport(this, &Direct::second);
  }
  void first(tlm::tlm_generic_payload&, sc_time& delay) {
    ++firsts;
    delay += sc_time(1, SC_NS);
  }
  void second(tlm::tlm_generic_payload&, sc_time& delay) {
    ++seconds;
    delay += sc_time(2, SC_NS);
  }
};

DirectTransport direct_of(tlm::tlm_target_socket<32>& socket) {
  auto* has = dynamic_cast<HasDirectTransport*>(socket.get_interface());
  return has != nullptr ? has->direct_transport() : DirectTransport{};
}

// What a bus calls instead of the virtual b_transport: the registered function, whichever
// way it was registered, and the latest registration.
TEST(TargetSocket, DirectTransportCallsTheRegisteredFunction) {
  Direct d("d");
  tlm::tlm_generic_payload t;
  sc_time delay = sc_core::SC_ZERO_TIME;
  const DirectTransport fixed = direct_of(d.fixed);
  const DirectTransport runtime = direct_of(d.runtime);
  ASSERT_NE(fixed.fn, nullptr);
  ASSERT_NE(runtime.fn, nullptr);
  fixed(t, delay);
  runtime(t, delay);
  EXPECT_EQ(d.firsts, 1u);
  EXPECT_EQ(d.seconds, 1u);
  EXPECT_EQ(delay, sc_time(3, SC_NS));

  d.fixed.register_b_transport(&d, &Direct::second);  // a member pointer replaces the template
  direct_of(d.fixed)(t, delay);
  EXPECT_EQ(d.firsts, 1u);
  EXPECT_EQ(d.seconds, 2u);
}

}  // namespace
}  // namespace aesvp
