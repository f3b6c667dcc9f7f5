// aesvp bulk mode in the omap-aes driver (not in Linux): with the AES model's bulk extension
// (beyond TI silicon) a request may cover several data units; the driver programs the
// data-unit registers and runs them as one DMA transfer. The engine's merge policy builds
// such requests from consecutive per-sector requests (this device is its MergeAdapter).
#include "driver/omap_aes/omap_aes.h"

#include "models/aes/omap_aes_regs.h"

#include <algorithm>
#include <cstring>
#include <stdexcept>

namespace aesvp::driver {

namespace regs = omap_aes;
using engine::IvKind;

namespace {

std::uint32_t word_at(const std::uint8_t* p) {
  std::uint32_t w;
  std::memcpy(&w, p, 4);
  return w;
}

std::uint32_t iv_kind_field(IvKind k) {
  switch (k) {
    case IvKind::Plain: return regs::kBulkIvPlain;
    case IvKind::Plain64: return regs::kBulkIvPlain64;
    case IvKind::Plain64Be: return regs::kBulkIvPlain64Be;
    case IvKind::Essiv: return regs::kBulkIvEssiv;
    case IvKind::None: break;
  }
  return 0;
}

unsigned log2_of(std::uint32_t v) {
  unsigned n = 0;
  while ((v >>= 1) != 0) ++n;
  return n;
}

// One identity per algorithm and buffer layout (in place or not): only equal ones merge.
const int kShapeIds[8] = {0, 1, 2, 3, 4, 5, 6, 7};

void append_trimmed(kernel::Scatterlist& out, const kernel::Scatterlist& sg, std::uint64_t len) {
  for (const auto& e : sg.entries()) {
    if (len == 0) break;
    const auto n = static_cast<std::uint32_t>(std::min<std::uint64_t>(e.length, len));
    out.push_back(e.address, n);
    len -= n;
  }
}

}  // namespace

bool OmapAesDev::can_run_units(const CryptoSkcipher& tfm, IvKind kind) const {
  if (!res_.bulk_units || pio_only_ || kind == IvKind::None) return false;
  if (tfm.mode() == SkcipherMode::Cbc) return kind != IvKind::Essiv || !tfm.essiv_salt.empty();
  return tfm.mode() == SkcipherMode::Xts && kind != IvKind::Essiv;  // KEY2 holds key2, not a salt
}

bool OmapAesDriver::multi_unit(const CryptoSkcipher& tfm, IvKind kind) const {
  for (const auto& d : devs_)
    if (!d->can_run_units(tfm, kind)) return false;
  return !devs_.empty();
}

bool OmapAesDev::multi_unit(const SkcipherRequest& req) const {
  return req.bulk.data_unit_size != 0 && req.cryptlen > req.bulk.data_unit_size &&
         can_run_units(*req.tfm, req.bulk.iv_kind);
}

void OmapAesDev::omap_aes_write_units(const SkcipherRequest& req) {
  const bool on = multi_unit(req);
  if (!on) {
    k_.writel_config(0, res_.base + regs::kBulkCtrl);  // back to the TI behaviour
    units_on_ = false;
    return;
  }
  const engine::BulkInfo& b = req.bulk;
  std::uint32_t ctrl = regs::kBulkEnable | (iv_kind_field(b.iv_kind) << regs::kBulkIvKindShift) |
                       (log2_of(b.data_unit_step) << regs::kBulkStepShift);
  if (b.iv_kind == IvKind::Essiv) {
    const std::vector<std::uint8_t>& salt = req.tfm->essiv_salt;
    ctrl |= regs::ctrl_key_size(static_cast<std::uint32_t>(salt.size() * 8)) << regs::kBulkSaltKeySizeShift;
    for (std::uint32_t x = 0; x < salt.size() / 4; ++x)
      k_.writel_config(word_at(&salt[4 * x]), res_.base + regs::key2_word(x));
  }
  k_.writel_config(ctrl, res_.base + regs::kBulkCtrl);
  k_.writel_config(b.data_unit_size, res_.base + regs::kDuSize);
  k_.writel_config(static_cast<std::uint32_t>(b.first_data_unit), res_.base + regs::kDuNum0);
  k_.writel_config(static_cast<std::uint32_t>(b.first_data_unit >> 32), res_.base + regs::kDuNum1);
  units_on_ = true;
  ++stats_.multi_unit;
}

std::unique_ptr<engine::DispatchPolicy> OmapAesDev::make_policy() {
  const DriverParams& p = drv_.params();
  engine::MergeConfig cfg;
  if (!engine::parse_merge_mode(p.merge, cfg.mode))
    throw std::invalid_argument("driver.merge: '" + p.merge +
                                "' is not off, opportunistic, bounded, max or gather");
  if (cfg.mode == engine::MergeMode::Off || !res_.bulk_units || pio_only_) return nullptr;
  cfg.max_requests = p.merge_max;
  cfg.max_wait_ns = static_cast<std::uint64_t>(p.merge_wait_us * 1000.0);
  cfg.lookahead = p.merge_lookahead;
  auto pol = std::make_unique<engine::MergePolicy>(cfg, *this);
  merge_policy_ = pol.get();
  return pol;
}

bool OmapAesDev::describe(const engine::Request& r, engine::MergeView& v) const {
  const auto* req = dynamic_cast<const SkcipherRequest*>(&r);
  if (req == nullptr || req->tfm == nullptr) return false;
  v.transform = &kShapeIds[2 * static_cast<int>(req->tfm->mode()) + (req->in_place ? 1 : 0)];
  v.key_id = reinterpret_cast<std::uintptr_t>(req->tfm);  // one key per transform
  v.encrypt = req->dir == CryptDirection::Encrypt;
  v.bytes = req->cryptlen;
  v.segments = kernel::sg_nents(req->src) + (req->in_place ? 0 : kernel::sg_nents(req->dst));
  v.bulk = req->bulk;
  // An IV kind this hardware cannot derive for this algorithm is refused as such.
  if (!can_run_units(*req->tfm, req->bulk.iv_kind)) v.bulk.iv_kind = IvKind::None;
  return true;
}

engine::MergeLimits OmapAesDev::limits() const {
  engine::MergeLimits l;
  l.max_bytes = drv_.params().merge_max_bytes;
  l.max_segments = 0;  // the driver bounces lists it cannot map (docs/omap-aes-driver.md)
  l.iv_kinds = {false, true, true, true, true};
  return l;
}

std::unique_ptr<engine::Request> OmapAesDev::combine(const std::vector<engine::Request*>& members) {
  auto c = std::make_unique<SkcipherRequest>();
  const auto& first = static_cast<const SkcipherRequest&>(*members.front());
  c->tfm = first.tfm;
  c->dir = first.dir;
  c->in_place = first.in_place;
  c->iv = first.iv;
  std::uint32_t len = 0;
  for (engine::Request* m : members) {
    const auto& r = static_cast<const SkcipherRequest&>(*m);
    append_trimmed(c->src, r.src, r.cryptlen);
    if (!r.in_place) append_trimmed(c->dst, r.dst, r.cryptlen);
    len += r.cryptlen;
  }
  c->cryptlen = len;
  c->driver_ctx = this;
  return c;
}

}  // namespace aesvp::driver
