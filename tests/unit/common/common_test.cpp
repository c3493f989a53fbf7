#include <gtest/gtest.h>

#include "common/crypto.h"
#include "common/time.h"

#include <filesystem>
#include <fstream>
#include <vector>

using namespace halo;

TEST(Time, Rfc3339HasMillisecondsAndRoundTrips) {
  EXPECT_EQ(rfc3339(1768074358517), "2026-01-10T19:45:58.517Z");
  EXPECT_EQ(rfc3339(0), "1970-01-01T00:00:00.000Z");
  EXPECT_EQ(parse_rfc3339("2026-01-10T19:45:58.517Z"), 1768074358517);
  EXPECT_EQ(parse_rfc3339("2026-01-10T19:45:58Z"), 1768074358000);
  EXPECT_FALSE(parse_rfc3339("yesterday"));
  EXPECT_FALSE(parse_rfc3339("2026-01-10T19:45:58.517+01:00"));
}

TEST(Crypto, UuidsAreV4AndValidated) {
  std::string u = uuid_v4();
  EXPECT_TRUE(is_uuid(u));
  EXPECT_EQ(u[14], '4');
  EXPECT_NE(u, uuid_v4());
  EXPECT_FALSE(is_uuid("not-a-uuid"));
  EXPECT_FALSE(is_uuid("00000000-0000-0000-0000-00000000000g"));
}

TEST(Crypto, HmacMatchesCircleCIsWebhookTestVectors) {
  EXPECT_EQ(hmac_sha256_hex("secret", "hello world"),
            "734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a");
  EXPECT_EQ(hmac_sha256_hex("another-secret", "lalala"),
            "daa220016c8f29a8b214fbfc3671aeec2145cfb1e6790184ffb38b6d0425fa00");
  EXPECT_EQ(hmac_sha256_hex("hunter123", "an-important-request-payload"),
            "9be2242094a9a8c00c64306f382a7f9d691de910b4a266f67bd314ef18ac49fa");
  EXPECT_EQ(hmac_sha256_hex("secret", "foo"),
            "773ba44693c7553d6ee20f61ea5d2757a9a4f4a44d2841ae4e95b52e4cd62db4");
}

TEST(Crypto, ConstantTimeEqualityAndBase64Url) {
  EXPECT_TRUE(equal_ct("abc", "abc"));
  EXPECT_FALSE(equal_ct("abc", "abd"));
  EXPECT_FALSE(equal_ct("abc", "abcd"));
  for (const std::string& s :
       std::vector<std::string>{"", "a", "ab", "abc", "abcd", std::string("\0\xff\x10", 3)}) {
    std::string back;
    ASSERT_TRUE(base64url_decode(base64url_encode(s), back));
    EXPECT_EQ(back, s);
  }
  std::string out;
  EXPECT_FALSE(base64url_decode("a+b", out));
  EXPECT_EQ(random_token().size(), 40u);
}

TEST(Crypto, SealedValuesOpenOnlyWithTheirKeyAndPlace) {
  std::string key = random_bytes(32), other = random_bytes(32);
  std::string sealed = seal(key, "s3cr3t value", "project-env:p1:TOKEN");
  EXPECT_EQ(sealed.find("s3cr3t"), std::string::npos);
  std::string out;
  ASSERT_TRUE(open_sealed(key, sealed, "project-env:p1:TOKEN", out));
  EXPECT_EQ(out, "s3cr3t value");
  EXPECT_FALSE(open_sealed(other, sealed, "project-env:p1:TOKEN", out));
  EXPECT_FALSE(open_sealed(key, sealed, "project-env:p2:TOKEN", out));
  std::string tampered = sealed;
  tampered[14] ^= 1;
  EXPECT_FALSE(open_sealed(key, tampered, "project-env:p1:TOKEN", out));
  EXPECT_FALSE(open_sealed(key, "short", "", out));
  EXPECT_NE(seal(key, "x", ""), seal(key, "x", "")) << "nonces are random";
  ASSERT_TRUE(open_sealed(key, seal(key, "", "a"), "a", out));
  EXPECT_EQ(out, "");
}

#include "common/ssh_key.h"
#include "support/test_env.h"

TEST(SshKey, IsARealKeypairThatOpenSshAgreesWith) {
  SshKeyPair k = generate_ssh_key();
  EXPECT_EQ(k.public_openssh.rfind("ssh-rsa AAAA", 0), 0u);
  EXPECT_EQ(k.fingerprint_md5.size(), 47u);
  EXPECT_EQ(k.fingerprint_sha256.rfind("SHA256:", 0), 0u);
  // ssh-keygen derives the same public key and fingerprints from the private key.
  test::TempDir dir;
  auto priv = dir.path() / "id";
  { std::ofstream(priv) << k.private_pem; }
  std::filesystem::permissions(priv, std::filesystem::perms::owner_read);
  std::string out;
  ASSERT_EQ(test::sh("command -v ssh-keygen", &out), 0)
      << "ssh-keygen is missing (scripts/install-deps.sh installs openssh-client)";
  ASSERT_EQ(test::sh("ssh-keygen -y -f " + priv.string(), &out), 0) << out;
  EXPECT_EQ(out.substr(0, out.find_last_not_of("\n ") + 1), k.public_openssh);
  ASSERT_EQ(test::sh("ssh-keygen -l -E sha256 -f " + priv.string(), &out), 0) << out;
  EXPECT_NE(out.find(k.fingerprint_sha256), std::string::npos) << out;
  ASSERT_EQ(test::sh("ssh-keygen -l -E md5 -f " + priv.string(), &out), 0) << out;
  EXPECT_NE(out.find("MD5:" + k.fingerprint_md5), std::string::npos) << out;
}
