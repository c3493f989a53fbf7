#include "common/ssh_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/md5.h>
#include <openssl/pem.h>

#include <memory>
#include <stdexcept>

#include "common/crypto.h"

namespace halo {

namespace {

void put_u32(std::string& out, uint32_t v) {
  for (int i = 3; i >= 0; --i) out.push_back(static_cast<char>((v >> (8 * i)) & 0xff));
}

void put_string(std::string& out, const std::string& s) {
  put_u32(out, static_cast<uint32_t>(s.size()));
  out += s;
}

// SSH mpint: big-endian, with a leading zero byte when the top bit is set.
void put_mpint(std::string& out, const BIGNUM* bn) {
  std::string bytes(static_cast<size_t>(BN_num_bytes(bn)), '\0');
  BN_bn2bin(bn, reinterpret_cast<unsigned char*>(bytes.data()));
  if (!bytes.empty() && (static_cast<unsigned char>(bytes[0]) & 0x80)) bytes.insert(0, 1, '\0');
  put_string(out, bytes);
}

std::string base64_std(const std::string& data, bool pad) {
  std::string b = base64url_encode(data);
  for (auto& c : b) {
    if (c == '-')
      c = '+';
    else if (c == '_')
      c = '/';
  }
  if (pad)
    while (b.size() % 4) b.push_back('=');
  return b;
}

}  // namespace

namespace {

// The public line and fingerprints of `key` (RSA or Ed25519); false for other key types.
bool describe(EVP_PKEY* key, SshKeyPair& out) {
  std::string blob, type;
  if (EVP_PKEY_is_a(key, "RSA")) {
    BIGNUM *n = nullptr, *e = nullptr;
    if (!EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_N, &n) ||
        !EVP_PKEY_get_bn_param(key, OSSL_PKEY_PARAM_RSA_E, &e)) {
      BN_free(n);
      BN_free(e);
      return false;
    }
    type = "ssh-rsa";
    put_string(blob, type);
    put_mpint(blob, e);
    put_mpint(blob, n);
    BN_free(n);
    BN_free(e);
  } else if (EVP_PKEY_is_a(key, "ED25519")) {
    unsigned char raw[32];
    size_t len = sizeof raw;
    if (EVP_PKEY_get_raw_public_key(key, raw, &len) != 1 || len != sizeof raw) return false;
    type = "ssh-ed25519";
    put_string(blob, type);
    put_string(blob, std::string(reinterpret_cast<char*>(raw), len));
  } else {
    return false;
  }
  out.public_openssh = type + " " + base64_std(blob, true);
  unsigned char md5[MD5_DIGEST_LENGTH];
  unsigned int md5_len = 0;
  EVP_Digest(blob.data(), blob.size(), md5, &md5_len, EVP_md5(), nullptr);
  std::string h = hex(std::string(reinterpret_cast<char*>(md5), md5_len));
  out.fingerprint_md5.clear();
  for (size_t i = 0; i < h.size(); i += 2) {
    if (i) out.fingerprint_md5 += ':';
    out.fingerprint_md5 += h.substr(i, 2);
  }
  out.fingerprint_sha256 = "SHA256:" + base64_std(sha256(blob), false);
  return true;
}

}  // namespace

SshKeyPair generate_ssh_key() {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(EVP_RSA_gen(3072), EVP_PKEY_free);
  if (!key) throw std::runtime_error("ssh key: RSA generation failed");

  SshKeyPair out;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  if (!PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr))
    throw std::runtime_error("ssh key: cannot write the private key");
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  out.private_pem.assign(data, static_cast<size_t>(len));
  if (!describe(key.get(), out)) throw std::runtime_error("ssh key: cannot read the public key");
  return out;
}

std::optional<SshKeyPair> parse_ssh_private_key(const std::string& pem) {
  if (pem.size() > 64 * 1024) return std::nullopt;
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(
      BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), BIO_free);
  if (!bio) return std::nullopt;
  // An empty passphrase callback: an encrypted key fails instead of prompting.
  auto no_pass = [](char*, int, int, void*) { return 0; };
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      PEM_read_bio_PrivateKey(bio.get(), nullptr, no_pass, nullptr), EVP_PKEY_free);
  ERR_clear_error();
  if (!key) return std::nullopt;
  SshKeyPair out;
  out.private_pem = pem;
  if (out.private_pem.back() != '\n') out.private_pem += '\n';
  if (!describe(key.get(), out)) return std::nullopt;
  return out;
}

std::string ssh_fingerprint_sha256(const std::string& public_openssh) {
  auto sp = public_openssh.find(' ');
  if (sp == std::string::npos) return "";
  std::string b64 = public_openssh.substr(sp + 1);
  b64 = b64.substr(0, b64.find(' '));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (auto& c : b64) {
    if (c == '+')
      c = '-';
    else if (c == '/')
      c = '_';
  }
  std::string blob;
  if (!base64url_decode(b64, blob)) return "";
  return "SHA256:" + base64_std(sha256(blob), false);
}

}  // namespace halo
