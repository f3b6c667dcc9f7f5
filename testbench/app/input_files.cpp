#include "testbench/app/input_files.h"

#include "testbench/app/cli.h"

#include <fcntl.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace aesvp {
namespace {

const char* refused_kind(mode_t m, bool allow_char_device) {
  if (S_ISDIR(m)) return "a directory";
  if (S_ISFIFO(m)) return "a FIFO";
  if (S_ISSOCK(m)) return "a socket";
  if (S_ISCHR(m) && !allow_char_device) return "a character device";
  return nullptr;
}

}  // namespace

int open_input(const std::string& what, const std::string& path, bool allow_char_device) {
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
  if (fd < 0) throw std::runtime_error("cannot read " + what + " '" + path + "': " + std::strerror(errno));
  struct stat st{};
  if (::fstat(fd, &st) != 0) {
    const int e = errno;
    ::close(fd);
    throw std::runtime_error("cannot read " + what + " '" + path + "': " + std::strerror(e));
  }
  if (const char* kind = refused_kind(st.st_mode, allow_char_device)) {
    ::close(fd);
    throw UsageError(what + " '" + path + "' is " + kind + "; give a regular file");
  }
  ::fcntl(fd, F_SETFL, ::fcntl(fd, F_GETFL) & ~O_NONBLOCK);
  return fd;
}

int read_fully(int fd, std::uint8_t* buf, std::size_t len, std::size_t* got) {
  std::size_t done = 0;
  while (done < len) {
    const ssize_t r = ::read(fd, buf + done, len - done);
    if (r < 0) {
      if (errno == EINTR) continue;
      *got = done;
      return errno;
    }
    if (r == 0) break;
    done += static_cast<std::size_t>(r);
  }
  *got = done;
  return 0;
}

std::vector<std::uint8_t> read_key_file(const std::string& what, const std::string& path,
                                        std::uint64_t offset, std::size_t key_bytes) {
  // Both are bounded by the callers (offset <= 1 MiB, key <= 1 KiB): no overflow.
  const int fd = open_input(what, path, true);
  std::vector<std::uint8_t> bytes(static_cast<std::size_t>(offset) + key_bytes);
  std::size_t got = 0;
  const int e = read_fully(fd, bytes.data(), bytes.size(), &got);
  ::close(fd);
  if (e != 0) throw std::runtime_error("cannot read " + what + " '" + path + "': " + std::strerror(e));
  bytes.resize(got);
  return bytes;
}

std::vector<std::uint8_t> read_passphrase_stdin(std::uint64_t offset, std::size_t max_bytes) {
  std::vector<std::uint8_t> pass;
  std::uint64_t skipped = 0;
  // Byte by byte: a passphrase is short, and nothing after its newline may be consumed.
  for (;;) {
    std::uint8_t c = 0;
    const ssize_t r = ::read(STDIN_FILENO, &c, 1);
    if (r < 0) {
      if (errno == EINTR) continue;
      throw std::runtime_error(std::string("cannot read the passphrase from standard input: ") +
                               std::strerror(errno));
    }
    if (r == 0) break;
    if (skipped < offset) {
      ++skipped;
      continue;
    }
    if (c == '\n') break;
    pass.push_back(c);
    if (pass.size() >= max_bytes) break;
  }
  return pass;
}

}  // namespace aesvp
