#include "testbench/app/cryptodev.h"

#include "driver/kernel/dma_mapping.h"

#include <algorithm>
#include <stdexcept>
#include <string>

namespace aesvp::testbench {

using engine::Errc;

CryptodevSession::CryptodevSession(kernel::Kernel& k, driver::SkcipherProvider& provider,
                                   driver::SkcipherMode mode,
                                   const std::vector<std::uint8_t>& key, std::size_t max_len,
                                   const CryptodevParams& params)
    : k_(k), params_(params), tfm_(provider, mode), max_len_(max_len), done_(k) {
  const Errc e = driver::crypto_skcipher_setkey(tfm_, key);
  if (e != Errc::Ok)
    throw std::runtime_error("cryptodev: setkey refused (" + std::string(engine::to_string(e)) + ")");
  buf_ = k_.kmalloc(max_len_);
  if (buf_ == 0) throw std::runtime_error("cryptodev: kmalloc of the session buffer failed");
}

CryptodevSession::~CryptodevSession() {
  if (buf_ != 0) k_.kfree(buf_);
}

CryptodevOpResult CryptodevSession::crypt(bool encrypt, const std::uint8_t* in, std::uint8_t* out,
                                          std::size_t len, std::array<std::uint8_t, 16>& iv) {
  CryptodevOpResult r;
  if (len == 0 || len > max_len_) {
    r.err = Errc::Inval;
    return r;
  }
  ++ops_;
  k_.charge_cycles(params_.user_op_cycles);
  k_.charge_cycles(params_.syscall_entry_cycles);
  k_.charge_cycles(params_.ioctl_cycles);
  const double pages = static_cast<double>((len + kernel::Kernel::kPageSize - 1) / kernel::Kernel::kPageSize);
  if (params_.zero_copy) {
    // The data already is in the user's pages (buf_ stands for them): pin them.
    if (!kernel::place_bytes(k_, buf_, std::vector<std::uint8_t>(in, in + len)))
      throw std::runtime_error("cryptodev: user buffer outside DRAM");
    k_.charge_cycles(params_.pin_page_cycles * pages);
  } else if (!kernel::copy_from_host(k_, buf_, in, len)) {
    throw std::runtime_error("cryptodev: copy_from_user failed");
  }

  k_.charge_cycles(params_.request_setup_cycles);
  driver::SkcipherRequest req(tfm_);
  req.id = ops_;
  req.set_crypt_inplace(kernel::sg_init_one(buf_, static_cast<std::uint32_t>(len)),
                        static_cast<std::uint32_t>(len), iv.data());
  done_.reinit();
  finished_ = false;
  result_ = Errc::Ok;
  // cryptodev-linux sets CRYPTO_TFM_REQ_MAY_BACKLOG and waits for the final result.
  req.set_callback(true, [this](engine::Request&, Errc e) {
    if (e == Errc::InProgress) return;  // backlog notification: keep waiting
    result_ = e;
    finished_ = true;
    done_.complete();
  });
  const Errc rc = encrypt ? driver::crypto_skcipher_encrypt(req) : driver::crypto_skcipher_decrypt(req);
  if (rc == Errc::InProgress || rc == Errc::Busy) {
    r.hardware = true;
    const bool sleeps = !done_.completion_done();
    done_.wait_for_completion();
    if (sleeps) {
      ++sleeps_;
      k_.charge_cycles(params_.sleep_wake_cycles);
    }
    r.err = result_;
  } else {
    r.err = rc;  // Ok: done synchronously (software fallback); else refused
  }
  if (r.err == Errc::Ok) {
    iv = req.iv;
    if (params_.zero_copy) {
      const std::vector<std::uint8_t> res = kernel::fetch_bytes(k_, buf_, len);
      std::copy(res.begin(), res.end(), out);
    } else if (!kernel::copy_to_host(k_, out, buf_, len)) {
      throw std::runtime_error("cryptodev: copy_to_user failed");
    }
  }
  k_.charge_cycles(params_.syscall_exit_cycles);
  return r;
}

}  // namespace aesvp::testbench
