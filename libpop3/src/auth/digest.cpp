#include "pop3/auth/digest.hpp"

#include <openssl/evp.h>

#include <memory>

#include "openssl_util.hpp"

namespace pop3::auth {

namespace {

struct MdCtxDeleter {
  void operator()(EVP_MD_CTX* ctx) const noexcept { EVP_MD_CTX_free(ctx); }
};

std::string digest(const EVP_MD* md, std::initializer_list<std::string_view> parts) {
  const std::unique_ptr<EVP_MD_CTX, MdCtxDeleter> ctx(EVP_MD_CTX_new());
  if (!ctx || EVP_DigestInit_ex(ctx.get(), md, nullptr) != 1)
    detail::openssl_failed("EVP_DigestInit_ex");
  for (const std::string_view part : parts) {
    if (EVP_DigestUpdate(ctx.get(), part.data(), part.size()) != 1) {
      detail::openssl_failed("EVP_DigestUpdate");
    }
  }
  std::string out(static_cast<std::size_t>(EVP_MD_get_size(md)), '\0');
  unsigned int written = 0;
  if (EVP_DigestFinal_ex(ctx.get(), detail::octets(out), &written) != 1) {
    detail::openssl_failed("EVP_DigestFinal_ex");
  }
  out.resize(written);
  return out;
}

}  // namespace

std::string md5(std::string_view data) {
  return digest(EVP_md5(), {data});
}

std::string md5_parts(std::initializer_list<std::string_view> parts) {
  return digest(EVP_md5(), parts);
}

std::string sha256(std::string_view data) {
  return digest(EVP_sha256(), {data});
}

}  // namespace pop3::auth
