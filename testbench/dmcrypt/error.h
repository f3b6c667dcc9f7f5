// Error types of the dm-crypt core. Every refusal carries one precise, printable message.
#pragma once

#include <stdexcept>
#include <string>

namespace aesvp::dmcrypt {

// Base of every error this library throws for bad input (spec, key, mapping, area).
class Error : public std::invalid_argument {
public:
  using std::invalid_argument::invalid_argument;
};

// A cipher specification that is malformed or outside the supported set.
// Message form: "cipher spec '<spec>': <reason>".
class SpecError : public Error {
public:
  using Error::Error;
};

// A key whose size does not fit the cipher specification.
class KeyError : public Error {
public:
  using Error::Error;
};

// Sector size, IV offset, key count or volume-area arithmetic out of range.
class MappingError : public Error {
public:
  using Error::Error;
};

// OpenSSL failed (should not happen for valid inputs; kept distinct from input errors).
class CryptoError : public std::runtime_error {
public:
  using std::runtime_error::runtime_error;
};

}  // namespace aesvp::dmcrypt
