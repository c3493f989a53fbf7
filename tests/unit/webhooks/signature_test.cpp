// The signature headers, checked against the test vectors in CircleCI's docs.
#include <gtest/gtest.h>

#include "webhooks/signature.h"

namespace halo::webhooks {

TEST(Signature, CircleciHeaderIsV1AndTheHexHmacOfTheBody) {
  EXPECT_EQ(circleci_signature("secret", "hello world"),
            "v1=734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a");
  EXPECT_EQ(circleci_signature("another-secret", "lalala"),
            "v1=daa220016c8f29a8b214fbfc3671aeec2145cfb1e6790184ffb38b6d0425fa00");
  EXPECT_EQ(circleci_signature("hunter123", "an-important-request-payload"),
            "v1=9be2242094a9a8c00c64306f382a7f9d691de910b4a266f67bd314ef18ac49fa");
  EXPECT_EQ(circleci_signature("secret", "foo"),
            "v1=773ba44693c7553d6ee20f61ea5d2757a9a4f4a44d2841ae4e95b52e4cd62db4");
}

TEST(Signature, CirrusHeaderIsTheBareHexHmac) {
  EXPECT_EQ(cirrus_signature("secret", "hello world"),
            "734cc62f32841568f45715aeb9f4d7891324e6d948e4c6c60c0621cdac48623a");
}

}  // namespace halo::webhooks
