// The simulated backing device of the dm-crypt model: an in-memory byte array (default) or a
// host file. Disk accesses take zero simulated time (the model has no storage latency; the
// workload measures the crypto path alone). Offsets are bytes from the start of the
// encrypted area.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <vector>

namespace aesvp::testbench {

class Disk {
 public:
  virtual ~Disk() = default;
  virtual std::uint64_t size() const = 0;
  // Throw std::out_of_range beyond size(), std::runtime_error on host I/O errors.
  virtual void read(std::uint64_t offset, std::uint8_t* out, std::size_t len) = 0;
  virtual void write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) = 0;

  std::vector<std::uint8_t> read(std::uint64_t offset, std::size_t len);
  // Inverts one byte (fault injection for the scoreboard tests).
  void flip_byte(std::uint64_t offset);

 protected:
  void check(std::uint64_t offset, std::size_t len) const;
};

// In-memory disk, zero-filled.
class MemoryDisk : public Disk {
 public:
  explicit MemoryDisk(std::uint64_t size) : data_(size, 0) {}
  std::uint64_t size() const override { return data_.size(); }
  void read(std::uint64_t offset, std::uint8_t* out, std::size_t len) override;
  void write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) override;
  using Disk::read;

 private:
  std::vector<std::uint8_t> data_;
};

// A host file of `size` bytes (created or truncated to that size, zero-filled). `name` is
// the file named in error messages (default: `path`; aesvp run passes the target of the
// temporary it writes).
class FileDisk : public Disk {
 public:
  FileDisk(const std::string& path, std::uint64_t size, const std::string& name = "");
  ~FileDisk() override;
  FileDisk(const FileDisk&) = delete;
  FileDisk& operator=(const FileDisk&) = delete;
  std::uint64_t size() const override { return size_; }
  void read(std::uint64_t offset, std::uint8_t* out, std::size_t len) override;
  void write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) override;
  using Disk::read;

 private:
  std::string path_, name_;
  std::uint64_t size_;
  int fd_ = -1;
};

// `size` bytes of another disk from `base` on (one volume's area when several volumes lie one
// after another on one backing disk).
class PartitionDisk : public Disk {
 public:
  PartitionDisk(Disk& whole, std::uint64_t base, std::uint64_t size);
  std::uint64_t size() const override { return size_; }
  void read(std::uint64_t offset, std::uint8_t* out, std::size_t len) override;
  void write(std::uint64_t offset, const std::uint8_t* in, std::size_t len) override;
  using Disk::read;

 private:
  Disk& whole_;
  std::uint64_t base_, size_;
};

}  // namespace aesvp::testbench
