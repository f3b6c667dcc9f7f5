// One request through aesvp's crypto engine (SystemC-free) from a consumer project: the
// driver callbacks must run in the engine's order and the completion must come exactly once.
#include "engine/crypto_engine.h"
#include "engine/step_context.h"

#include <cstdio>
#include <string>

namespace {

struct Driver : aesvp::engine::EngineDriver {
  std::string calls;
  aesvp::engine::Errc prepare_crypt_hardware(aesvp::engine::CryptoEngine&) override {
    calls += "H";
    return aesvp::engine::Errc::Ok;
  }
  aesvp::engine::Errc prepare_request(aesvp::engine::CryptoEngine&, aesvp::engine::Request&) override {
    calls += "P";
    return aesvp::engine::Errc::Ok;
  }
  aesvp::engine::Errc do_one_request(aesvp::engine::CryptoEngine& e, aesvp::engine::Request& r) override {
    calls += "D";
    e.finalize_request(r, aesvp::engine::Errc::Ok);  // the "hardware" is done at once
    return aesvp::engine::Errc::Ok;
  }
};

}  // namespace

int main() {
  using namespace aesvp::engine;
  StepContext ctx;
  Driver driver;
  CryptoEngine engine(ctx, driver);
  int completions = 0;
  Errc result = Errc::Inval;
  Request req(1, [&](Request&, Errc err) {
    ++completions;
    result = err;
  });
  if (engine.start() != Errc::Ok || engine.transfer_request(req) != Errc::InProgress) return 1;
  ctx.run_all();
  std::printf("engine_request: callbacks %s, completions %d, result %s\n", driver.calls.c_str(),
              completions, result == Errc::Ok ? "ok" : "error");
  return driver.calls == "HPD" && completions == 1 && result == Errc::Ok ? 0 : 1;
}
