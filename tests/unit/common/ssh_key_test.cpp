#include "common/ssh_key.h"

#include <gtest/gtest.h>
#include <openssl/evp.h>
#include <openssl/pem.h>

#include <memory>

namespace halo {
namespace {

TEST(SshKey, AGeneratedKeyParsesBackToTheSamePublicKeyAndFingerprints) {
  SshKeyPair made = generate_ssh_key();
  auto parsed = parse_ssh_private_key(made.private_pem);
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->public_openssh, made.public_openssh);
  EXPECT_EQ(parsed->fingerprint_md5, made.fingerprint_md5);
  EXPECT_EQ(parsed->fingerprint_sha256, made.fingerprint_sha256);
  EXPECT_EQ(parsed->fingerprint_sha256, ssh_fingerprint_sha256(made.public_openssh));
}

TEST(SshKey, Ed25519KeysAreTakenToo) {
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(
      EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"), EVP_PKEY_free);
  ASSERT_TRUE(key);
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new(BIO_s_mem()), BIO_free);
  ASSERT_TRUE(
      PEM_write_bio_PrivateKey(bio.get(), key.get(), nullptr, nullptr, 0, nullptr, nullptr));
  char* data = nullptr;
  long len = BIO_get_mem_data(bio.get(), &data);
  auto parsed = parse_ssh_private_key(std::string(data, static_cast<size_t>(len)));
  ASSERT_TRUE(parsed);
  EXPECT_EQ(parsed->public_openssh.rfind("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5", 0), 0u)
      << parsed->public_openssh;
  EXPECT_EQ(parsed->fingerprint_md5.size(), 47u);  // 16 bytes, colon-separated
}

TEST(SshKey, WhatIsNotAnUnencryptedPrivateKeyIsRefused) {
  EXPECT_FALSE(parse_ssh_private_key(""));
  EXPECT_FALSE(parse_ssh_private_key("not a key"));
  EXPECT_FALSE(parse_ssh_private_key(generate_ssh_key().public_openssh));
  EXPECT_FALSE(parse_ssh_private_key(std::string(70 * 1024, 'A')));
}

}  // namespace
}  // namespace halo
