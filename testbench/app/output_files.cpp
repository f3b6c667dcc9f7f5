#include "testbench/app/output_files.h"

#include "testbench/app/cli.h"

#include <fcntl.h>
#include <limits.h>
#include <sys/stat.h>
#include <unistd.h>

#include <atomic>
#include <cerrno>
#include <csignal>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <sstream>
#include <stdexcept>

namespace aesvp {
namespace {

namespace fs = std::filesystem;

// The temporaries alive in this process, for the signal handler: it may only call
// async-signal-safe functions, so the names sit in fixed buffers.
constexpr int kSlots = 16;
struct Slot {
  char path[PATH_MAX];
  std::atomic<bool> used{false};
};
Slot g_slots[kSlots];

extern "C" void remove_temporaries_and_die(int sig) {
  for (Slot& s : g_slots)
    if (s.used.load()) ::unlink(s.path);
  ::signal(sig, SIG_DFL);
  ::raise(sig);
}

void install_signal_handlers() {
  static const bool installed = [] {
    struct sigaction sa{};
    sa.sa_handler = remove_temporaries_and_die;
    sigemptyset(&sa.sa_mask);
    for (int sig : {SIGINT, SIGTERM, SIGHUP}) ::sigaction(sig, &sa, nullptr);
    return true;
  }();
  (void)installed;
}

int claim_slot(const std::string& path) {
  for (int i = 0; i < kSlots; ++i) {
    Slot& s = g_slots[i];
    if (s.used.load() || path.size() >= sizeof s.path) continue;
    std::memcpy(s.path, path.c_str(), path.size() + 1);
    s.used.store(true);
    return i;
  }
  return -1;  // more outputs than slots: still removed on failure, not on a signal
}

void release_slot(int i) {
  if (i >= 0) g_slots[i].used.store(false);
}

std::string errno_text(int e) { return std::strerror(e); }

const char* kind_of(mode_t m) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISCHR(m)) return "a character device";
  if (S_ISBLK(m)) return "a block device";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  return "not a regular file";
}

struct Identity {
  bool exists = false;
  dev_t dev = 0;
  ino_t ino = 0;
  bool same(const Identity& o) const { return exists && o.exists && dev == o.dev && ino == o.ino; }
};

Identity identity_of(const struct stat& st) { return Identity{true, st.st_dev, st.st_ino}; }

void write_all(int fd, const char* p, std::size_t n) {
  while (n > 0) {
    const ssize_t w = ::write(fd, p, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      throw errno;
    }
    p += w;
    n -= static_cast<std::size_t>(w);
  }
}

}  // namespace

struct OutputFiles::File {
  std::string what, path, target, temporary;
  Identity id;
  mode_t mode = 0;  // of an existing target (kept), else 0
  int slot = -1;
};

struct OutputFiles::Input {
  std::string what, path;
  Identity id;
};

OutputFiles::OutputFiles() { install_signal_handlers(); }

OutputFiles::~OutputFiles() { discard(); }

void OutputFiles::discard() {
  for (File& f : files_) {
    if (f.temporary.empty()) continue;
    ::unlink(f.temporary.c_str());
    release_slot(f.slot);
    f.temporary.clear();
  }
}

void OutputFiles::input(const std::string& what, const std::string& path) {
  struct stat st{};
  Input in{what, path, {}};
  if (::stat(path.c_str(), &st) == 0) in.id = identity_of(st);
  for (const File& f : files_)
    if (in.id.same(f.id))
      throw UsageError(f.what + ": '" + f.path + "' is the same file as " + what + " '" + path + "'");
  inputs_.push_back(in);
}

std::string OutputFiles::add(const std::string& what, const std::string& path,
                             const std::string& suffix) {
  if (path.empty()) throw UsageError(what + ": the file name is empty");
  File f{what, path, path, "", {}, 0, -1};
  struct stat st{};
  if (::lstat(path.c_str(), &st) == 0 && S_ISLNK(st.st_mode)) {
    // Written through: the link's final target is the file replaced.
    std::error_code ec;
    const fs::path resolved = fs::canonical(path, ec);
    if (ec) throw UsageError(what + ": '" + path + "' is a symbolic link to a missing file");
    f.target = resolved.string();
  }
  if (::stat(f.target.c_str(), &st) == 0) {
    if (!S_ISREG(st.st_mode))
      throw UsageError(what + ": '" + path + "' is " + kind_of(st.st_mode) +
                       "; outputs are written to regular files only");
    f.id = identity_of(st);
    f.mode = st.st_mode & 07777;
  } else if (errno != ENOENT) {
    throw UsageError(what + ": cannot write '" + path + "': " + errno_text(errno));
  }
  const fs::path dir = fs::absolute(fs::path(f.target)).parent_path();
  struct stat dst{};
  if (::stat(dir.c_str(), &dst) != 0 || !S_ISDIR(dst.st_mode))
    throw UsageError(what + ": cannot write '" + path + "': no such directory '" + dir.string() + "'");

  for (const Input& in : inputs_)
    if (f.id.same(in.id))
      throw UsageError(what + ": '" + path + "' is the same file as " + in.what + " '" + in.path + "'");
  std::error_code ec;
  const fs::path canon = fs::weakly_canonical(fs::absolute(f.target), ec);
  for (const File& o : files_) {
    std::error_code ec2;
    const fs::path other = fs::weakly_canonical(fs::absolute(o.target), ec2);
    if (f.id.same(o.id) || (!ec && !ec2 && canon == other))
      throw UsageError(what + ": '" + path + "' is the same file as " + o.what + " '" + o.path + "'");
  }

  std::string name = (dir / fs::path(f.target).filename()).string() + ".aesvp-tmp-XXXXXX" + suffix;
  std::vector<char> buf(name.begin(), name.end());
  buf.push_back('\0');
  const int fd = ::mkstemps(buf.data(), static_cast<int>(suffix.size()));
  if (fd < 0)
    throw UsageError(what + ": cannot write '" + path + "': " + errno_text(errno));
  ::close(fd);
  f.temporary.assign(buf.data());
  f.slot = claim_slot(f.temporary);
  files_.push_back(f);
  return f.temporary;
}

const std::string& OutputFiles::target_of(const std::string& temporary) const {
  for (const File& f : files_)
    if (f.temporary == temporary) return f.path;
  return temporary;
}

void OutputFiles::write(const std::string& temporary,
                        const std::function<void(std::ostream&)>& body) {
  std::ostringstream text;
  body(text);
  const std::string s = text.str();
  const std::string& target = target_of(temporary);
  const int fd = ::open(temporary.c_str(), O_WRONLY | O_TRUNC | O_CLOEXEC);
  if (fd < 0) throw std::runtime_error("cannot write '" + target + "': " + errno_text(errno));
  try {
    write_all(fd, s.data(), s.size());
  } catch (int e) {
    ::close(fd);
    throw std::runtime_error("cannot write '" + target + "': " + errno_text(e));
  }
  if (::close(fd) != 0) throw std::runtime_error("cannot write '" + target + "': " + errno_text(errno));
}

void OutputFiles::commit() {
  const mode_t mask = ::umask(0);
  ::umask(mask);
  // Modes first (a failure here leaves every target untouched), then the renames.
  for (const File& f : files_) {
    const mode_t mode = f.mode != 0 ? f.mode : (0666 & ~mask);
    if (::chmod(f.temporary.c_str(), mode) != 0)
      throw std::runtime_error("cannot write '" + f.path + "': " + errno_text(errno));
  }
  for (File& f : files_) {
    if (::rename(f.temporary.c_str(), f.target.c_str()) != 0)
      throw std::runtime_error("cannot write '" + f.path + "': " + errno_text(errno));
    release_slot(f.slot);
    f.temporary.clear();
  }
}

}  // namespace aesvp
