// Which receiver URLs are accepted.
#include <gtest/gtest.h>

#include "webhooks/url_policy.h"

namespace halo::webhooks {

TEST(UrlPolicy, HttpsIsAccepted) {
  EXPECT_EQ(check_url("https://example.com/hook", false), "");
  EXPECT_EQ(check_url("https://example.com:8443/a/b?x=1", false), "");
}

TEST(UrlPolicy, HttpNeedsTheServerFlag) {
  EXPECT_NE(check_url("http://127.0.0.1:9000/hook", false), "");
  EXPECT_EQ(check_url("http://127.0.0.1:9000/hook", true), "");
}

TEST(UrlPolicy, EverythingElseIsRejectedWithAReason) {
  for (const char* bad : {"", "example.com", "ftp://example.com/x", "https://", "https:// x.com",
                          "https://user:pw@example.com/", "https://example.com/#frag",
                          "file:///etc/passwd", "javascript:alert(1)"})
    EXPECT_NE(check_url(bad, true), "") << bad;
  EXPECT_NE(check_url("https://example.com/" + std::string(3000, 'a'), true), "");
}

}  // namespace halo::webhooks
