// The in-memory variant of pop3::net's write_self_signed_certificate(): same OpenSSL
// calls, no files.
#include <openssl/err.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509v3.h>

#include <chrono>
#include <stdexcept>
#include <string>

#include "tls_handles.hpp"

namespace pop3::sim {
namespace {

void check(bool ok, const char* what) {
  if (!ok) {
    ERR_clear_error();
    throw std::runtime_error(std::string("simulator: making the self-signed certificate: ") + what);
  }
}

const unsigned char* text(const std::string& s) {
  return reinterpret_cast<const unsigned char*>(s.c_str());
}

void add_extension(X509* cert, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, cert, cert, nullptr, nullptr, 0);
  X509_EXTENSION* ext = X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str());
  check(ext != nullptr, "extension");
  const int added = X509_add_ext(cert, ext, -1);
  X509_EXTENSION_free(ext);
  check(added == 1, "adding an extension");
}

}  // namespace

TlsIdentity::TlsIdentity(CertificateOptions options, std::unique_ptr<Handles> handles)
    : options_(std::move(options)), names_(options_.dns_names), handles_(std::move(handles)) {}

TlsIdentity::~TlsIdentity() = default;

std::shared_ptr<const TlsIdentity> TlsIdentity::self_signed(std::vector<std::string> dns_names,
                                                            int days) {
  if (dns_names.empty()) dns_names.emplace_back("localhost");
  CertificateOptions options;
  options.dns_names = std::move(dns_names);
  options.not_after = std::chrono::hours(24) * days;
  return make(std::move(options));
}

std::shared_ptr<const TlsIdentity> TlsIdentity::make(CertificateOptions options) {
  if (options.dns_names.empty())
    throw std::invalid_argument("simulator: a certificate needs a DNS name");
  if (options.not_after <= options.not_before)
    throw std::invalid_argument(
        "simulator: a certificate's not_after must come after its not_before");
  const std::vector<std::string>& dns_names = options.dns_names;
  auto handles = std::make_unique<Handles>();
  handles->key.reset(EVP_EC_gen("P-256"));
  check(handles->key != nullptr, "key generation");
  handles->certificate.reset(X509_new());
  X509* cert = handles->certificate.get();
  check(cert != nullptr, "X509_new");
  check(X509_set_version(cert, 2) == 1, "version");

  unsigned char serial[16];
  check(RAND_bytes(serial, sizeof serial) == 1, "serial");
  serial[0] &= 0x7f;
  BIGNUM* bn = BN_bin2bn(serial, sizeof serial, nullptr);
  check(bn != nullptr, "serial");
  const bool serial_set = BN_to_ASN1_INTEGER(bn, X509_get_serialNumber(cert)) != nullptr;
  BN_free(bn);
  check(serial_set, "serial");

  check(X509_gmtime_adj(X509_getm_notBefore(cert), static_cast<long>(options.not_before.count())) !=
            nullptr,
        "notBefore");
  check(X509_gmtime_adj(X509_getm_notAfter(cert), static_cast<long>(options.not_after.count())) !=
            nullptr,
        "notAfter");
  check(X509_set_pubkey(cert, handles->key.get()) == 1, "public key");
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "O", MBSTRING_ASC, text(options.organization), -1, -1, 0);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, text(dns_names.front()), -1, -1, 0);
  check(X509_set_issuer_name(cert, name) == 1, "issuer");
  std::string san;
  for (const auto& d : dns_names)
    san += (san.empty() ? "DNS:" : ",DNS:") + d;
  add_extension(cert, NID_subject_alt_name, san);
  add_extension(cert, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert, NID_key_usage, "critical,digitalSignature,keyCertSign");
  add_extension(cert, NID_ext_key_usage, "serverAuth");
  add_extension(cert, NID_subject_key_identifier, "hash");
  check(X509_sign(cert, handles->key.get(), EVP_sha256()) > 0, "signing");
  return std::shared_ptr<const TlsIdentity>(
      new TlsIdentity(std::move(options), std::move(handles)));
}

std::string TlsIdentity::certificate_pem() const {
  BIO* bio = BIO_new(BIO_s_mem());
  check(bio != nullptr, "BIO_new");
  std::string pem;
  if (PEM_write_bio_X509(bio, handles_->certificate.get()) == 1) {
    pem.resize(BIO_ctrl_pending(bio));
    const int n = BIO_read(bio, pem.data(), static_cast<int>(pem.size()));
    pem.resize(n > 0 ? static_cast<std::size_t>(n) : 0);
  }
  BIO_free(bio);
  return pem;
}

std::string TlsIdentity::fingerprint_sha256() const {
  unsigned char md[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  check(X509_digest(handles_->certificate.get(), EVP_sha256(), md, &len) == 1, "digest");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out;
  for (unsigned int i = 0; i < len; ++i) {
    if (i) out += ':';
    out += kHex[md[i] >> 4];
    out += kHex[md[i] & 0x0f];
  }
  return out;
}

}  // namespace pop3::sim
