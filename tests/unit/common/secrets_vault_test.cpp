// The vault's binding strings are stored data: values sealed before the vault existed (by
// halo::seal with the strings spelled out) must still open, and a value bound to one row
// must not open for another.
#include "common/secrets_vault.h"

#include <gtest/gtest.h>

#include "common/crypto.h"

namespace halo {
namespace {

const std::string kKey(32, 'k');

TEST(SecretsVault, ValuesSealedWithTheHistoricBindingStringsStillOpen) {
  SecretsVault vault(kKey);
  EXPECT_EQ(vault.open_project_env("p1", "FOO", seal(kKey, "bar", "project-env:p1:FOO")), "bar");
  EXPECT_EQ(vault.open_context_env("c1", "TOKEN", seal(kKey, "t", "context-env:c1:TOKEN")), "t");
  EXPECT_EQ(vault.open_checkout_key("p1", "aa:bb", seal(kKey, "pem", "checkout-key:p1:aa:bb")),
            "pem");
  EXPECT_EQ(vault.open_webhook_secret("w1", seal(kKey, "s3cret", "webhook:w1")), "s3cret");
  EXPECT_EQ(vault.open_cirrus_secret("o1", seal(kKey, "s3cret", "cirrus-webhook:o1")), "s3cret");
}

TEST(SecretsVault, WhatItSealsOpensUnderTheSameBindingOnly) {
  SecretsVault vault(kKey);
  std::string env = vault.seal_project_env("p1", "FOO", "bar");
  std::string out;
  EXPECT_TRUE(open_sealed(kKey, env, "project-env:p1:FOO", out));
  EXPECT_EQ(out, "bar");
  EXPECT_EQ(vault.open_project_env("p1", "FOO", env), "bar");
  EXPECT_THROW(vault.open_project_env("p2", "FOO", env), std::runtime_error);
  EXPECT_THROW(vault.open_project_env("p1", "BAR", env), std::runtime_error);
  EXPECT_THROW(vault.open_context_env("p1", "FOO", env), std::runtime_error);
  EXPECT_THROW(SecretsVault(std::string(32, 'x')).open_project_env("p1", "FOO", env),
               std::runtime_error);

  EXPECT_EQ(vault.open_context_env("c1", "T", vault.seal_context_env("c1", "T", "v")), "v");
  EXPECT_EQ(vault.open_checkout_key("p1", "f", vault.seal_checkout_key("p1", "f", "pem")), "pem");

  std::string hook = vault.seal_webhook_secret("w1", "s3cret");
  EXPECT_EQ(vault.open_webhook_secret("w1", hook), "s3cret");
  EXPECT_EQ(vault.open_webhook_secret("w2", hook), std::nullopt);
  EXPECT_EQ(vault.open_cirrus_secret("w1", hook), std::nullopt);
  std::string cirrus = vault.seal_cirrus_secret("o1", "s3cret");
  EXPECT_EQ(vault.open_cirrus_secret("o1", cirrus), "s3cret");
}

TEST(SecretsVault, NoSigningSecretIsStoredAsEmpty) {
  SecretsVault vault(kKey);
  EXPECT_EQ(vault.seal_webhook_secret("w1", ""), "");
  EXPECT_EQ(vault.open_webhook_secret("w1", ""), "");
  EXPECT_EQ(vault.seal_cirrus_secret("o1", ""), "");
  EXPECT_EQ(vault.open_cirrus_secret("o1", ""), "");
}

}  // namespace
}  // namespace halo
