// Small cryptographic helpers over OpenSSL: random bytes, UUIDs, hashes, HMAC and
// constant-time comparison. Every secret-bearing comparison in halo goes through equal_ct.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>

namespace halo {

// Cryptographically random bytes (throws std::runtime_error if the RNG fails).
std::string random_bytes(size_t n);

// A random UUID v4 in canonical lower-case form.
std::string uuid_v4();

// True if text is a canonical UUID (any version), case-insensitive.
bool is_uuid(std::string_view text);

// A random API token: 40 lower-case hex characters, like CircleCI personal tokens.
std::string random_token();

std::string hex(std::string_view bytes);
std::string sha256(std::string_view data);                             // raw 32 bytes
std::string sha256_hex(std::string_view data);                         // 64 hex chars
std::string hmac_sha256(std::string_view key, std::string_view data);  // raw 32 bytes
std::string hmac_sha256_hex(std::string_view key, std::string_view data);

// Compares in time that depends only on the lengths.
bool equal_ct(std::string_view a, std::string_view b);

std::string base64url_encode(std::string_view data);
// Standard base64 (RFC 4648 section 4) with padding.
std::string base64_encode(std::string_view data);
// Empty optional-like: returns false on malformed input.
bool base64url_decode(std::string_view text, std::string& out);

// SHA-256 of a stream: update() with each piece, then digest() (raw 32 bytes) once.
class Sha256 {
 public:
  Sha256();
  ~Sha256();
  Sha256(const Sha256&) = delete;
  Sha256& operator=(const Sha256&) = delete;
  void update(std::string_view data);
  std::string digest();

 private:
  void* ctx_;  // EVP_MD_CTX
};

}  // namespace halo

namespace halo {

// AES-256-GCM with a random 96-bit nonce. seal() returns nonce || ciphertext || tag;
// open() returns false when the data was tampered with or the key is wrong. `aad` binds the
// ciphertext to its place (e.g. "project-env:<project-id>:<name>"), so a value copied to
// another row does not decrypt.
std::string seal(std::string_view key32, std::string_view plaintext, std::string_view aad);
bool open_sealed(std::string_view key32, std::string_view sealed, std::string_view aad,
                 std::string& plaintext);

}  // namespace halo
