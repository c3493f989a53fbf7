// Secrets never reach the log, whole or split across chunks.
#include "runner/output_masker.h"

#include <gtest/gtest.h>

using halo::runner::OutputMasker;

namespace {
std::string run(OutputMasker& m, const std::vector<std::string>& chunks) {
  std::string out;
  for (const auto& c : chunks) out += m.feed(c);
  return out + m.flush();
}
}  // namespace

TEST(OutputMasker, MasksWholeSecrets) {
  OutputMasker m({"hunter2-secret"});
  EXPECT_EQ(run(m, {"password is hunter2-secret, ok\n"}), "password is ********, ok\n");
}

TEST(OutputMasker, MasksASecretSplitAcrossChunksAtEveryPosition) {
  const std::string secret = "s3cr3t-value";
  const std::string text = "a " + secret + " b " + secret + "\n";
  for (size_t cut = 0; cut <= text.size(); ++cut) {
    for (size_t cut2 = cut; cut2 <= text.size(); cut2 += 3) {
      OutputMasker m({secret});
      std::string out = run(m, {text.substr(0, cut), text.substr(cut, cut2 - cut), text.substr(cut2)});
      EXPECT_EQ(out, "a ******** b ********\n") << cut << "," << cut2;
    }
  }
}

TEST(OutputMasker, ByteByByteAndLongestSecretFirst) {
  OutputMasker m({"abcd", "abcdefgh"});
  std::vector<std::string> bytes;
  for (char c : std::string("xxabcdefghyyabcdzz")) bytes.push_back(std::string(1, c));
  EXPECT_EQ(run(m, bytes), "xx********yy********zz");
}

TEST(OutputMasker, ShortValuesAreNotMaskedAndNothingIsLost) {
  OutputMasker m({"ab", ""});
  EXPECT_TRUE(m.empty());
  EXPECT_EQ(run(m, {"ab cd"}), "ab cd");
  OutputMasker n({"longsecret"});
  EXPECT_EQ(run(n, {"lon", "gsecre"}), "longsecre");  // a prefix alone is not the secret
}
