// Bounded reads of the commands' input files (docs/errors.md "Inputs").
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace aesvp {

// Reads up to `len` bytes at the current position of `fd` into `buf`, retrying interrupted
// reads (`got`: how many; fewer only at the end of the file). Returns 0 or the errno of a
// failed read.
int read_fully(int fd, std::uint8_t* buf, std::size_t len, std::size_t* got);

// Opens an input without blocking (a FIFO without a writer would block open()) and refuses
// what cannot be read with a known size: a directory, a FIFO, a socket, and a character
// device unless `allow_char_device`. Returns the descriptor (blocking again) or throws
// UsageError (exit 2) for the kind, std::runtime_error (exit 1) for an I/O error.
int open_input(const std::string& what, const std::string& path, bool allow_char_device);

// Reads at most `offset + key_bytes` bytes of a key file (cryptsetup reads key-size / 8 bytes
// from --keyfile-offset on and no more); returns what was there (shorter at end of file).
std::vector<std::uint8_t> read_key_file(const std::string& what, const std::string& path,
                                        std::uint64_t offset, std::size_t key_bytes);

// Reads a passphrase from standard input as cryptsetup does for `--key-file -` in plain mode:
// skips `offset` bytes, then reads up to the first newline (dropped) or `max_bytes`, whichever
// comes first.
std::vector<std::uint8_t> read_passphrase_stdin(std::uint64_t offset, std::size_t max_bytes);

}  // namespace aesvp
