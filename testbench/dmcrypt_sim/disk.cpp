#include "testbench/dmcrypt_sim/disk.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <stdexcept>

namespace aesvp::testbench {

void Disk::check(std::uint64_t offset, std::size_t len) const {
  if (offset > size() || len > size() - offset)
    throw std::out_of_range("disk access of " + std::to_string(len) + " bytes at " +
                            std::to_string(offset) + " beyond the disk size " +
                            std::to_string(size()));
}

std::vector<std::uint8_t> Disk::read(std::uint64_t offset, std::size_t len) {
  std::vector<std::uint8_t> v(len);
  read(offset, v.data(), len);
  return v;
}

void Disk::flip_byte(std::uint64_t offset) {
  std::uint8_t b = 0;
  read(offset, &b, 1);
  b = static_cast<std::uint8_t>(~b);
  write(offset, &b, 1);
}

void MemoryDisk::read(std::uint64_t offset, std::uint8_t* out, std::size_t len) {
  check(offset, len);
  if (len != 0) std::memcpy(out, data_.data() + offset, len);
}

void MemoryDisk::write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) {
  check(offset, len);
  if (len != 0) std::memcpy(data_.data() + offset, in, len);
}

FileDisk::FileDisk(const std::string& path, std::uint64_t size, const std::string& name)
    : path_(path), name_(name.empty() ? path : name), size_(size) {
  fd_ = ::open(path.c_str(), O_RDWR | O_CREAT | O_TRUNC, 0644);
  if (fd_ < 0)
    throw std::runtime_error("cannot open disk file '" + name_ + "': " + std::strerror(errno));
  if (::ftruncate(fd_, static_cast<off_t>(size)) != 0) {
    const int e = errno;
    ::close(fd_);
    throw std::runtime_error("cannot size disk file '" + name_ + "': " + std::strerror(e));
  }
}

FileDisk::~FileDisk() {
  if (fd_ >= 0) ::close(fd_);
}

void FileDisk::read(std::uint64_t offset, std::uint8_t* out, std::size_t len) {
  check(offset, len);
  std::size_t done = 0;
  while (done < len) {
    const ssize_t n = ::pread(fd_, out + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot read disk file '" + name_ + "': " +
                               (n < 0 ? std::strerror(errno) : "it ended early"));
    done += static_cast<std::size_t>(n);
  }
}

void FileDisk::write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) {
  check(offset, len);
  std::size_t done = 0;
  while (done < len) {
    const ssize_t n = ::pwrite(fd_, in + done, len - done, static_cast<off_t>(offset + done));
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0)
      throw std::runtime_error("cannot write disk file '" + name_ + "': " +
                               (n < 0 ? std::strerror(errno) : "nothing written"));
    done += static_cast<std::size_t>(n);
  }
}

PartitionDisk::PartitionDisk(Disk& whole, std::uint64_t base, std::uint64_t size)
    : whole_(whole), base_(base), size_(size) {
  if (base > whole.size() || size > whole.size() - base)
    throw std::out_of_range("a partition of " + std::to_string(size) + " bytes at " +
                            std::to_string(base) + " beyond the disk size " +
                            std::to_string(whole.size()));
}

void PartitionDisk::read(std::uint64_t offset, std::uint8_t* out, std::size_t len) {
  check(offset, len);
  whole_.read(base_ + offset, out, len);
}

void PartitionDisk::write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) {
  check(offset, len);
  whole_.write(base_ + offset, in, len);
}

}  // namespace aesvp::testbench
