// Real SSH keypairs for checkout keys: generation with OpenSSL, the OpenSSH public-key
// line, and fingerprints in both of the forms CircleCI shows (MD5 colon-hex and SHA256:b64).
#pragma once
#include <optional>
#include <string>

namespace halo {

struct SshKeyPair {
  std::string private_pem;         // PKCS#8 PEM, which OpenSSH reads
  std::string public_openssh;      // "ssh-rsa AAAA..."
  std::string fingerprint_md5;     // "c9:0b:1c:..."
  std::string fingerprint_sha256;  // "SHA256:..." (unpadded base64)
};

// A new RSA keypair (3072 bits). Throws std::runtime_error if OpenSSL fails.
SshKeyPair generate_ssh_key();

// A private key a user gives (PEM: PKCS#1 or PKCS#8 RSA, or PKCS#8 Ed25519, unencrypted, as
// CircleCI takes them), with its public line and fingerprints; nullopt when it is not one.
std::optional<SshKeyPair> parse_ssh_private_key(const std::string& pem);

// "SHA256:..." of an OpenSSH public-key line; "" when the line is malformed.
std::string ssh_fingerprint_sha256(const std::string& public_openssh);

}  // namespace halo
