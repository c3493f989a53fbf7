#include "common/ssh_key.h"

#include <openssl/bn.h>
#include <openssl/core_names.h>
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
    if (c == '-') c = '+';
    else if (c == '_') c = '/';
  }
  if (pad)
    while (b.size() % 4) b.push_back('=');
  return b;
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

  BIGNUM *n = nullptr, *e = nullptr;
  if (!EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n) ||
      !EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e))
    throw std::runtime_error("ssh key: cannot read the public key");
  std::string blob;
  put_string(blob, "ssh-rsa");
  put_mpint(blob, e);
  put_mpint(blob, n);
  BN_free(n);
  BN_free(e);

  out.public_openssh = "ssh-rsa " + base64_std(blob, true);
  unsigned char md5[MD5_DIGEST_LENGTH];
  unsigned int md5_len = 0;
  EVP_Digest(blob.data(), blob.size(), md5, &md5_len, EVP_md5(), nullptr);
  std::string h = hex(std::string(reinterpret_cast<char*>(md5), md5_len));
  for (size_t i = 0; i < h.size(); i += 2) {
    if (i) out.fingerprint_md5 += ':';
    out.fingerprint_md5 += h.substr(i, 2);
  }
  out.fingerprint_sha256 = "SHA256:" + base64_std(sha256(blob), false);
  return out;
}

std::string ssh_fingerprint_sha256(const std::string& public_openssh) {
  auto sp = public_openssh.find(' ');
  if (sp == std::string::npos) return "";
  std::string b64 = public_openssh.substr(sp + 1);
  b64 = b64.substr(0, b64.find(' '));
  while (!b64.empty() && b64.back() == '=') b64.pop_back();
  for (auto& c : b64) {
    if (c == '+') c = '-';
    else if (c == '/') c = '_';
  }
  std::string blob;
  if (!base64url_decode(b64, blob)) return "";
  return "SHA256:" + base64_std(sha256(blob), false);
}

}  // namespace halo
