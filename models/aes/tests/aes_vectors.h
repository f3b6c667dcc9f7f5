// Published test vectors (FIPS-197 appendix C, NIST SP 800-38A appendix F, IEEE 1619-2007
// appendix B) and small helpers shared by the AES tests. Hex strings as published.
#pragma once

#include <cstdint>
#include <stdexcept>
#include <string>
#include <vector>

namespace aesvp::test_vectors {

using Bytes = std::vector<std::uint8_t>;

inline Bytes hex(const std::string& s) {
  Bytes out;
  if (s.size() % 2 != 0) throw std::invalid_argument("odd hex length");
  for (std::size_t i = 0; i < s.size(); i += 2) out.push_back(static_cast<std::uint8_t>(std::stoul(s.substr(i, 2), nullptr, 16)));
  return out;
}

// FIPS-197 appendix C: plaintext 00112233445566778899aabbccddeeff, key 000102...
struct Fips197 { const char* key; const char* ct; };
inline constexpr const char* kFips197Plain = "00112233445566778899aabbccddeeff";
inline const Fips197 kFips197[] = {
    {"000102030405060708090a0b0c0d0e0f", "69c4e0d86a7b0430d8cdb78070b4c55a"},
    {"000102030405060708090a0b0c0d0e0f1011121314151617", "dda97ca4864cdfe06eaf70a0ec0d7191"},
    {"000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f", "8ea2b7ca516745bfeafc49904b496089"},
};

// NIST SP 800-38A appendix F (F.1 ECB, F.2 CBC, F.5 CTR), four blocks each.
inline constexpr const char* kSp80038aPlain =
    "6bc1bee22e409f96e93d7e117393172aae2d8a571e03ac9c9eb76fac45af8e51"
    "30c81c46a35ce411e5fbc1191a0a52eff69f2445df4f9b17ad2b417be66c3710";
inline constexpr const char* kSp80038aCbcIv = "000102030405060708090a0b0c0d0e0f";
inline constexpr const char* kSp80038aCtrIv = "f0f1f2f3f4f5f6f7f8f9fafbfcfdfeff";
struct Sp80038a { const char* key; const char* ecb; const char* cbc; const char* ctr; };
inline const Sp80038a kSp80038a[] = {
    {"2b7e151628aed2a6abf7158809cf4f3c",
     "3ad77bb40d7a3660a89ecaf32466ef97f5d3d58503b9699de785895a96fdbaaf"
     "43b1cd7f598ece23881b00e3ed0306887b0c785e27e8ad3f8223207104725dd4",
     "7649abac8119b246cee98e9b12e9197d5086cb9b507219ee95db113a917678b2"
     "73bed6b8e3c1743b7116e69e222295163ff1caa1681fac09120eca307586e1a7",
     "874d6191b620e3261bef6864990db6ce9806f66b7970fdff8617187bb9fffdff"
     "5ae4df3edbd5d35e5b4f09020db03eab1e031dda2fbe03d1792170a0f3009cee"},
    {"8e73b0f7da0e6452c810f32b809079e562f8ead2522c6b7b",
     "bd334f1d6e45f25ff712a214571fa5cc974104846d0ad3ad7734ecb3ecee4eef"
     "ef7afd2270e2e60adce0ba2face6444e9a4b41ba738d6c72fb16691603c18e0e",
     "4f021db243bc633d7178183a9fa071e8b4d9ada9ad7dedf4e5e738763f69145a"
     "571b242012fb7ae07fa9baac3df102e008b0e27988598881d920a9e64f5615cd",
     "1abc932417521ca24f2b0459fe7e6e0b090339ec0aa6faefd5ccc2c6f4ce8e94"
     "1e36b26bd1ebc670d1bd1d665620abf74f78a7f6d29809585a97daec58c6b050"},
    {"603deb1015ca71be2b73aef0857d77811f352c073b6108d72d9810a30914dff4",
     "f3eed1bdb5d2a03c064b5a7e3db181f8591ccb10d410ed26dc5ba74a31362870"
     "b6ed21b99ca6f4f9f153e7b1beafed1d23304b7a39f9f3ff067d8d8f9e24ecc7",
     "f58c4c04d6e5f1ba779eabfb5f7bfbd69cfc4e967edb808d679f777bc6702c7d"
     "39f23369a9d9bacfa530e26304231461b2eb05e2c39be9fcda6c19078c6a9d1b",
     "601ec313775789a5b7a7f504bbf3d228f443e3ca4d62b59aca84e990cacaf5c5"
     "2b0930daa23de94ce87017ba2d84988ddfc9c58db67aada613c2dd08457941a6"},
};

// IEEE 1619-2007 XTS-AES vectors (whole blocks): key1, key2, tweak n (data unit sequence
// number, little-endian 16 bytes), plaintext, ciphertext.
inline std::string xts_pattern512() {
  static const char* d = "0123456789abcdef";
  std::string s;
  for (int rep = 0; rep < 2; ++rep)
    for (int i = 0; i < 256; ++i) { s += d[i >> 4]; s += d[i & 15]; }
  return s;
}
struct Ieee1619 { const char* name; const char* key1; const char* key2; const char* tweak; std::string pt; const char* ct; };
inline std::vector<Ieee1619> ieee1619_vectors() {
  return {
      {"vector1", "00000000000000000000000000000000", "00000000000000000000000000000000",
       "00000000000000000000000000000000", std::string(64, '0'),
       "917cf69ebd68b2ec9b9fe9a3eadda692cd43d2f59598ed858c02c2652fbf922e"},
      {"vector2", "11111111111111111111111111111111", "22222222222222222222222222222222",
       "33333333330000000000000000000000", std::string(64, '4'),
       "c454185e6a16936e39334038acef838bfb186fff7480adc4289382ecd6d394f0"},
      {"vector3", "fffefdfcfbfaf9f8f7f6f5f4f3f2f1f0", "22222222222222222222222222222222",
       "33333333330000000000000000000000", std::string(64, '4'),
       "af85336b597afc1a900b2eb21ec949d292df4c047e0b21532186a5971a227a89"},
      {"vector4", "27182818284590452353602874713526", "31415926535897932384626433832795",
       "00000000000000000000000000000000", xts_pattern512(),
       "27a7479befa1d476489f308cd4cfa6e2a96e4bbe3208ff25287dd3819616e89c"
       "c78cf7f5e543445f8333d8fa7f56000005279fa5d8b5e4ad40e736ddb4d35412"
       "328063fd2aab53e5ea1e0a9f332500a5df9487d07a5c92cc512c8866c7e860ce"
       "93fdf166a24912b422976146ae20ce846bb7dc9ba94a767aaef20c0d61ad0265"
       "5ea92dc4c4e41a8952c651d33174be51a10c421110e6d81588ede82103a252d8"
       "a750e8768defffed9122810aaeb99f9172af82b604dc4b8e51bcb08235a6f434"
       "1332e4ca60482a4ba1a03b3e65008fc5da76b70bf1690db4eae29c5f1badd03c"
       "5ccf2a55d705ddcd86d449511ceb7ec30bf12b1fa35b913f9f747a8afd1b130e"
       "94bff94effd01a91735ca1726acd0b197c4e5b03393697e126826fb6bbde8ecc"
       "1e08298516e2c9ed03ff3c1b7860f6de76d4cecd94c8119855ef5297ca67e9f3"
       "e7ff72b1e99785ca0a7e7720c5b36dc6d72cac9574c8cbbc2f801e23e56fd344"
       "b07f22154beba0f08ce8891e643ed995c94d9a69c9f1b5f499027a78572aeebd"
       "74d20cc39881c213ee770b1010e4bea718846977ae119f7a023ab58cca0ad752"
       "afe656bb3c17256a9f6e9bf19fdd5a38fc82bbe872c5539edb609ef4f79c203e"
       "bb140f2e583cb2ad15b4aa5b655016a8449277dbd477ef2c8d6c017db738b18d"
       "eb4a427d1923ce3ff262735779a418f20a282df920147beabe421ee5319d0568"},
      {"vector10", "2718281828459045235360287471352662497757247093699959574966967627",
       "3141592653589793238462643383279502884197169399375105820974944592",
       "ff000000000000000000000000000000", xts_pattern512(),
       "1c3b3a102f770386e4836c99e370cf9bea00803f5e482357a4ae12d414a3e63b"
       "5d31e276f8fe4a8d66b317f9ac683f44680a86ac35adfc3345befecb4bb188fd"
       "5776926c49a3095eb108fd1098baec70aaa66999a72a82f27d848b21d4a741b0"
       "c5cd4d5fff9dac89aeba122961d03a757123e9870f8acf1000020887891429ca"
       "2a3e7a7d7df7b10355165c8b9a6d0a7de8b062c4500dc4cd120c0f7418dae3d0"
       "b5781c34803fa75421c790dfe1de1834f280d7667b327f6c8cd7557e12ac3a0f"
       "93ec05c52e0493ef31a12d3d9260f79a289d6a379bc70c50841473d1a8cc81ec"
       "583e9645e07b8d9670655ba5bbcfecc6dc3966380ad8fecb17b6ba02469a020a"
       "84e18e8f84252070c13e9f1f289be54fbc481457778f616015e1327a02b140f1"
       "505eb309326d68378f8374595c849d84f4c333ec4423885143cb47bd71c5edae"
       "9be69a2ffeceb1bec9de244fbe15992b11b77c040f12bd8f6a975a44a0f90c29"
       "a9abc3d4d893927284c58754cce294529f8614dcd2aba991925fedc4ae74ffac"
       "6e333b93eb4aff0479da9a410e4450e0dd7ae4c6e2910900575da401fc07059f"
       "645e8b7e9bfdef33943054ff84011493c27b3429eaedb4ed5376441a77ed4385"
       "1ad77f16f541dfd269d50d6a5f14fb0aab1cbb4c1550be97f7ab4066193c4caa"
       "773dad38014bd2092fa755c824bb5e54c4f36ffda9fcea70b9c6e693e148c151"},
  };
}

}  // namespace aesvp::test_vectors
