#include "pop3/core/exposure.hpp"

#include <array>

namespace pop3 {
namespace {
constexpr std::array<std::string_view, 5> kNames{"none", "cleartext", "base64", "digest",
                                                 "salted-proof"};
}

std::string_view exposure_name(Exposure e) noexcept {
  return kNames[static_cast<std::size_t>(e)];
}

bool parse_exposure_name(std::string_view name, Exposure& out) noexcept {
  for (std::size_t i = 0; i < kNames.size(); ++i) {
    if (kNames[i] == name) {
      out = static_cast<Exposure>(i);
      return true;
    }
  }
  return false;
}

std::string_view exposure_consequence(Exposure e) noexcept {
  switch (e) {
    case Exposure::None:
      return "Nothing secret crosses the wire here.";
    case Exposure::Cleartext:
      return "The password crosses as typed: anyone on the path reads it.";
    case Exposure::Base64:
      return "The password is only base64-encoded: anyone on the path decodes it in a second.";
    case Exposure::Digest:
      return "Only a digest crosses, but with the challenge beside it an observer can test a "
             "whole dictionary offline; a weak password falls.";
    case Exposure::SaltedProof:
      return "A salted proof crosses; each offline guess costs the attacker thousands of hash "
             "iterations, so only weak passwords are at risk, and slowly.";
  }
  return "";
}

}  // namespace pop3
